// Tests for the grid template: build the module once; replay a scripted book
// where every fill and every re-armed level was worked out by hand; then check
// a long synthetic run against an independent model of the ladder.
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
  runBacktest,
  toExactJson,
  type BacktestResult,
  type CompiledAlgo,
  type TickSource,
} from "sequence-algo";

const ENTRY = fileURLToPath(new URL("../assembly/algo.ts", import.meta.url));
const MAKER_BPS = 1n;
const TAKER_BPS = 5n;
const PX = 1_000_000_000n;
const QTY = 100_000_000n;

let algo: CompiledAlgo;
let base: BacktestResult;
let dir: string;

/** The template's default data: 1,000,000 seeded synthetic records, 1 ms apart (around $100, tick $0.01). */
const synthetic = (count = 1_000_000) => new SyntheticSource({ seed: 7, count });

async function backtest(params: string[] = [], source: TickSource = synthetic(), latencyNs = 0n, capitalUsd_1e9?: bigint): Promise<BacktestResult> {
  const { result } = await runBacktest({
    module: algo.module,
    source,
    params: Params.parse(params),
    fees: new BpsFees(Number(MAKER_BPS), Number(TAKER_BPS)),
    latency: new ConstantLatency(latencyNs),
    capitalUsd_1e9,
  });
  return result;
}

/** A quotes CSV, one quote a second: [bid, ask, size shown on each side (default 10)]. */
async function book(name: string, quotes: Array<[string, string, number?]>): Promise<TickSource> {
  const rows = ["ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side"];
  quotes.forEach(([bid, ask, shown = 10], i) => rows.push(`${(i + 1) * 1_000_000_000},quote,${bid},${shown},${ask},${shown},,,`));
  const file = path.join(dir, name);
  await writeFile(file, rows.join("\n") + "\n");
  return openSource(file);
}

const fills = (r: BacktestResult) => r.fill_log.map((f) => [Number(f.ts_ns / PX), f.side, Number(f.price_1e9) / 1e9, Number(f.qty_1e8) / 1e8]);

/** Position after each fill (qty 1e8). */
function positions(r: BacktestResult): bigint[] {
  let pos = 0n;
  return r.fill_log.map((f) => (pos += f.side === "buy" ? f.qty_1e8 : -f.qty_1e8));
}

/**
 * The ladder again, independently: `levels` buys below `center` and sells
 * above, `step` apart; a buy filled at P arms a sell at P + step, a sell at P
 * a buy at P − step. Every fill must take an order this model has resting.
 */
function replayLadder(r: BacktestResult, center: bigint, step: bigint, levels: number): void {
  const resting = new Map<bigint, "buy" | "sell">();
  for (let i = 1; i <= levels; i++) {
    resting.set(center - BigInt(i) * step, "buy");
    resting.set(center + BigInt(i) * step, "sell");
  }
  const top = center + BigInt(levels) * step;
  const bottom = center - BigInt(levels) * step;
  for (const [n, f] of r.fill_log.entries()) {
    expect(resting.get(f.price_1e9), `fill ${n}: ${f.side} @ ${f.price_1e9}`).toBe(f.side);
    resting.delete(f.price_1e9);
    const next = f.side === "buy" ? f.price_1e9 + step : f.price_1e9 - step;
    if (next >= bottom && next <= top) resting.set(next, f.side === "buy" ? "sell" : "buy");
  }
}

// Compiling takes seconds on a busy machine: more than a hook's default 10 s.
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "grid-"));
  algo = await compileAlgo(ENTRY);
  base = await backtest();
}, 120_000);

