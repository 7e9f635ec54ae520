// Tests for the mean-reversion template, on the bundled REAL S&P 500 daily
// bars (2000-01-03..2020-04-17): it decides on each close (onBar) and its
// market order fills at the next day's open. Each fill is checked
// against the CSV itself, the trades against an independent re-implementation
// of the rule in plain TypeScript, and the PnL against a hand sum.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { AlgoTrap, BpsFees, Params, compileAlgo, isoNs, parseFixed, runBacktest, sp500Path, sp500Source, toExactJson, type BacktestResult, type CompiledAlgo } from "sequence-algo";

const ENTRY = fileURLToPath(new URL("../assembly/algo.ts", import.meta.url));
const TAKER_BPS = 1n;

let algo: CompiledAlgo;
let base: BacktestResult;
/** date (YYYY-MM-DD) → close, USD 1e9, parsed exactly from the CSV text. */
let closes: Map<string, bigint>;
/** date → open, USD 1e9. */
let opens: Map<string, bigint>;
/** date → the next trading date (none for the last). */
let nextDay: Map<string, string>;

async function backtest(params: string[] = []): Promise<BacktestResult> {
  const { result } = await runBacktest({
    module: algo.module,
    source: await sp500Source(),
    params: Params.parse(params),
    fees: new BpsFees(0, Number(TAKER_BPS)),
  });
  return result;
}

/** "1455.219971" → 1_455_219_971_000n, "-28.9" → -28_900_000_000n (exact, 9 decimals). */
const px = (text: string): bigint => parseFixed(text, 9);

/** The UTC day of a timestamp: "2020-03-16". */
const day = (tsNs: bigint) => isoNs(tsNs).slice(0, 10);

/** Position after each fill, replayed from the fill log. */
function positions(result: BacktestResult): bigint[] {
  let pos = 0n;
  return result.fill_log.map((f) => (pos += f.side === "buy" ? f.qty_1e8 : -f.qty_1e8));
}

/** Realized PnL by hand, USD 1e9: Σ over closed round trips of (exit − entry)·qty/1e8, with the sign of the position. */
function handRealized(result: BacktestResult): bigint {
  let total = 0n; // USD at 1e17
  let entry: { side: string; px: bigint } | null = null;
  for (const f of result.fill_log) {
    if (entry === null) entry = { side: f.side, px: f.price_1e9 };
    else {
      total += (entry.side === "buy" ? f.price_1e9 - entry.px : entry.px - f.price_1e9) * f.qty_1e8;
      entry = null;
    }
  }
  expect(total % 100_000_000n).toBe(0n); // whole-unit sizes: no rounding involved
  return total / 100_000_000n;
}

/**
 * The strategy again, independently: plain floating point over the CSV closes.
 * Returns "date buy|sell" for every order it would send, on the day of the
 * signal (each fills at the next day's open: see `filled`).
 * An entry needs the close at least `minEdgeBps` away from the mean.
 */
function reference(window: number, entryZ: number, exitZ: number, allowShort: boolean, minEdgeBps = 120): string[] {
  const out: string[] = [];
  const prices: number[] = [];
  let pos = 0;
  for (const [date, close] of closes) {
    const x = Number(close) / 1e9;
    prices.push(x);
    if (prices.length > window) prices.shift();
    if (prices.length < window) continue;
    const mean = prices.reduce((s, p) => s + p, 0) / window;
    const std = Math.sqrt(prices.reduce((s, p) => s + (p - mean) ** 2, 0) / window); // population
    const z = std === 0 ? 0 : (x - mean) / std;
    const paysFees = (Math.abs(x - mean) / x) * 1e4 >= minEdgeBps;
    if (pos === 0 && !paysFees) continue;
    if (pos === 0 && z < -entryZ) (out.push(`${date} buy`), (pos = 1));
    else if (pos === 0 && allowShort && z > entryZ) (out.push(`${date} sell`), (pos = -1));
    else if (pos > 0 && z > -exitZ) (out.push(`${date} sell`), (pos = 0));
    else if (pos < 0 && z < exitZ) (out.push(`${date} buy`), (pos = 0));
  }
  return out;
}

const trades = (result: BacktestResult) => result.fill_log.map((f) => `${day(f.ts_ns)} ${f.side}`);

/** The reference's orders as fills: each on the next trading day; one sent on the last day never fills. */
const filled = (orders: string[]) =>
  orders.flatMap((o) => {
    const [date, side] = o.split(" ");
    const next = nextDay.get(date);
    return next ? [`${next} ${side}`] : [];
  });

beforeAll(async () => {
  const csv = readFileSync(sp500Path(), "utf8").trim().split("\n");
  expect(csv[0]).toBe("date,open,high,low,close,adjclose,volume");
  const rows = csv.slice(1).map((line) => line.split(","));
  closes = new Map(rows.map((c) => [c[0], px(c[4])]));
  opens = new Map(rows.map((c) => [c[0], px(c[1])]));
  nextDay = new Map(rows.slice(0, -1).map((c, i) => [c[0], rows[i + 1][0]]));
  algo = await compileAlgo(ENTRY);
  base = await backtest();
});

