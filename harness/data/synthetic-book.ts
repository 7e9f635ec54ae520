/**
 * SYNTHETIC L2 book files: generated, never market data. For tests, examples
 * and benchmarks that need depth, which no installable package ships.
 *
 * The model, one step at a time (`stepNs` apart):
 *  - The book starts with `levels` bid levels below `startPx` and as many ask
 *    levels above it, one tick apart, a spread of one tick, each 1..maxLots
 *    lots. A snapshot line starts the file (and every `snapshotEvery` steps
 *    after, when set).
 *  - With probability `tradeProbability` a buy or sell (equally likely)
 *    takes 1..(size at the touch) lots from the touch: a trade line, then a
 *    delta line at the same ts with the level's new size (0 when taken whole).
 *  - Otherwise, with probability `moveProbability`, the touch moves a tick up
 *    or down (equally likely): the best level of one side is replaced by a
 *    new best level of the other, and the far ends are trimmed and refilled
 *    so each side keeps `levels` levels; one delta line.
 *  - Otherwise 1..3 levels (random side and depth) get a new size of
 *    1..maxLots lots: one delta line.
 * Lines are written until `lines` is reached (a step's trade and delta are
 * never split). The touch never moves down to `levels + 1` ticks or below.
 *
 * The randomness is xoshiro128** (prng.ts) and the draw order is fixed: the
 * same options give byte-identical files.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Xoshiro128 } from "./prng.ts";
import { formatFixed } from "./decimal.ts";
import { writeAtomically } from "./atomic-write.ts";

export interface SyntheticBookOptions {
  /** PRNG seed. Default 1. */
  readonly seed?: number | bigint;
  /** Lines to write (snapshots, deltas and trades). Default 1000. */
  readonly lines?: number;
  /** Levels per side. Default 10. */
  readonly levels?: number;
  /** Best bid at the start, price_1e9; a multiple of tickSize. Default $100. */
  readonly startPx?: bigint;
  /** Price grid, price_1e9. Default $0.01. */
  readonly tickSize?: bigint;
  /** First timestamp, ns. Default 2024-01-02T14:30:00Z. */
  readonly startTs?: bigint;
  /** Time between steps, ns. Default 1 ms. */
  readonly stepNs?: bigint;
  /** Sizes are 1..maxLots lots. Default 10. */
  readonly maxLots?: number;
  /** One lot, qty_1e8. Default 1.0. */
  readonly lotQty?: bigint;
  /** A fresh snapshot every this many steps (0: only the first line). Default 0. */
  readonly snapshotEvery?: number;
  /** Chance a step is a trade. Default 0.2. */
  readonly tradeProbability?: number;
  /** Chance a non-trade step moves the touch. Default 0.2. */
  readonly moveProbability?: number;
}

type Resolved = Required<SyntheticBookOptions>;

const DEFAULTS: Resolved = {
  seed: 1,
  lines: 1000,
  levels: 10,
  startPx: 100_000_000_000n,
  tickSize: 10_000_000n,
  startTs: 1_704_205_800_000_000_000n,
  stepNs: 1_000_000n,
  maxLots: 10,
  lotQty: 100_000_000n,
  snapshotEvery: 0,
  tradeProbability: 0.2,
  moveProbability: 0.2,
};

function resolve(options: SyntheticBookOptions): Resolved {
  const o = { ...DEFAULTS } as { -readonly [K in keyof Resolved]: Resolved[K] };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  const bad = (what: string) => new RangeError(`synthetic book: ${what}`);
  if (!Number.isSafeInteger(o.lines) || o.lines < 1) throw bad(`lines must be a positive integer, got ${o.lines}`);
  if (!Number.isInteger(o.levels) || o.levels < 1 || o.levels > 1000) throw bad(`levels must be an integer in 1..1000, got ${o.levels}`);
  if (o.tickSize <= 0n || o.startPx % o.tickSize !== 0n) throw bad("startPx must be a multiple of a positive tickSize");
  if (o.startPx / o.tickSize <= BigInt(o.levels + 1)) throw bad(`startPx must be more than levels + 1 ticks`);
  if (o.startPx / o.tickSize > BigInt(Number.MAX_SAFE_INTEGER)) throw bad("startPx / tickSize is too large");
  if (o.stepNs <= 0n) throw bad(`stepNs must be > 0`);
  if (!Number.isInteger(o.maxLots) || o.maxLots < 1) throw bad(`maxLots must be a positive integer, got ${o.maxLots}`);
  if (o.lotQty <= 0n) throw bad("lotQty must be > 0");
  if (!Number.isInteger(o.snapshotEvery) || o.snapshotEvery < 0) throw bad(`snapshotEvery must be a whole number, got ${o.snapshotEvery}`);
  for (const p of ["tradeProbability", "moveProbability"] as const) if (!(o[p] >= 0 && o[p] <= 1)) throw bad(`${p} must be in [0, 1]`);
  return o;
}

/** One side: prices in ticks, best first, and their sizes in lots. */
interface Side {
  ticks: number[];
  lots: number[];
}

