// Tests for the momentum template: build the module once; replay scripted
// prices where each entry and exit was worked out by hand, at its bar and
// price; then run it on the bundled REAL S&P 500 daily bars against an
// independent exact re-implementation of the rule.
import { readFileSync } from "node:fs";
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
  compileAlgo,
  isoNs,
  openSource,
  parseFixed,
  runBacktest,
  sp500Path,
  sp500Source,
  toExactJson,
  type BacktestResult,
  type CompiledAlgo,
  type TickSource,
} from "sequence-algo";

const ENTRY = fileURLToPath(new URL("../assembly/algo.ts", import.meta.url));
const TAKER_BPS = 1n;

let algo: CompiledAlgo;
let base: BacktestResult;
let dir: string;
/** The S&P 500 closes in order: [date, close USD 1e9], parsed exactly from the CSV text. */
let closes: Array<[string, bigint]>;
/** The opens, in the same order. */
let opens: bigint[];

async function backtest(params: string[] = [], source?: TickSource, latencyNs = 0n): Promise<BacktestResult> {
  const { result } = await runBacktest({
    module: algo.module,
    source: source ?? (await sp500Source()),
    params: Params.parse(params),
    fees: new BpsFees(0, Number(TAKER_BPS)),
    latency: new ConstantLatency(latencyNs),
  });
  return result;
}

/** One trade a second at each price (a bar's close). */
async function bars(name: string, prices: string[]): Promise<TickSource> {
  const rows = ["ts_ns,price,qty,side", ...prices.map((p, i) => `${(i + 1) * 1_000_000_000},${p},1,buy`)];
  const file = path.join(dir, name);
  await writeFile(file, rows.join("\n") + "\n");
  return openSource(file);
}

/** "1455.219971" → 1_455_219_971_000n (exact, 9 decimals). */
const px = (text: string): bigint => parseFixed(text, 9);

/** The UTC day of a timestamp: "2020-03-16". */
const day = (tsNs: bigint) => isoNs(tsNs).slice(0, 10);
/** [bar number (1-based), side, price] of each fill of a scripted run. */
const fills = (r: BacktestResult) => r.fill_log.map((f) => [Number(f.ts_ns / 1_000_000_000n), f.side, Number(f.price_1e9) / 1e9]);
const trades = (r: BacktestResult) => r.fill_log.map((f) => `${day(f.ts_ns)} ${f.side}`);

/**
 * The rule again, independently, in exact integers: the channel of the
 * `window` closes before today; a market order sent on a close fills at the
 * next day's open (the entry price the exits measure from); exits compare
 * the close·1e4 with entry·(1e4 ∓ bps), no rounding anywhere. Returns
 * "date side" per fill (an order sent on the last day never fills).
 */
function reference(window: number, stopBps: bigint, takeBps: bigint, allowShort: boolean): string[] {
  const out: string[] = [];
  let pos = 0;
  let entry = 0n;
  closes.forEach(([, p], i) => {
    if (i + 1 >= closes.length) return; // no next open to fill at
    const next = closes[i + 1][0];
    if (pos === 0) {
      if (i < window) return;
      const prior = closes.slice(i - window, i).map(([, c]) => c);
      const high = prior.reduce((a, b) => (b > a ? b : a));
      const low = prior.reduce((a, b) => (b < a ? b : a));
      if (p > high) (out.push(`${next} buy`), (pos = 1), (entry = opens[i + 1]));
      else if (allowShort && p < low) (out.push(`${next} sell`), (pos = -1), (entry = opens[i + 1]));
    } else if (pos > 0) {
      if (p * 10_000n <= entry * (10_000n - stopBps) || p * 10_000n >= entry * (10_000n + takeBps)) (out.push(`${next} sell`), (pos = 0));
    } else if (p * 10_000n >= entry * (10_000n + stopBps) || p * 10_000n <= entry * (10_000n - takeBps)) (out.push(`${next} buy`), (pos = 0));
  });
  return out;
}