describe("mean-reversion on the S&P 500 daily bars", () => {
  it("builds, and runs over every bar with the documented defaults", () => {
    expect(algo.callbacks).toEqual(["on_start", "on_trade", "on_bar", "on_fill", "on_order", "on_stop"]);
    expect(base.data.bars).toBe(closes.size); // 5,105 bars
    expect(base.data.trades).toBe(4 * closes.size); // each replayed as four prints
    expect(base.data.quotes).toBe(0);
    expect(base.params).toEqual({
      allow_short: { value: "0", default: true },
      entry_z: { value: "2", default: true },
      exit_z: { value: "0.5", default: true },
      min_edge_bps: { value: "120", default: true },
      size: { value: "1", default: true },
      window: { value: "20", default: true },
    });
  });

  it("trades, with market orders only", () => {
    expect(base.fills.count).toBeGreaterThan(20);
    expect(base.fills).toEqual({ count: base.fills.count, maker: 0, taker: base.fills.count });
    // Every order sent fills, but one sent at the last close, which has no next open.
    const sent = reference(20, 2, 0.5, false).length;
    expect(base.fills.count).toBe(filled(reference(20, 2, 0.5, false)).length);
    expect(base.orders).toEqual({ placed: sent, accepted: base.fills.count, cancelled: 0, rejected: {}, open_at_end: 0 });
  });

  it("is long-only by default: the position is only ever 0 or size", () => {
    expect(positions(base).every((p) => p === 0n || p === 100_000_000n)).toBe(true);
    expect(base.fill_log[0].side).toBe("buy");
    expect(positions(base).at(-1)).toBe(base.pnl.position_1e8);
  });

  it("decides on the close and fills at the real open of the next day", () => {
    for (const f of base.fill_log) expect(f.price_1e9).toBe(opens.get(day(f.ts_ns)));
    // Two by hand from the CSV rows:
    //   2000-02-18,...,close 1346.089966  → the first entry signal (z −2.576 over the 20 closes to that day)
    //   2000-02-22,open 1346.089966,...   → its fill (the 21st was a holiday)
    //   2000-03-01,...,close 1379.189941  → the exit signal
    //   2000-03-02,open 1379.189941,...   → its fill
    expect(base.fill_log.slice(0, 2).map((f) => [day(f.ts_ns), f.side, f.price_1e9])).toEqual([
      ["2000-02-22", "buy", 1_346_089_966_000n],
      ["2000-03-02", "sell", 1_379_189_941_000n],
    ]);
  });

  it("makes exactly the trades an independent re-implementation makes", async () => {
    expect(trades(base)).toEqual(filled(reference(20, 2, 0.5, false)));
    const other = await backtest(["window=50", "entry_z=1.5", "exit_z=0"]);
    expect(trades(other)).toEqual(filled(reference(50, 1.5, 0, false)));
    expect(trades(other)).not.toEqual(trades(base));
    // min_edge_bps=0 takes every signal; the default skips entries too close to the mean to pay the fees.
    const every = await backtest(["min_edge_bps=0"]);
    expect(trades(every)).toEqual(filled(reference(20, 2, 0.5, false, 0)));
    expect(every.fills.count).toBeGreaterThan(base.fills.count);
  });

  it("realizes the hand sum of its round trips, and charges the taker fee", () => {
    expect(base.pnl.realized_pnl_1e9).toBe(handRealized(base));
    // 1 unit at 1346.089966 × 1 bp = $0.1346089966 → rounded up to 134_608_997 (1e9)
    expect(base.fill_log[0].fee_1e9).toBe(134_608_997n);
    for (const f of base.fill_log) {
      const num = f.qty_1e8 * f.price_1e9 * TAKER_BPS;
      expect(f.fee_1e9).toBe((num + 10n ** 12n - 1n) / 10n ** 12n);
    }
  });

  it("logs each entry and exit once, with the round trip's PnL on the exit", () => {
    const lines = base.logs.filter((l) => /^(enter|exit) /.test(l.message));
    expect(lines.length).toBe(base.fills.count);
    expect(lines[0].message).toBe("enter long 1.0 @ 1346.089966 (z -2.576)");
    expect(lines[1].message).toBe("exit long 1.0 @ 1379.189941 (z -0.265), pnl 33.099975");
    const logged = lines.filter((l) => l.message.startsWith("exit")).map((l) => px(l.message.split("pnl ")[1]));
    expect(logged.reduce((s, p) => s + p, 0n)).toBe(base.pnl.realized_pnl_1e9);
    expect(base.logs_dropped).toBe(0);
  });

  it("trades both ways with allow_short=true, never beyond ±size", async () => {
    const both = await backtest(["allow_short=true"]);
    expect(both.params.allow_short).toEqual({ value: "1", default: false });
    const path = positions(both);
    expect(path.every((p) => p === 0n || p === 100_000_000n || p === -100_000_000n)).toBe(true);
    expect(path.some((p) => p < 0n)).toBe(true);
    expect(trades(both)).toEqual(filled(reference(20, 2, 0.5, true)));
    expect(both.pnl.realized_pnl_1e9).toBe(handRealized(both));
  });

  it("is deterministic: two runs give identical reports", async () => {
    expect(toExactJson(await backtest())).toBe(toExactJson(base));
  });

  it("refuses nonsense parameters", async () => {
    await expect(backtest(["window=1"])).rejects.toThrow(AlgoTrap);
    await expect(backtest(["window=1"])).rejects.toThrow(/window must be in 2\.\.1000000/);
    await expect(backtest(["exit_z=3"])).rejects.toThrow(/exit_z must be in 0\.\.entry_z/);
    await expect(backtest(["min_edge_bps=-1"])).rejects.toThrow(/min_edge_bps must be >= 0/);
  });
});
