/**
 * Named algo parameters (`--param window=20`), read by the module through
 * the `param` import as fixed-point integers. Records which were used, with
 * their defaults, so the report says exactly what ran.
 *
 * Where a value comes from, strongest first (docs/abi.md "Parameters"):
 *   1. a run-time `--param` (algo backtest),
 *   2. the module's `sequence.params` custom section (written by
 *      `algo deploy --param` / `algo strategy push --param`),
 *   3. the default compiled into the algo (`params.int("window", 20)`).
 */
import { PARAMS_SECTION } from "./abi.ts";
import { formatFixed, parseFixed } from "./data/decimal.ts";

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamError";
  }
}

export interface ParamUse {
  value: bigint;
  decimals: number;
  fromDefault: boolean;
}

export class Params {
  readonly used = new Map<string, ParamUse>();

  constructor(private readonly given: Record<string, string> = {}) {}

  /** Parses "name=value" strings (CLI form); `under` are weaker values (a module's section) they override. */
  static parse(pairs: string[], under: Record<string, string> = {}): Params {
    return new Params({ ...under, ...parseParamPairs(pairs) });
  }

  read(name: string, fallback: bigint, decimals: number): bigint {
    const text = this.given[name];
    let value = fallback;
    if (text !== undefined) {
      if (text === "true" || text === "false") value = text === "true" ? 1n : 0n;
      else {
        try {
          value = parseFixed(text, decimals);
        } catch (e) {
          throw new ParamError(`param ${name}=${text}: ${(e as Error).message}`);
        }
      }
    }
    this.used.set(name, { value, decimals, fromDefault: text === undefined });
    return value;
  }

  /** Names given but never read by the algo: most likely typos. */
  unused(): string[] {
    return Object.keys(this.given).filter((n) => !this.used.has(n));
  }

  /** For the report: name → value in human decimal form. */
  summary(): Record<string, { value: string; default: boolean }> {
    const out: Record<string, { value: string; default: boolean }> = {};
    for (const [name, use] of [...this.used].sort(([a], [b]) => a.localeCompare(b)))
      out[name] = { value: formatFixed(use.value, use.decimals), default: use.fromDefault };
    return out;
  }
}

const VALUE = /^(?:-?\d+(?:\.\d+)?|true|false)$/;

/**
 * "name=value" strings (the CLI's `--param`) → name → value. A value is an
 * exact decimal (`20`, `-1.5`, `0.00000001`) or `true`/`false`; how many
 * decimals it may have is known only when the algo reads it.
 */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const given: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new ParamError(`--param ${pair}: expected name=value, e.g. --param window=20`);
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!VALUE.test(value)) throw new ParamError(`param ${name}=${value}: expected a decimal number (e.g. 20 or 0.5) or true/false`);
    given[name] = value;
  }
  return given;
}

/**
 * The params a module carries in its `sequence.params` custom section: a JSON
 * object of name → exact decimal string. No section → `{}`; a malformed one is
 * a ParamError (a host must not run a module with settings it cannot read).
 */
export function paramsOfModule(module: WebAssembly.Module): Record<string, string> {
  const sections = WebAssembly.Module.customSections(module, PARAMS_SECTION);
  if (sections.length === 0) return {};
  const shape = `the module's "${PARAMS_SECTION}" section must be one JSON object of name → decimal string, e.g. {"size":"0.5"}`;
  if (sections.length > 1) throw new ParamError(`${shape}; it has ${sections.length} such sections`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(sections[0]));
  } catch {
    throw new ParamError(`${shape}; it is not valid JSON`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ParamError(shape);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== "string" || !VALUE.test(value)) throw new ParamError(`${shape}; "${name}" is ${JSON.stringify(value)}`);
    out[name] = value;
  }
  return out;
}
