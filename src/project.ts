/**
 * An algo project: a folder whose package.json has a "sequence" block
 * naming the entry file, the symbols it trades and its default data.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./cli/errors.ts";

/** No package.json with a "sequence" block here or above: not inside an algo project. */
export class NoProjectError extends UsageError {}

export interface ProjectConfig {
  root: string;
  /** The package.json the config was read from. */
  file: string;
  name: string;
  entry: string;
  symbols: string[];
  data?: string;
  /** `sequence.backtest`: backtest settings by flag name (src/cli/backtest-config.ts checks them). */
  backtest?: Record<string, unknown>;
}

export async function loadProject(dir = process.cwd()): Promise<ProjectConfig> {
  let current = path.resolve(dir);
  for (;;) {
    const file = path.join(current, "package.json");
    let text: string | undefined;
    try {
      text = await readFile(file, "utf8");
    } catch {
      /* keep looking upwards */
    }
    if (text !== undefined) {
      let pkg: { name?: string; sequence?: { entry?: unknown; symbols?: unknown; data?: unknown; backtest?: unknown } };
      try {
        pkg = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
      }
      if (pkg.sequence) {
        const s = pkg.sequence;
        if (typeof s.entry !== "string") throw new UsageError(`${file}: "sequence.entry" must name the algo's source file, e.g. "assembly/algo.ts"`);
        if (s.symbols !== undefined && !(Array.isArray(s.symbols) && s.symbols.every((x) => typeof x === "string")))
          throw new UsageError(`${file}: "sequence.symbols" must be a list of symbols, e.g. ["ETH-USD"]`);
        const backtest = s.backtest;
        if (backtest !== undefined && (backtest === null || typeof backtest !== "object" || Array.isArray(backtest)))
          throw new UsageError(`${file}: "sequence.backtest" must be an object of backtest settings, e.g. {"maker-bps": "-1", "capital": "10000"}`);
        return {
          root: current,
          file,
          backtest: backtest as Record<string, unknown> | undefined,
          name: pkg.name ?? path.basename(current),
          entry: path.resolve(current, s.entry),
          symbols: (s.symbols as string[] | undefined) ?? [],
          data: typeof s.data === "string" ? s.data : undefined,
        };
      }
    }
    const parent = path.dirname(current);
    if (parent === current)
      throw new NoProjectError(`no algo project here: no package.json with a "sequence" block in ${dir} or above (create one with \`algo init\`)`);
    current = parent;
  }
}
