// The bundled S&P 500 daily bars (vega-datasets sp500-2000.csv), parsed
// exactly into fixed point for reference computations: prices at 1e9
// (the file has 6 decimals, so nothing is rounded), volume as a plain integer.
import { readFileSync } from "node:fs";
import { sp500Path } from "../../harness/data/sp500.ts";

export interface Bar {
  date: string;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
}

/** "1455.219971" → 1455219971000n (exact; at most 9 decimals). */
export function px1e9(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) throw new Error(`not a decimal price: ${text}`);
  return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

let cached: Bar[] | undefined;

export function sp500Bars(): Bar[] {
  if (cached) return cached;
  const lines = readFileSync(sp500Path(), "utf8").trim().split("\n").slice(1);
  cached = lines.map((line) => {
    const [date, open, high, low, close, , volume] = line.split(",");
    return { date, open: px1e9(open), high: px1e9(high), low: px1e9(low), close: px1e9(close), volume: BigInt(volume) };
  });
  return cached;
}