/** Position after each fill. */
function positions(r: BacktestResult): bigint[] {
  let pos = 0n;
  return r.fill_log.map((f) => (pos += f.side === "buy" ? f.qty_1e8 : -f.qty_1e8));
}

// Compiling takes seconds on a busy machine: more than a hook's default 10 s.
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "momentum-"));
  const csv = readFileSync(sp500Path(), "utf8").trim().split("\n");
  expect(csv[0]).toBe("date,open,high,low,close,adjclose,volume");
  const rows = csv.slice(1).map((line) => line.split(","));
  closes = rows.map((c) => [c[0], px(c[4])]);
  opens = rows.map((c) => px(c[1]));
  algo = await compileAlgo(ENTRY);
  base = await backtest();
}, 120_000);

describe("momentum", () => {
  it("builds, and runs over every S&P 500 bar with the documented defaults", () => {
    expect(algo.callbacks).toEqual(["on_start", "on_trade", "on_bar", "on_fill", "on_order", "on_stop"]);
    expect(base.data.bars).toBe(closes.length); // 5,105 bars
    expect(base.data.trades).toBe(4 * closes.length); // each replayed as four prints
    expect(base.params).toEqual({
      allow_short: { value: "0", default: true },
      size: { value: "1", default: true },
      stop_bps: { value: "500", default: true },
      take_bps: { value: "1000", default: true },
      window: { value: "20", default: true },
    });
    expect(base.unused_params).toEqual([]);
  });

  it("enters on a breakout and leaves at the stop-loss and at the take-profit, each at the bar and price worked by hand", async () => {
    // window 3, stop 2%, take 3%.
    const source = await bars("long.csv", [
      "100", "101", "102", // 1-3: warm-up
      "101.5", //  4: not above the high of bars 1-3 (102)
      "102.5", //  5: above 102 → buy @ 102.5; stop 102.5·0.98 = 100.45, take 102.5·1.03 = 105.575
      "104", //    6: between the two
      "100.46", // 7: one cent above the stop
      "100.45", // 8: exactly the stop → sell @ 100.45, pnl −2.05
      "103", //    9: not above the high of bars 6-8 (104)
      "103.5", // 10: above the high of bars 7-9 (103) → buy @ 103.5; stop 101.43, take 106.605
      "106.6", // 11: half a cent short of the take
      "106.605", // 12: exactly the take → sell @ 106.605, pnl 3.105
      "106", //   13: not above the high of bars 10-12
    ]);
    const r = await backtest(["window=3", "stop_bps=200", "take_bps=300"], source);
    expect(fills(r)).toEqual([
      [5, "buy", 102.5],
      [8, "sell", 100.45],
      [10, "buy", 103.5],
      [12, "sell", 106.605],
    ]);
    expect(r.logs.map((l) => l.message)).toEqual([
      "enter long 1.0 @ 102.5 (above the 3-bar high 102.0); stop 100.45, take 105.575",
      "stop-loss: exit long 1.0 @ 100.45, pnl -2.05",
      "enter long 1.0 @ 103.5 (above the 3-bar high 103.0); stop 101.43, take 106.605",
      "take-profit: exit long 1.0 @ 106.605, pnl 3.105",
      "stop: 1 stop-losses, 1 take-profits; flat",
    ]);
    expect(r.pnl.realized_pnl_1e9).toBe(1_055_000_000n); // −2.05 + 3.105
    // Taker fee 1 bp on each, rounded up: 102.5 → $0.01025, 100.45 → $0.010045.
    expect(r.fill_log.slice(0, 2).map((f) => f.fee_1e9)).toEqual([10_250_000n, 10_045_000n]);
  });

  it("shorts a breakdown with allow_short, and stops out above the entry", async () => {
    const source = await bars("short.csv", [
      "100", "99", "98",
      "98.5", //  4: not below the low (98)
      "97.5", //  5: below 98 → sell @ 97.5; stop 97.5·1.02 = 99.45, take 97.5·0.97 = 94.575
      "99.44", // 6
      "99.45", // 7: exactly the stop → buy @ 99.45, pnl −1.95
    ]);
    const r = await backtest(["window=3", "stop_bps=200", "take_bps=300", "allow_short=true"], source);
    expect(fills(r)).toEqual([
      [5, "sell", 97.5],
      [7, "buy", 99.45],
    ]);
    expect(r.logs[0].message).toBe("enter short 1.0 @ 97.5 (below the 3-bar low 98.0); stop 99.45, take 94.575");
    expect(r.logs[1].message).toBe("stop-loss: exit short 1.0 @ 99.45, pnl -1.95");
    // Long-only by default: the same prices give no trade.
    expect((await backtest(["window=3"], await bars("short-2.csv", ["100", "99", "98", "98.5", "97.5"]))).fills.count).toBe(0);
  });

  it("says what it still holds at the end", async () => {
    const r = await backtest(["window=2"], await bars("held.csv", ["100", "101", "102"]));
    expect(r.logs.at(-1)?.message).toBe(
      "stop: 0 stop-losses, 0 take-profits; still long 1.0 from 102.0 (stop 96.9, take 112.2), reported as unrealized PnL",
    );
  });

  it("on the S&P 500 bars: decides on the close, fills at the next open, exactly as an exact re-implementation", async () => {
    expect(base.fills.count).toBeGreaterThan(50);
    expect(trades(base)).toEqual(reference(20, 500n, 1000n, false));
    const openOf = new Map(closes.map(([date], i) => [date, opens[i]]));
    for (const f of base.fill_log) expect(f.price_1e9).toBe(openOf.get(day(f.ts_ns)));
    // Two by hand from the CSV: the first 20-day high broken is 1409.170044, by 2000-03-16's close (1458.469971);
    // the buy fills at 2000-03-17's open, 1458.469971. 5% below that entry, 1385.54647245, is first closed below
    // on 2000-04-14 (1356.560059); the sell fills at 2000-04-17's open, 1356.560059.
    expect(base.logs.slice(0, 2).map((l) => `${day(l.ts_ns)} ${l.message}`)).toEqual([
      "2000-03-17 enter long 1.0 @ 1458.469971 (above the 20-bar high 1409.170044); stop 1385.54647245, take 1604.3169681",
      "2000-04-17 stop-loss: exit long 1.0 @ 1356.560059, pnl -101.909912",
    ]);
    const other = await backtest(["window=50", "stop_bps=300", "take_bps=600", "allow_short=true"]);
    expect(trades(other)).toEqual(reference(50, 300n, 600n, true));
    expect(positions(other).some((p) => p < 0n)).toBe(true);
  });

  it("keeps the position within ±size, and its exit logs add up to the realized PnL", () => {
    expect(positions(base).every((p) => p === 0n || p === 100_000_000n)).toBe(true);
    const pnls = base.logs.filter((l) => / exit /.test(l.message)).map((l) => l.message.split("pnl ")[1]);
    const sum = pnls.reduce((s, t) => s + (t.startsWith("-") ? -px(t.slice(1)) : px(t)), 0n);
    expect(sum).toBe(base.pnl.realized_pnl_1e9);
    expect(base.logs.filter((l) => l.message.startsWith("stop-loss")).length).toBeGreaterThan(5);
    expect(base.logs.filter((l) => l.message.startsWith("take-profit")).length).toBeGreaterThan(5);
    expect(base.logs_dropped).toBe(0);
  });

  it("is deterministic: two runs give identical reports", async () => {
    expect(toExactJson(await backtest())).toBe(toExactJson(base));
  });

  it("refuses nonsense parameters", async () => {
    await expect(backtest(["window=0"])).rejects.toThrow(AlgoTrap);
    await expect(backtest(["window=0"])).rejects.toThrow(/window must be in 1\.\.1000000/);
    await expect(backtest(["stop_bps=0"])).rejects.toThrow(/stop_bps must be in \(0, 10000\)/);
    await expect(backtest(["take_bps=10000"])).rejects.toThrow(/take_bps must be in \(0, 10000\)/);
  });
});
