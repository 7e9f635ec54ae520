/**
 * Backtest settings kept in the project (`package.json` → `sequence.backtest`),
 * so a run is reproducible from the project alone; a flag given on the command
 * line overrides its setting. Keys are the flag names without the dashes
 * (`"maker-bps": "-1"`, `"capital": "10000"`, `"from": "2010-01-01"`), and
 * `"params"` is an object of algo params. Each value goes through the flag's
 * own check, so a bad one is the same usage error, naming the file and key.
 */
import { InvalidArgumentError, type CommandUnknownOpts, type Option } from "@commander-js/extra-typings";
import { parseParamPairs } from "../../harness/params.ts";
import { loadProject, NoProjectError, type ProjectConfig } from "../project.ts";
import { PROJECT_SETTABLE_FLAGS } from "../schemas/project-config.ts";
import { UsageError } from "./errors.ts";

export { PROJECT_SETTABLE_FLAGS }; // declared with the project config (keys checked by its schema when loaded)

/**
 * `opts` with the project's settings filled in where the command line gave
 * none (commander says where each value came from). Outside a project, or
 * with `--wasm`/`--entry` outside one, the options are returned as they are.
 * `flagOf` names a key's flag where the command calls it otherwise (`algo
 * sweep` reads "queue" from its `--fill-queue`).
 */
export async function withProjectSettings<T extends { param: string[] }>(opts: T, command: CommandUnknownOpts, flagOf: Readonly<Record<string, string>> = {}): Promise<T> {
  let project: ProjectConfig;
  try {
    project = await loadProject();
  } catch (e) {
    if (e instanceof NoProjectError) return opts; // outside a project: the flags alone
    throw e; // a broken package.json is an error even when --data is given
  }
  const settings = project.backtest;
  if (!settings) return opts;
  const out: Record<string, unknown> = { ...opts };
  const where = (key: string) => `${project.file}: "sequence.backtest.${key}"`;
  const { params, ...flags } = settings;
  if (params) out.param = [...paramPairs(params, where("params")), ...opts.param]; // a --param given later wins
  for (const [key, value] of Object.entries(flags)) {
    const flag = `--${flagOf[key] ?? key}`;
    const option = command.options.find((o) => o.long === flag);
    if (!option) throw new Error(`${command.name()} has no ${flag}`); // PROJECT_SETTABLE_FLAGS names only real flags (test/cli/backtest-config.test.ts)
    const attribute = option.attributeName();
    if (command.getOptionValueSource(attribute) === "cli") continue;
    out[attribute] = checked(option, value, where(key));
  }
  return out as T;
}

function checked(option: Option, value: unknown, where: string): unknown {
  if (option.isBoolean()) {
    if (typeof value !== "boolean") throw new UsageError(`${where}: expected true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  if (typeof value !== "string" && typeof value !== "number") throw new UsageError(`${where}: expected a string or a number, got ${JSON.stringify(value)}`);
  const text = String(value);
  try {
    return option.parseArg ? option.parseArg(text, undefined as never) : text;
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(`${where}: ${JSON.stringify(value)} is invalid: ${e.message}`);
    throw e;
  }
}

function paramPairs(value: Readonly<Record<string, string | number | boolean>>, where: string): string[] {
  const pairs = Object.entries(value).map(([name, v]) => `${name}=${String(v)}`);
  try {
    parseParamPairs(pairs);
  } catch (e) {
    throw new UsageError(`${where}: ${(e as Error).message}`);
  }
  return pairs;
}