describe("grid", () => {
  it("builds to a module that implements the callbacks it uses, with the documented defaults", () => {
    expect(algo.callbacks).toEqual(["on_start", "on_quote", "on_fill", "on_order", "on_stop"]);
    expect(base.params).toEqual({
      levels: { value: "5", default: true },
      size: { value: "1", default: true },
      step_bps: { value: "100", default: true },
      tick: { value: "0.01", default: true },
    });
    expect(base.unused_params).toEqual([]);
  });

  it("re-arms the opposite level one step away after every fill, worked by hand", async () => {
    // levels 2, step 1% of the center 100.00 = 1.00: buys at 99, 98 and sells at 101, 102.
    const source = await book("scripted.csv", [
      ["99.99", "100.01"], //  1 s: center 100.00, the ladder goes out
      ["98.99", "99.00"], //   2 s: the ask comes down onto 99: bought 1 @ 99, a sell armed at 100
      ["100.00", "100.01"], // 3 s: the bid comes up onto 100: sold 1 @ 100, a buy armed at 99 again
      ["97.99", "98.00"], //   4 s: the ask falls through 99 onto 98: bought @ 99, then @ 98 (best price first);
      //                            sells armed at 100 and at 99; position 2 = levels·size, no buy left
      ["96.00", "96.01"], //   5 s: nothing below 98
      ["101.00", "101.01"], // 6 s: the bid rises through 99, 100 onto 101: sold @ 99, 100, 101; buys armed at 98, 99, 100
      ["103.00", "103.01"], // 7 s: sold @ 102; a buy armed at 101; position −2
    ]);
    const r = await backtest(["levels=2"], source);
    expect(fills(r)).toEqual([
      [2, "buy", 99, 1],
      [3, "sell", 100, 1],
      [4, "buy", 99, 1],
      [4, "buy", 98, 1],
      [6, "sell", 99, 1],
      [6, "sell", 100, 1],
      [6, "sell", 101, 1],
      [7, "sell", 102, 1],
    ]);
    expect(r.logs.map((l) => l.message)).toEqual([
      "grid: 2 buys from 99.0 down to 98.0, 2 sells from 101.0 up to 102.0, step 1.0, size 1.0",
      "bought 1.0 @ 99.0; re-arming sell @ 100.0; position 1.0",
      "sold 1.0 @ 100.0; re-arming buy @ 99.0; position 0.0",
      "bought 1.0 @ 99.0; re-arming sell @ 100.0; position 1.0",
      "bought 1.0 @ 98.0; re-arming sell @ 99.0; position 2.0",
      "sold 1.0 @ 99.0; re-arming buy @ 98.0; position 1.0",
      "sold 1.0 @ 100.0; re-arming buy @ 99.0; position 0.0",
      "sold 1.0 @ 101.0; re-arming buy @ 100.0; position -1.0",
      "sold 1.0 @ 102.0; re-arming buy @ 101.0; position -2.0",
      "stop: 8 fills; position -2.0 left open (unrealized PnL); cancelling 4 resting orders",
    ]);
    // Three round trips of one step each: 99→100, 99→100 and 98→99 (the ledger's average cost
    // gives 1 + 0.5 + 1.5 for the same total). The short 2 from 101 and 102 is open.
    expect(r.pnl.realized_pnl_1e9).toBe(3n * PX);
    expect(r.pnl.position_1e8).toBe(-2n * QTY);
    // 4 at start + 8 re-armed after fills; the 4 buys resting at the end are cancelled by onStop.
    expect(r.orders).toEqual({ placed: 12, accepted: 12, cancelled: 4, rejected: {}, open_at_end: 0 });
    expect(r.fills).toEqual({ count: 8, maker: 8, taker: 0 });
    // Maker fee 1 bp, e.g. 1 @ 99.00 → $0.0099.
    expect(r.fill_log[0].fee_1e9).toBe(9_900_000n);
  });

  it("re-arms after a partly filled order is filled in full, not before", async () => {
    // levels 1, size 2: a buy of 2 at 99 and a sell of 2 at 101.
    const source = await book("partial.csv", [
      ["99.99", "100.01"],
      ["98.99", "99.00", 1], // 2 s: only 1 shown at 99: bought 1 of 2, nothing re-armed yet
      ["98.98", "98.99", 1], // 3 s: a new ask level (the 1 at 99.00 was taken): the other 1, the buy is done, a sell of 2 is armed at 100
      ["100.00", "100.01"], //  4 s: sold 2 @ 100, a buy of 2 armed at 99
    ]);
    const r = await backtest(["levels=1", "size=2"], source);
    expect(fills(r)).toEqual([
      [2, "buy", 99, 1],
      [3, "buy", 99, 1],
      [4, "sell", 100, 2],
    ]);
    expect(r.logs.slice(1, 3).map((l) => [Number(l.ts_ns / PX), l.message])).toEqual([
      [3, "bought 2.0 @ 99.0; re-arming sell @ 100.0; position 2.0"],
      [4, "sold 2.0 @ 100.0; re-arming buy @ 99.0; position 0.0"],
    ]);
    expect(r.pnl.realized_pnl_1e9).toBe(2n * PX);
  });

  it("with a capital (a spot account) sells only what it holds; a level refused for funds waits for the next fill", async () => {
    // levels 2, step 1.00 around 100.00; $150 of cash. The venue sets aside the larger fee (taker 5 bp).
    const source = await book("capital.csv", [
      ["99.99", "100.01"], //  1 s: buy @ 98 ($98.049) accepted; buy @ 99 ($99.0495 more) refused: insufficient funds.
      //                            No sells: nothing is held.
      ["99.98", "100.02"], //  2 s: a quote, no fill: the refused level is not sent again (it would be refused again)
      ["97.99", "98.00"], //   3 s: bought 1 @ 98 (fee $0.0098): cash 51.9902; a sell armed at 99, which 1 held covers
      ["99.00", "99.01"], //   4 s: sold 1 @ 99 (fee $0.0099): cash 150.9803; a buy armed at 98 again
    ]);
    const r = await backtest(["levels=2"], source, 0n, 150n * PX);
    expect(fills(r)).toEqual([
      [3, "buy", 98, 1],
      [4, "sell", 99, 1],
    ]);
    // Sent: buy 98, buy 99 (refused), sell 99, buy 98; the buy resting at the end is cancelled by onStop.
    expect(r.orders).toEqual({ placed: 4, accepted: 3, cancelled: 1, rejected: { insufficient_funds: 1 }, open_at_end: 0 });
    expect(r.pnl.realized_pnl_1e9).toBe(PX);
    expect(r.account?.cash_1e9).toBe(150_980_300_000n); // 150 − 98 − 0.0098 + 99 − 0.0099
    expect(r.logs[0].message).toMatch(/; a spot account: each sell is armed by a filled buy$/);
  });

  it("rounds the step up to the tick: 0.5 bp of 100.00 is 0.005, so one tick", async () => {
    const source = await book("fine.csv", [
      ["99.99", "100.01"],
      ["99.97", "99.99"], // bought @ 99.99, sell armed at 100.00
    ]);
    const r = await backtest(["levels=3", "step_bps=0.5"], source);
    expect(r.logs[0].message).toBe("grid: 3 buys from 99.99 down to 99.97, 3 sells from 100.01 up to 100.03, step 0.01, size 1.0");
    expect(r.logs[1].message).toBe("bought 1.0 @ 99.99; re-arming sell @ 100.0; position 1.0");
  });

  it("on synthetic ticks: every fill takes an order the ladder model has resting, as maker", () => {
    // Center: the first mid (100.00 for this seed); step 1% = 1.00.
    expect(base.logs[0].message).toBe("grid: 5 buys from 99.0 down to 95.0, 5 sells from 101.0 up to 105.0, step 1.0, size 1.0");
    expect(base.fills.count).toBeGreaterThan(10);
    expect(base.fills.maker).toBe(base.fills.count);
    replayLadder(base, 100n * PX, PX, 5);
    expect(base.orders.rejected).toEqual({});
    expect(base.orders.open_at_end).toBe(0);
  });

  it("never holds more than levels·size either way", async () => {
    const path5 = positions(base);
    expect(path5.every((p) => p <= 5n * QTY && p >= -5n * QTY)).toBe(true);
    // A tight ladder (2 levels of 0.2 bp → one tick) fills often and reaches both limits.
    const tight = await backtest(["levels=2", "step_bps=0.2", "size=0.5"], synthetic(100_000));
    const path2 = positions(tight);
    expect(path2.length).toBeGreaterThan(50);
    expect(path2.reduce((m, p) => (p > m ? p : m), 0n)).toBe(QTY);
    expect(path2.reduce((m, p) => (p < m ? p : m), 0n)).toBe(-QTY);
    replayLadder(tight, 100n * PX, 10_000_000n, 2);
  });

  it("keeps the ladder with order latency, when quotes move before orders arrive", async () => {
    const slow = await backtest(["levels=3", "step_bps=2"], synthetic(200_000), 1_000_000n);
    expect(slow.fills.count).toBeGreaterThan(50);
    expect(positions(slow).every((p) => p <= 3n * QTY && p >= -3n * QTY)).toBe(true);
    replayLadder(slow, 100n * PX, 20_000_000n, 3);
    expect(slow.orders.open_at_end).toBe(0);
  });

  it("charges the maker fee on every fill: qty·px·bps/1e4, rounded up to 1e-9 USD", () => {
    for (const f of base.fill_log) expect(f.fee_1e9).toBe((f.qty_1e8 * f.price_1e9 * MAKER_BPS + 10n ** 12n - 1n) / 10n ** 12n);
    expect(base.pnl.fees_1e9).toBe(base.fill_log.reduce((s, f) => s + f.fee_1e9, 0n));
  });

  it("is deterministic: two runs give identical reports", async () => {
    expect(toExactJson(await backtest())).toBe(toExactJson(base));
  });

  it("refuses nonsense parameters", async () => {
    await expect(backtest(["levels=0"])).rejects.toThrow(AlgoTrap);
    await expect(backtest(["levels=0"])).rejects.toThrow(/levels must be in 1\.\.100/);
    await expect(backtest(["step_bps=0"])).rejects.toThrow(/step_bps must be > 0/);
    // 100 levels of 1% below 100.00 would reach 0.
    await expect(backtest(["levels=100"], synthetic(10))).rejects.toThrow(/lowest level would be at or below zero/);
  });
});
