/**
 * An algo project: a folder whose package.json has a "sequence" block
 * naming the entry file, the symbols it trades and its default data
 * (declared in src/schemas/project-config.ts).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./cli/errors.ts";
import { describeProblem, firstProblem } from "./schemas/problem.ts";
import { projectPackageSchema, type BacktestSettings } from "./schemas/project-config.ts";

/** No package.json with a "sequence" block here or above: not inside an algo project. */
export class NoProjectError extends UsageError {}

export interface ProjectConfig {
  root: string;
  /** The package.json the config was read from. */
  file: string;
  name: string;
  /** `sequence.entry`, resolved. */
  entry: string;
  symbols: string[];
  data?: string;
  /** `sequence.backtest`: backtest settings by flag name (src/cli/backtest-config.ts parses each value with its flag). */
  backtest?: BacktestSettings;
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
      let pkg: unknown;
      try {
        pkg = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
      }
      // A package.json without a "sequence" block is some other package: keep looking upwards.
      if (pkg !== null && typeof pkg === "object" && (pkg as { sequence?: unknown }).sequence) {
        const parsed = projectPackageSchema.safeParse(pkg);
        if (!parsed.success) throw new UsageError(`${file}: ${describeProblem(firstProblem(parsed.error), "whole")}`);
        const { name, sequence } = parsed.data;
        const s = sequence!; // present: checked above
        return {
          root: current,
          file,
          backtest: s.backtest,
          name: name ?? path.basename(current),
          entry: path.resolve(current, s.entry),
          symbols: s.symbols ?? [],
          data: s.data,
        };
      }
    }
    const parent = path.dirname(current);
    if (parent === current)
      throw new NoProjectError(`no algo project here: no package.json with a "sequence" block in ${dir} or above (create one with \`algo init\`)`);
    current = parent;
  }
}
