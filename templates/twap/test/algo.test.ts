// Tests for the twap template: build the module once; replay a scripted book
// where every slice, catch-up and the deadline were worked out by hand; then
// check the schedule on seeded synthetic ticks against the rule, with and
// without order latency.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AlgoTrap,
  BpsFees,
  ConstantLatency,
  Params,
  SyntheticSource,
  compileAlgo,
  openSource,
  parseFixed,
  runBacktest,
  toExactJson,
  type BacktestResult,
  type CompiledAlgo,
  type TickSource,
} from "sequence-algo";

const ENTRY = fileURLToPath(new URL("../assembly/algo.ts", import.meta.url));
const MAKER_BPS = 1n;
const TAKER_BPS = 5n;
const S = 1_000_000_000n; // ns per second
const T0 = 1_704_205_800_000_000_000n; // 2024-01-02T14:30:00Z, where the synthetic ticks start

let algo: CompiledAlgo;
let base: BacktestResult;
let dir: string;

/** 200,000 seeded synthetic records, 1 ms apart (200 s; quotes + trades around $100, tick $0.01). */
const synthetic = () => new SyntheticSource({ seed: 7, count: 200_000 });

async function backtest(params: string[] = [], source: TickSource = synthetic(), latencyNs = 0n): Promise<BacktestResult> {
  const { result } = await runBacktest({
    module: algo.module,
    source,
    params: Params.parse(params),
    fees: new BpsFees(Number(MAKER_BPS), Number(TAKER_BPS)),
    latency: new ConstantLatency(latencyNs),
  });
  return result;
}

/** A quotes CSV: [seconds after T0, bid, ask], 10 units shown on each side. */
async function book(name: string, quotes: Array<[number, string, string]>): Promise<TickSource> {
  const rows = ["ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side"];
  for (const [s, bid, ask] of quotes) rows.push(`${T0 + BigInt(Math.round(s * 1000)) * 1_000_000n},quote,${bid},10,${ask},10,,,`);
  const file = path.join(dir, name);
  await writeFile(file, rows.join("\n") + "\n");
  return openSource(file);
}

/** A fill as [seconds after T0 (3 decimals), side, price, qty, liquidity]. */
const fills = (r: BacktestResult) =>
  r.fill_log.map((f) => [Number(f.ts_ns - T0) / 1e9, f.side, Number(f.price_1e9) / 1e9, Number(f.qty_1e8) / 1e8, f.liquidity]);

/** Quantity done (1e8) by the fills at or before `ts`. */
const doneBy = (r: BacktestResult, ts: bigint) => r.fill_log.filter((f) => f.ts_ns <= ts).reduce((s, f) => s + f.qty_1e8, 0n);

/** The schedule by hand: target(k) = qty·(k+1)/n rounded down to the lot, the last one qty. */
function targets(qty: bigint, n: number, lot: bigint): bigint[] {
  return Array.from({ length: n }, (_, k) => (k === n - 1 ? qty : ((qty * BigInt(k + 1)) / BigInt(n) / lot) * lot));
}

/**
 * The rule on a run with `n` slices over the default 120 s: exactly the parent
 * (10) in the end; before slice k+1 starts no more than target(k) is done, and
 * once it has started (its catch-up fills at once) at least target(k).
 */
function expectOnSchedule(r: BacktestResult, n: number): void {
  const qty = 1_000_000_000n;
  const start = r.data.first_ts_ns!;
  const at = (k: number) => start + (120n * S * BigInt(k)) / BigInt(n);
  const target = targets(qty, n, 1_000_000n);
  expect(r.pnl.position_1e8).toBe(qty);
  for (let k = 0; k < n; k++) {
    expect(doneBy(r, at(k + 1) - 1n), `before slice ${k + 1}`).toBeLessThanOrEqual(target[k]);
    expect(doneBy(r, at(k + 1)), `at slice ${k + 1}`).toBeGreaterThanOrEqual(target[k]);
  }
  expect(r.fill_log.at(-1)!.ts_ns).toBeLessThanOrEqual(at(n)); // the deadline
  expect(r.orders.open_at_end).toBe(0);
}

