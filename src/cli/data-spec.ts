/** Resolves `--data`: a file path, "sp500" (bundled real daily data) or "synthetic[:seed[:count]]". */
import { statSync } from "node:fs";
import path from "node:path";
import { MAX_SYNTHETIC_COUNT, openSource, SyntheticSource, sp500Source, type TickSource } from "../../harness/data/index.ts";
import { UsageError } from "./errors.ts";

export const DATA_HELP = 'a tick file (.csv, price_history .json, L2 book .jsonl, .parquet, .ticks), "sp500" (real S&P 500 daily OHLCV bars 2000–2020) or "synthetic[:seed[:count]]"';

export async function resolveData(spec: string, baseDir = process.cwd()): Promise<TickSource> {
  if (spec === "sp500") return sp500Source();
  if (spec === "synthetic" || spec.startsWith("synthetic:")) {
    const [, seed = "1", count = "1000000"] = spec.split(":");
    if (!/^\d+$/.test(seed) || !/^\d+$/.test(count)) throw new UsageError(`--data ${spec}: expected synthetic:<seed>:<count> with whole numbers`);
    if (Number(count) > MAX_SYNTHETIC_COUNT) throw new UsageError(`--data ${spec}: at most ${MAX_SYNTHETIC_COUNT} synthetic records`);
    return new SyntheticSource({ seed: BigInt(seed), count: Number(count) });
  }
  const file = path.resolve(baseDir, spec);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`--data ${spec}: no such file (${file}); expected ${DATA_HELP}`);
  if (stat.isDirectory()) throw new UsageError(`--data ${spec}: is a directory (${file}); expected ${DATA_HELP}`);
  return openSource(file);
}