/** The lines of a synthetic book file, in order (no trailing newlines). */
export function* syntheticBookLines(options: SyntheticBookOptions = {}): Generator<string> {
  const o = resolve(options);
  const rng = Xoshiro128.fromSeed(o.seed);
  const lots = () => 1 + rng.below(o.maxLots);
  const px = (ticks: number) => `"${formatFixed(BigInt(ticks) * o.tickSize, 9)}"`;
  const qty = (n: number) => `"${formatFixed(BigInt(n) * o.lotQty, 8)}"`;
  const level = (t: number, n: number) => `[${px(t)},${qty(n)}]`;
  const top = Number(o.startPx / o.tickSize);
  const bids: Side = { ticks: [], lots: [] };
  const asks: Side = { ticks: [], lots: [] };
  for (let k = 0; k < o.levels; k++) {
    bids.ticks.push(top - k);
    bids.lots.push(lots());
    asks.ticks.push(top + 1 + k);
    asks.lots.push(lots());
  }
  let ts = o.startTs;
  let written = 0;
  const line = (type: string, body: string) => `{"ts_ns":${ts},"type":"${type}",${body}}`;
  const sideText = (s: Side) => s.ticks.map((t, k) => level(t, s.lots[k])).join(",");
  for (let step = 0; written < o.lines; step++, ts += o.stepNs) {
    if (step === 0 || (o.snapshotEvery > 0 && step % o.snapshotEvery === 0)) {
      written++;
      yield line("snapshot", `"bids":[${sideText(bids)}],"asks":[${sideText(asks)}]`);
      continue;
    }
    if (rng.chance(o.tradeProbability)) {
      const buy = (rng.next() & 1) === 1;
      const s = buy ? asks : bids;
      const n = 1 + rng.below(s.lots[0]);
      const t = s.ticks[0];
      s.lots[0] -= n;
      written += 2;
      yield line("trade", `"price":${px(t)},"qty":${qty(n)},"side":"${buy ? "buy" : "sell"}"`);
      const left = s.lots[0];
      if (left === 0) {
        s.ticks.shift();
        s.lots.shift();
        // keep the depth: a new far level one tick beyond the last
        const far = buy ? s.ticks[s.ticks.length - 1] + 1 : s.ticks[s.ticks.length - 1] - 1;
        const n2 = lots();
        s.ticks.push(far);
        s.lots.push(n2);
        yield line("delta", buy ? `"asks":[${level(t, 0)},${level(far, n2)}]` : `"bids":[${level(t, 0)},${level(far, n2)}]`);
      } else {
        yield line("delta", buy ? `"asks":[${level(t, left)}]` : `"bids":[${level(t, left)}]`);
      }
      continue;
    }
    written++;
    if (rng.chance(o.moveProbability)) {
      const up = (rng.next() & 1) === 1 || bids.ticks[0] <= o.levels + 1;
      // up: the best ask's price becomes the best bid; down: the best bid's becomes the best ask
      const from = up ? asks : bids;
      const to = up ? bids : asks;
      const t = from.ticks.shift()!;
      from.lots.shift();
      const n = lots();
      to.ticks.unshift(t);
      to.lots.unshift(n);
      const dropped = to.ticks.pop()!;
      to.lots.pop();
      const far = up ? from.ticks[from.ticks.length - 1] + 1 : from.ticks[from.ticks.length - 1] - 1;
      const nFar = lots();
      from.ticks.push(far);
      from.lots.push(nFar);
      const bidLevels = up ? [level(t, n), level(dropped, 0)] : [level(t, 0), level(far, nFar)];
      const askLevels = up ? [level(t, 0), level(far, nFar)] : [level(t, n), level(dropped, 0)];
      yield line("delta", `"bids":[${bidLevels.join(",")}],"asks":[${askLevels.join(",")}]`);
      continue;
    }
    const changes = 1 + rng.below(3);
    const b: string[] = [];
    const a: string[] = [];
    for (let c = 0; c < changes; c++) {
      const isBid = (rng.next() & 1) === 1;
      const s = isBid ? bids : asks;
      const k = rng.below(s.ticks.length);
      s.lots[k] = lots();
      (isBid ? b : a).push(level(s.ticks[k], s.lots[k]));
    }
    yield line("delta", `"bids":[${b.join(",")}],"asks":[${a.join(",")}]`);
  }
}

/** The banner line a synthetic book file starts with: it says what the file is and how to make it again. */
export function syntheticBookBanner(options: SyntheticBookOptions = {}): string {
  const o = resolve(options);
  return `# SYNTHETIC L2 book, not market data: seeded (seed ${o.seed}, ${o.lines} lines, ${o.levels} levels, start ${formatFixed(o.startPx, 9)}, tick ${formatFixed(o.tickSize, 9)}; harness/data/synthetic-book.ts)`;
}

/** Writes a synthetic book file (banner line first); returns the number of data lines. */
export async function writeSyntheticBook(path: string, options: SyntheticBookOptions = {}): Promise<number> {
  // Complete or not at all (atomic-write.ts): an interrupted run leaves no half file.
  return writeAtomically(path, async (tmp) => {
    const ws = createWriteStream(tmp);
    let n = 0;
    let chunk = syntheticBookBanner(options) + "\n";
    for (const l of syntheticBookLines(options)) {
      n++;
      chunk += l + "\n";
      if (chunk.length > 1 << 16) {
        if (!ws.write(chunk)) await once(ws, "drain");
        chunk = "";
      }
    }
    ws.end(chunk);
    await once(ws, "finish");
    return n;
  });
}
