/**
 * Named algo parameters (`--param window=20`), read by the module through
 * the `param` import as fixed-point integers. Records which were used, with
 * their defaults, so the report says exactly what ran.
 */
import { formatFixed, parseFixed } from "./fixed.ts";

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

  /** Parses "name=value" strings (CLI form). */
  static parse(pairs: string[]): Params {
    const given: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new ParamError(`--param ${pair}: expected name=value, e.g. --param window=20`);
      given[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    return new Params(given);
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
