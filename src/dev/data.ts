/**
 * Which ticks an edge replays. With `--data dir`, the first file found of
 *   <SYMBOL>.<venue>.{ticks,csv,json}   (this venue only)
 *   <SYMBOL>.{ticks,csv,json}           (every venue of the symbol)
 * in any format `openSource` reads. Otherwise — or when no file matches —
 * SYNTHETIC ticks from the harness's seeded random walk (SyntheticSource):
 * one seed per symbol+venue, a start price per symbol, a quote or trade every
 * 50 ms of edge time, timestamps starting when the state file was created.
 * Synthetic data is generated, never market data, and is labelled so
 * everywhere it is described (price_history `window.data`, /v1/edges).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { openSource, SyntheticSource, type TickSource } from "../../harness/data/index.ts";
import type { EdgeSpec } from "./edges.ts";

export interface EdgeData {
  /** A fresh pass over the data (called again for every loop). */
  open(): Promise<TickSource>;
  readonly description: string;
  readonly synthetic: boolean;
  readonly file?: string;
}

const EXTENSIONS = ["ticks", "csv", "json"];
/** Records per synthetic loop: one hour of edge time at 50 ms a record. */
export const SYNTHETIC_RECORDS = 72_000;
export const SYNTHETIC_STEP_NS = 50_000_000n;

/** Start prices (USD) for the default symbols; any other symbol starts at $100. */
const START_PRICE_USD: Readonly<Record<string, bigint>> = {
  "ETH-USD": 3_000n,
  "BTC-USD": 60_000n,
  "SOL-USD": 150n,
};

export function seedFor(symbol: string, venue: string): bigint {
  return BigInt("0x" + createHash("sha256").update(`${symbol}/${venue}`).digest("hex").slice(0, 16));
}

export function findDataFile(dir: string, spec: EdgeSpec): string | undefined {
  for (const stem of [`${spec.symbol}.${spec.venue}`, spec.symbol]) {
    for (const ext of EXTENSIONS) {
      const file = path.join(dir, `${stem}.${ext}`);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** The data an edge replays; `epochNs` is where synthetic timestamps start. */
export function edgeData(spec: EdgeSpec, dataDir: string | undefined, epochNs: bigint): EdgeData {
  const file = dataDir !== undefined ? findDataFile(dataDir, spec) : undefined;
  if (file !== undefined) {
    return { open: () => openSource(file), description: `${path.basename(file)} (from --data ${dataDir})`, synthetic: false, file };
  }
  const startPx = (START_PRICE_USD[spec.symbol] ?? 100n) * 1_000_000_000n;
  const options = {
    seed: seedFor(spec.symbol, spec.venue),
    count: SYNTHETIC_RECORDS,
    startPx,
    tickSize: 10_000_000n,
    startTs: epochNs,
    stepNs: SYNTHETIC_STEP_NS,
    symbol: `${spec.symbol}@${spec.venue}`,
  };
  const source = new SyntheticSource(options);
  return { open: async () => source, description: source.description, synthetic: true };
}