// Compiling takes seconds on a busy machine: more than a hook's default 10 s.
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "twap-"));
  algo = await compileAlgo(ENTRY);
  base = await backtest();
}, 120_000);

describe("twap", () => {
  it("builds to a module that implements the callbacks it uses, with the documented defaults", () => {
    expect(algo.callbacks).toEqual(["on_start", "on_quote", "on_trade", "on_fill", "on_order", "on_timer", "on_stop"]);
    expect(base.params).toEqual({
      horizon_s: { value: "120", default: true },
      lot: { value: "0.01", default: true },
      passive: { value: "1", default: true },
      qty: { value: "10", default: true },
      sell: { value: "0", default: true },
      slices: { value: "12", default: true },
    });
    expect(base.unused_params).toEqual([]);
  });

  it("works a hand-scripted book: passive slices, a catch-up after a missed slice, the rest at the deadline", async () => {
    // qty 4 in 4 slices over 4 s, lot 1: targets 1, 2, 3, 4; slices at 0, 1, 2, 3 s; deadline 4 s.
    // A timer at t fires before the first quote later than t, so it sees the book as of then.
    const source = await book("scripted.csv", [
      [0.0, "100.00", "100.02"], // start. slice 0: post buy 1 @ 100.00 (the bid)
      [0.5, "99.98", "100.00"], //  the ask comes down onto it: filled 1 @ 100.00 (maker)          done 1
      [0.8, "99.98", "100.00"], //  1 s, slice 1: on schedule; post buy 1 @ 99.98
      [1.2, "100.01", "100.03"], // the market moves away: not filled
      [1.5, "100.01", "100.03"], // 2 s, slice 2: cancel the child; behind by target(1) − 1 = 1:
      //                            buy 1 at market → 100.03 (taker)                              done 2
      //                            and post slice 2's own 1 @ 100.01
      [2.5, "99.99", "100.01"], //  filled 1 @ 100.01 (maker)                                       done 3
      [2.8, "99.99", "100.01"], //  3 s, slice 3: on schedule; post buy 1 @ 99.99
      [3.5, "100.05", "100.07"], // not filled
      [4.5, "100.05", "100.07"], // 4 s, deadline: cancel the child, buy the last 1 at market → 100.07
    ]);
    const r = await backtest(["qty=4", "slices=4", "horizon_s=4", "lot=1"], source);
    expect(fills(r)).toEqual([
      [0.5, "buy", 100.0, 1, "maker"],
      [2, "buy", 100.03, 1, "taker"],
      [2.5, "buy", 100.01, 1, "maker"],
      [4, "buy", 100.07, 1, "taker"],
    ]);
    // 4 passive children (2 cancelled unfilled) and 2 market orders.
    expect(r.orders).toEqual({ placed: 6, accepted: 6, cancelled: 2, rejected: {}, open_at_end: 0 });
    expect(r.pnl.position_1e8).toBe(400_000_000n);
    expect(r.logs.map((l) => [Number(l.ts_ns - T0) / 1e9, l.message])).toEqual([
      [0, "twap: buy 4.0 in 4 slices over 4 s"],
      [2, "slice 2: behind by 1.0, catching up at market"],
      [4, "deadline: 1.0 left, sending it at market"],
      // (100.00 + 100.03 + 100.01 + 100.07) / 4 = 100.0275
      [4, "done: bought 4.0 at an average 100.0275, last fill 4 s after the start"],
    ]);
    // Fees by hand: maker 1 bp of $100.00 = $0.0100 and of $100.01 = $0.010001;
    // taker 5 bp of $100.03 = $0.050015 and of $100.07 = $0.050035.
    expect(r.fill_log.map((f) => f.fee_1e9)).toEqual([10_000_000n, 50_015_000n, 10_001_000n, 50_035_000n]);
  });

  it("sells the same way, with the near touch the ask", async () => {
    const source = await book("scripted-sell.csv", [
      [0.0, "100.00", "100.02"], // slice 0: post sell 2 @ 100.02
      [0.5, "100.02", "100.04"], // the bid comes up onto it: filled 2 @ 100.02
      [1.5, "100.02", "100.04"], // 1 s, slice 1 (the last): post sell 2 @ 100.04
      [2.5, "99.90", "99.92"], //   2 s, deadline: cancel, sell 2 at market → the bid as of then, 100.02
    ]);
    const r = await backtest(["qty=4", "slices=2", "horizon_s=2", "sell=true"], source);
    expect(fills(r)).toEqual([
      [0.5, "sell", 100.02, 2, "maker"],
      [2, "sell", 100.02, 2, "taker"],
    ]);
    expect(r.pnl.position_1e8).toBe(-400_000_000n);
  });

  it("sends every slice at market with passive=false, targets rounded down to the lot", async () => {
    // qty 10 in 3 slices, lot 0.01: targets 3.33, 6.66, 10 → slices of 3.33, 3.33, 3.34 at 0, 1, 2 s.
    expect(targets(1_000_000_000n, 3, 1_000_000n)).toEqual([333_000_000n, 666_000_000n, 1_000_000_000n]);
    const source = await book("scripted-market.csv", [
      [0.0, "100.00", "100.02"],
      [0.5, "100.01", "100.03"],
      [1.5, "100.02", "100.04"],
      [2.5, "100.03", "100.05"],
    ]);
    const r = await backtest(["qty=10", "slices=3", "horizon_s=3", "passive=false"], source);
    expect(fills(r)).toEqual([
      [0, "buy", 100.02, 3.33, "taker"],
      [1, "buy", 100.03, 3.33, "taker"],
      [2, "buy", 100.04, 3.34, "taker"],
    ]);
  });

  it("on synthetic ticks, defaults: every slice filled passively, on schedule, the parent done by the deadline", () => {
    expectOnSchedule(base, 12);
    expect(base.fills).toEqual({ count: 12, maker: 12, taker: 0 }); // one child per slice, each filled in full as maker
    expect(base.orders).toEqual({ placed: 12, accepted: 12, cancelled: 0, rejected: {}, open_at_end: 0 });
    expect(base.logs.at(-1)?.message).toMatch(/^done: bought 10\.0 at an average \d+\.\d+, last fill \d+(\.\d+)? s after the start$/);
    // Fees: maker 1 bp on every fill, rounded up to 1e-9 USD.
    for (const f of base.fill_log) expect(f.fee_1e9).toBe((f.qty_1e8 * f.price_1e9 * MAKER_BPS + 10n ** 12n - 1n) / 10n ** 12n);
  });

  it("on synthetic ticks, 1 s slices: missed slices are caught up at market at the next one", async () => {
    const fine = await backtest(["slices=120"]);
    expectOnSchedule(fine, 120);
    const catchUps = fine.logs.filter((l) => / behind by /.test(l.message));
    expect(catchUps.length).toBeGreaterThan(1);
    // The last slice was missed too: its quantity went at market at the deadline.
    expect(fine.logs.filter((l) => l.message.startsWith("deadline: ")).map((l) => l.ts_ns)).toEqual([fine.data.first_ts_ns! + 120n * S]);
    expect(fine.fills.taker).toBe(catchUps.length + 1); // one market order per catch-up, filled at once
    expect(fine.orders.rejected).toEqual({});
  });

  it("logs the average price of the fills: Σ qty·px / Σ qty, rounded half-even at 1e-9", () => {
    const notional = base.fill_log.reduce((s, f) => s + f.qty_1e8 * f.price_1e9, 0n); // USD at 1e17
    const qty = base.pnl.position_1e8;
    let avg = notional / qty;
    const twice = 2n * (notional % qty);
    if (twice > qty || (twice === qty && avg % 2n === 1n)) avg += 1n;
    const text = base.logs.at(-1)!.message.match(/average (\S+),/)![1];
    expect(parseFixed(text, 9)).toBe(avg);
  });

  it("never overfills with order latency, when cancels race fills", async () => {
    // 1 ms to reach the venue (one synthetic step): a child being cancelled can still fill.
    const slow = await backtest(["slices=40"], synthetic(), 1_000_000n);
    expect(slow.pnl.position_1e8).toBe(1_000_000_000n);
    // Done by the deadline plus two latencies: the last child's cancel, then the rest at market.
    expect(slow.fill_log.at(-1)!.ts_ns).toBeLessThanOrEqual(slow.data.first_ts_ns! + 120n * S + 2n * 1_000_000n);
    expect(slow.orders.open_at_end).toBe(0);
  });

  it("says what is left when the data ends before the deadline", async () => {
    // 200 s of data, a 1000 s horizon in 10 slices at market: slices 0 and 1 only (at 0 and 100 s).
    const short = await backtest(["horizon_s=1000", "slices=10", "passive=false"]);
    expect(short.pnl.position_1e8).toBe(200_000_000n);
    expect(short.logs.at(-1)?.message).toBe("stop: 2.0 of 10.0 done, 8.0 left undone; cancelling 0 open orders");
    expect(short.orders.open_at_end).toBe(0);
  });

  it("with order latency, finishes two latencies after the deadline: the child's cancel, then the rest", async () => {
    // 0.1 s latency; qty 2 in 2 slices over 2 s, lot 1.
    const source = await book("deadline-latency.csv", [
      [0.0, "100.00", "100.02"], //  slice 0: buy 1 @ 100.00 sent, rests from 0.1 s
      [0.5, "99.98", "100.00"], //   filled 1 @ 100.00
      [1.5, "100.01", "100.03"], //  1 s (book as of 0.5 s): slice 1, buy 1 @ 99.98, rests from 1.1 s; not filled
      [2.15, "100.05", "100.07"], // 2 s: deadline: cancel sent, confirmed at 2.1 s; buy 1 at market sent,
      [2.5, "100.05", "100.07"], //  arrives at 2.2 s and takes the ask as of then, 100.07
    ]);
    const r = await backtest(["qty=2", "slices=2", "horizon_s=2", "lot=1"], source, 100_000_000n);
    expect(fills(r)).toEqual([
      [0.5, "buy", 100.0, 1, "maker"],
      [2.2, "buy", 100.07, 1, "taker"],
    ]);
    expect(r.logs.map((l) => [Number(l.ts_ns - T0) / 1e9, l.message]).slice(1)).toEqual([
      [2.1, "deadline: 1.0 left, sending it at market"],
      [2.2, "done: bought 2.0 at an average 100.035, last fill 2.2 s after the start"],
    ]);
  });

  it("sends nothing after stop, when a cancel is confirmed only then (latency)", async () => {
    // 0.5 s latency: slice 0's child reaches the venue at 0.5 s; slice 1's timer at 1 s sends its
    // cancel, due at 1.5 s, but the data ends at 1.2 s. The cancel is confirmed after onStop.
    const source = await book("stop-latency.csv", [
      [0.0, "100.00", "100.02"],
      [0.6, "100.01", "100.03"],
      [1.2, "100.01", "100.03"],
    ]);
    const r = await backtest(["qty=4", "slices=4", "horizon_s=4", "lot=1"], source, 500_000_000n);
    expect(r.orders).toEqual({ placed: 1, accepted: 1, cancelled: 1, rejected: {}, open_at_end: 0 });
    expect(r.fills.count).toBe(0);
    expect(r.logs.at(-1)?.message).toBe("stop: 0.0 of 4.0 done, 4.0 left undone; cancelling 1 open orders");
  });

  it("is deterministic: two runs give identical reports", async () => {
    expect(toExactJson(await backtest())).toBe(toExactJson(base));
  });

  it("refuses nonsense parameters at start", async () => {
    await expect(backtest(["qty=0"])).rejects.toThrow(AlgoTrap);
    await expect(backtest(["qty=0"])).rejects.toThrow(/qty must be > 0/);
    await expect(backtest(["qty=1.005"])).rejects.toThrow(/qty must be a multiple of lot/);
    await expect(backtest(["slices=0"])).rejects.toThrow(/slices must be in 1\.\.100000/);
  });
});
