// The ledger holds back marks whose equity changes nothing but "the latest
// equity" (ledger.ts QuietBand). That must not change a single figure: the
// same fills and marks, reported one by one or held back, give the same
// statistics and the same ledger snapshot, for long and short positions,
// with and without capital, at prices and sizes far beyond 2^53.
import { describe, expect, it } from "vitest";
import { Ledger } from "../../harness/ledger.ts";
import { RECORD_WORDS, SideCode } from "../../harness/abi.ts";
import { StatsCollector } from "../../harness/report/statistics.ts";
import { RunSeries } from "../../harness/report/run-series.ts";
import { put } from "../../harness/venue/i64.ts";

/** A small seeded generator (xorshift32), so each case is the same every run. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

interface Step {
  ts: bigint;
  fill?: { side: "buy" | "sell"; px: bigint; qty: bigint; fee: bigint };
  mark?: bigint;
}

/** A random walk of marks with fills now and then; `scale` multiplies prices, `lot` is the fill size. */
function walk(seed: number, steps: number, base: bigint, tick: bigint, lot: bigint): Step[] {
  const r = rng(seed);
  const out: Step[] = [];
  let px = base;
  let ts = 1_600_000_000_000_000_000n;
  for (let i = 0; i < steps; i++) {
    ts += BigInt(1 + Math.floor(r() * 400_000_000)); // up to 0.4 s apart: a few events per 1 s sampling interval
    px += BigInt(Math.floor(r() * 7) - 3) * tick;
    if (r() < 0.15) {
      const qty = lot * BigInt(1 + Math.floor(r() * 3));
      out.push({ ts, fill: { side: r() < 0.5 ? "buy" : "sell", px, qty, fee: BigInt(Math.floor(r() * 5) - 2) } });
    } else out.push({ ts, mark: px });
  }
  return out;
}

/** How marks reach the ledger: every one reported, markTo with the band, or markHeld on halves first (the engine's path). */
type Mode = "eager" | "band" | "halves";

function replay(steps: Step[], mode: Mode, capital: bigint | null, saved = false) {
  const quiet = mode !== "eager";
  // `saved`: the charts' series is kept too (a saved run, results/), and must come out the same.
  const series = saved ? new RunSeries() : undefined;
  const stats = new StatsCollector({ capital_1e9: capital, sampleNs: 1_000_000_000n, series });
  // Every state the drawdown tracker passes through (peak, its time, the fall under way), not only the deepest at the end.
  const tracker = (stats as unknown as { drawdown: object }).drawdown;
  const states: string[] = [];
  const onEquity = (ts: bigint, e: bigint) => {
    stats.onEquity(ts, e);
    const state = JSON.stringify(tracker, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    if (states[states.length - 1] !== state) states.push(state);
  };
  const ledger = new Ledger(
    quiet ? { onEquity, quietBand: () => stats.quietBand() } : { onEquity }, // no band: every mark is reported
  );
  const words = new BigInt64Array(steps.length * RECORD_WORDS);
  steps.forEach((s, i) => (words[i * RECORD_WORDS] = s.ts));
  stats.observeRecords(words, steps.length);
  const halves = new Int32Array(4);
  let held = 0;
  for (const s of steps) {
    if (s.fill) {
      const side = s.fill.side === "buy" ? SideCode.Buy : SideCode.Sell;
      ledger.applyFill(side, s.fill.px, s.fill.qty, s.fill.fee, s.ts);
      stats.onFill(s.ts, 1n, side, s.fill.px, s.fill.qty, s.fill.fee);
    } else if (mode === "halves") {
      put(halves, 0, s.mark!);
      put(halves, 2, s.ts);
      if (ledger.markHeld(halves, 0, halves, 2)) held++;
      else ledger.markTo(s.mark!, s.ts);
    } else ledger.markTo(s.mark!, s.ts);
  }
  const snapshot = ledger.snapshot(); // settles a held-back mark first, as the report does
  return { snapshot, states, stats: stats.summary(snapshot.net_pnl_1e9, steps[0].ts, steps[steps.length - 1].ts), points: series?.points(), held };
}

describe("marks held back in the quiet band", () => {
  const cases: Array<[string, bigint, bigint, bigint]> = [
    // name, start price (1e9), price step, fill size (1e8)
    ["ordinary prices", 100_000_000_000n, 10_000_000n, 100_000_000n],
    ["negative prices", -37_630_000_000n, 10_000_000n, 100_000_000n],
    ["prices and sizes beyond 2^53", 1n << 60n, 1n << 40n, 1n << 62n],
    // 1-unit steps: equity often lands exactly on the peak or the deepest point, the band's edges
    ["tiny integers", 100n, 1n, 1n],
  ];
  for (const [name, base, tick, lot] of cases)
    for (const capital of [null, 10_000_000_000_000n])
      it(`change no figure: ${name}, ${capital === null ? "no capital" : "with capital"}`, () => {
        for (const seed of [1, 2, 3, 4, 5]) {
          const steps = walk(seed, 3000, base, tick, lot);
          const eager = replay(steps, "eager", capital);
          expect(replay(steps, "band", capital)).toEqual(eager);
          expect({ ...replay(steps, "halves", capital), held: 0 }).toEqual(eager);
          expect(eager.stats.max_drawdown_1e9).not.toBe(0n); // the walk does fall: the band is exercised
        }
      });
  for (const [name, base, tick, lot] of cases)
    it(`change no point of a saved run's series: ${name}`, () => {
      for (const seed of [1, 2, 3]) {
        const steps = walk(seed, 3000, base, tick, lot);
        const eager = replay(steps, "eager", null, true);
        const halves = replay(steps, "halves", null, true);
        expect({ ...halves, held: 0 }).toEqual(eager);
        expect(eager.points!.length).toBeGreaterThan(100); // buckets merged at least once: 3000 events over ~10 min
        expect(halves.held).toBeGreaterThan(0); // the band is not switched off by the series
        expect(replay(steps, "band", null, true)).toEqual(eager);
      }
    });
});
