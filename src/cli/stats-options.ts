/** Parsers for the statistics' options of `algo backtest` (run by commander: a bad value is a usage error, exit 2). */
import { InvalidArgumentError } from "commander";

const UNIT_NS: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** "1d", "4h", "15m", "30s", "500ms" → the interval in ns, as text. */
export function samplingInterval(value: string): string {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m || BigInt(m[1]) === 0n) throw new InvalidArgumentError("expected a positive whole number and a unit (ms, s, m, h, d), e.g. 1d, 4h or 15m");
  return String(BigInt(m[1]) * UNIT_NS[m[2]]);
}

/** A positive number, e.g. 252 or 365. */
export function periodsPerYear(value: string): string {
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(Number(value) > 0)) throw new InvalidArgumentError("expected a positive number, e.g. 252 (trading days) or 365");
  return value;
}

/** An annual rate in percent, e.g. 4.5 or -0.5. */
export function annualPct(value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value.trim()) || Math.abs(Number(value)) >= 100) throw new InvalidArgumentError("expected an annual rate in percent between -100 and 100, e.g. 4.5");
  return value;
}
