// Bars replayed as bars, and an account with capital: every fill, price and
// figure below is worked out by hand in the comments, not read from a run.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BpsFees, compileAlgo, openSource, runBacktest, Latencies, Params, type BacktestReport } from "sequence-algo";
import { replayWarnings } from "../../src/cli/backtest.ts";

// Three daily bars; each session runs 14:30 → 21:00 UTC, extremes at 16:40 and 18:50.
//   bar 1 closes up   (102 >= 100): prints 100, 95 (low), 105 (high), 102
//   bar 2 closes down (101 < 103):  prints 103, 108 (high), 99 (low), 101
//   bar 3 closes up   (103 >= 101): prints 101, 97 (low), 104 (high), 103
const BARS = ["date,open,high,low,close,volume", "2024-01-02,100,105,95,102,1000", "2024-01-03,103,108,99,101,2000.5", "2024-01-04,101,104,97,103,1500"].join("\n");

const at = (d: number, h: number, m: number) => BigInt(Date.UTC(2024, 0, d, h, m)) * 1_000_000n;
const USD = 1_000_000_000n;
const QTY = 100_000_000n;

let file: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bars-test-"));
  file = path.join(dir, "bars.csv");
  await writeFile(file, BARS);
});

async function backtest(algo: string, opts: { capital?: bigint; params?: Record<string, string>; latency?: Latencies; fees?: BpsFees } = {}): Promise<BacktestReport> {
  const module = algo.endsWith(".wasm")
    ? await WebAssembly.compile(await readFile(path.join(__dirname, "../fixtures", algo)))
    : (await compileAlgo(path.join(__dirname, "../fixtures", algo))).module;
  return runBacktest({ module, source: await openSource(file), capitalUsd_1e9: opts.capital, params: new Params(opts.params ?? {}), latency: opts.latency, fees: opts.fees });
}

describe("bars are bars", () => {
  it("onBar gets each bar's exact OHLCV and times, at its close", async () => {
    const { result } = await backtest("bar-script-algo.ts");
    const bars = result.logs.filter((l) => l.message.startsWith("bar ")).map((l) => `${l.ts_ns} ${l.message}`);
    expect(bars).toEqual([
      `${at(2, 21, 0)} bar ${at(2, 14, 30)} ${at(2, 21, 0)} ${100n * USD} ${105n * USD} ${95n * USD} ${102n * USD} ${1000n * QTY}`,
      `${at(3, 21, 0)} bar ${at(3, 14, 30)} ${at(3, 21, 0)} ${103n * USD} ${108n * USD} ${99n * USD} ${101n * USD} ${200_050_000_000n}`,
      `${at(4, 21, 0)} bar ${at(4, 14, 30)} ${at(4, 21, 0)} ${101n * USD} ${104n * USD} ${97n * USD} ${103n * USD} ${1500n * QTY}`,
    ]);
    // 3 bars × (4 prints + the BAR pair)
    expect(result.data).toMatchObject({ ticks: 18, trades: 12, quotes: 0, bars: 3 });
    expect(replayWarnings(["on_bar"], result.data)).toEqual([]);
    expect(replayWarnings(["on_bar"], { ...result.data, bars: 0 })).toEqual([
      "the algo listens to bars (onBar) but the data has none: onBar never ran; use OHLCV bars (date,open,high,low,close,volume) or sp500",
    ]);
  });

  it("decide on the close, fill at the next open; limits and stops fill inside the bar's range only", async () => {
    const { result } = await backtest("bar-script-algo.ts");
    expect(result.fill_log).toEqual([
      // The market buy sent at bar 1's close (102) waits for bar 2's open print: 103, as taker.
      { ts_ns: at(3, 14, 30), order_id: 1n, side: "buy", price_1e9: 103n * USD, qty_1e8: QTY, fee_1e9: 0n, liquidity: "taker" },
      // The 100 bid rests below the open (103); bar 2's low print (99) goes through it: 100, as maker.
      { ts_ns: at(3, 18, 50), order_id: 2n, side: "buy", price_1e9: 100n * USD, qty_1e8: QTY, fee_1e9: 0n, liquidity: "maker" },
      // The 98 bid is below bar 2's low (99): nothing there. Bar 3's low (97) reaches it.
      { ts_ns: at(4, 16, 40), order_id: 3n, side: "buy", price_1e9: 98n * USD, qty_1e8: QTY, fee_1e9: 0n, liquidity: "maker" },
      // The stop at 98.50 is below bar 2's low (99): it does not trigger there. Bar 3's low print (97) triggers it
      // (after the 98 bid filled on that print): all 3 sold at market, at that print, 97.
      { ts_ns: at(4, 16, 40), order_id: 5n, side: "sell", price_1e9: 97n * USD, qty_1e8: 3n * QTY, fee_1e9: 0n, liquidity: "taker" },
    ]);
    // The 110 offer is above every high (108 at most): it never fills and rests at the end.
    expect(result.orders).toEqual({ placed: 5, accepted: 5, cancelled: 0, rejected: {}, open_at_end: 1 });
    // The algo hears of the open fill at the open, not at the close it was sent at.
    expect(result.logs.find((l) => l.message.startsWith("fill 1 "))?.message).toBe(`fill 1 at ${at(3, 14, 30)} now ${at(3, 14, 30)}`);
    // Bought 103 + 100 + 98 = 301 for 3, sold 3 × 97 = 291: realized −10, flat.
    expect(result.pnl).toMatchObject({ position_1e8: 0n, realized_pnl_1e9: -10n * USD, unrealized_pnl_1e9: 0n });
  });

  it("with feed and response latency too, an order sent after the close waits for the next open", async () => {
    // The algo sees bar 1's close 1 ms late and sends its market buy then; the market is shut until bar 2's open print.
    const { result } = await backtest("bar-script-algo.ts", { latency: new Latencies({ feed: 1_000_000n, response: 500_000n }) });
    expect(result.fill_log[0]).toMatchObject({ ts_ns: at(3, 14, 30), order_id: 1n, side: "buy", price_1e9: 103n * USD, liquidity: "taker" });
    // It hears of the fill at the open + 0.5 ms.
    expect(result.logs.find((l) => l.message.startsWith("fill 1 "))?.ts_ns).toBe(at(3, 14, 30) + 500_000n);
  });

  it("a module built for ABI 1.1 (the empty template, no onBar) runs on bar data, never sent a BAR", async () => {
    // test/fixtures/empty-abi-1.1.wasm: `algo init --template empty` + `algo build` at the commit before ABI 1.2.
    // Its dispatch traps on a kind it does not know, so a run that completes proves it got none.
    const { result } = await backtest("empty-abi-1.1.wasm");
    expect(result.data).toMatchObject({ ticks: 12, trades: 12, bars: 0 });
  });
});

describe("an account with capital", () => {
  it("all equity at the next open, in a few lines: exact cash, equity and return", async () => {
    const { result } = await backtest("all-equity-algo.ts", { capital: 1000n * USD });
    // Bar 1's close: go in. At bar 2's open print (103): qtyFor($1000, 103) = ⌊1000e9 × 1e8 / 103e9⌋ = 970,873,786 (9.70873786).
    //   cost 970,873,786 × 103 = 99,999,999,958 → $999.99999958; cash left $0.00000042.
    // Bar 2's close: get out. At bar 3's open (101): proceeds 970,873,786 × 101 = 98,058,252,386 → $980.58252386.
    //   cash $980.58252428; realized 9.70873786 × (101 − 103) = −$19.41747572.
    expect(result.fill_log.map((f) => [f.ts_ns, f.side, f.price_1e9, f.qty_1e8])).toEqual([
      [at(3, 14, 30), "buy", 103n * USD, 970_873_786n],
      [at(4, 14, 30), "sell", 101n * USD, 970_873_786n],
    ]);
    // Return: (980.58252428 − 1000) / 1000 = −1.941747572 % → −1.941748 at 6 decimals (half-even).
    expect(result.account).toEqual({ capital_1e9: 1000n * USD, cash_1e9: 980_582_524_280n, equity_1e9: 980_582_524_280n, return_pct_1e6: -1_941_748n });
    // Drawdown follows the prints: from +9.70873786 × 5 = +48.5436893 at bar 2's high (108)
    // to 9.70873786 × −4 = −38.83495144 at its low (99): 87.37864074.
    expect(result.pnl.max_drawdown_1e9).toBe(87_378_640_740n);
    // The algo reads the same figures from the runtime.
    expect(result.logs.at(-1)?.message).toBe("capital 1000000000000 cash 980582524280 equity 980582524280 realized -19417475720 unrealized 0 fees 0");
  });

  it("with fees, all the cash at the next open is maxBuyQty (fee included), where qtyFor is refused", async () => {
    const fees = new BpsFees(1, 5); // a market order takes: 5 bps; the funds check sets aside the larger rate
    const sizedByCash = await backtest("all-equity-algo.ts", { capital: 1000n * USD, fees });
    // qtyFor($1000, 103) = 9.70873786 costs $999.99999958, and its fee on top passes the cash, at each entry.
    expect(sizedByCash.result.orders.rejected).toEqual({ insufficient_funds: 2 });
    const { result } = await backtest("all-equity-algo.ts", { capital: 1000n * USD, fees, params: { with_fees: "true" } });
    // The algo reads the rates in 1e-4 bps: maker 10,000, taker 50,000.
    expect(result.logs[0].message).toBe("fee rates 10000 50000");
    // At bar 2's open, 103, with $999.999999999 (one nano-dollar left for the host's finer cash): the largest q with
    // ⌈q × 103 / 1e8⌉ + ⌈that × 5 bps⌉ ≤ 999,999,999,999 is 970,388,592 (9.70388592): notional $999.50024976,
    // fee ⌈9.70388592 × 103 × 5 / 1e4⌉ = $0.499750125 (rounded up to 1e-9); cash left $0.000000115.
    // One more unit would cost $1,000.000000916.
    expect(result.orders.rejected).toEqual({});
    expect(result.fill_log.map((f) => [f.ts_ns, f.side, f.price_1e9, f.qty_1e8, f.fee_1e9])).toEqual([
      [at(3, 14, 30), "buy", 103n * USD, 970_388_592n, 499_750_125n],
      // Out at bar 3's open, 101: proceeds $980.09247792, fee ⌈9.70388592 × 101 × 5 / 1e4⌉ = $0.490046239.
      [at(4, 14, 30), "sell", 101n * USD, 970_388_592n, 490_046_239n],
    ]);
    // Cash: 0.000000115 + 980.09247792 − 0.490046239 = $979.602431796.
    expect(result.account?.cash_1e9).toBe(979_602_431_796n);
  });

  it("maxBuyQty keeps to the lot, and sizes a rebate as if free", async () => {
    const firstBuy = async (fees: BpsFees, lot: string) => {
      const { result } = await backtest("all-equity-algo.ts", { capital: 1000n * USD, fees, params: { with_fees: "true", lot } });
      expect(result.orders.rejected).toEqual({});
      return result.fill_log[0].qty_1e8;
    };
    // Lot 0.01 at 103 with 5 bps: 9.70 costs 999.1 + 0.49955 = $999.59955; 9.71 would cost $1,000.13 before its fee.
    expect(await firstBuy(new BpsFees(1, 5), "0.01")).toBe(970_000_000n);
    // Rebates both ways (−1 and −0.5 bps): no fee is set aside, so all of $999.999999999 at 103 = 9.70873786.
    expect(await firstBuy(new BpsFees(-1, -0.5), "0.00000001")).toBe(970_873_786n);
  });

  it("an order the account cannot pay for is rejected: insufficient_funds", async () => {
    const { result } = await backtest("all-equity-algo.ts", { capital: 1000n * USD, params: { at_open: "false", try_short: "true" } });
    // Bar 1's close 102: qtyFor($1000, 102) = 980,392,156, a market buy. It reaches the market at bar 2's open, 103:
    //   980,392,156 × 103 → $1,009.80392068 > $1,000 of cash: rejected. The sell of 1 with nothing held: rejected too.
    // Bar 2's close 101: qtyFor($1000, 101) = 990,099,009; at bar 3's open, 101: $999.99999909 ≤ $1,000: filled.
    expect(result.orders.rejected).toEqual({ insufficient_funds: 2 });
    expect(result.fill_log.map((f) => [f.ts_ns, f.side, f.price_1e9, f.qty_1e8])).toEqual([[at(4, 14, 30), "buy", 101n * USD, 990_099_009n]]);
    // Equity at the last close 103: cash $0.00000091 + 9.90099009 × 103 = $1,019.80198018 → +1.980198018 %.
    expect(result.account).toEqual({ capital_1e9: 1000n * USD, cash_1e9: 910n, equity_1e9: 1_019_801_980_180n, return_pct_1e6: 1_980_198n });
  });

  it("without capital no funds are checked (shorting too) and the report has no account", async () => {
    const { result } = await backtest("all-equity-algo.ts", { params: { at_open: "false", try_short: "true" } });
    // No capital: cash is 0, so qtyFor sizes bar 1's buy at 0 (invalid_qty); the short sale of 1 is not refused
    // and fills at bar 2's open, 103. Cash is then $103 (still short): bar 2's buy is qtyFor($103, 101)
    // = ⌊103e9 × 1e8 / 101e9⌋ = 101,980,198, filled at bar 3's open.
    expect(result.orders.rejected).toEqual({ invalid_qty: 1 });
    expect(result.fill_log.map((f) => [f.ts_ns, f.side, f.price_1e9, f.qty_1e8])).toEqual([
      [at(3, 14, 30), "sell", 103n * USD, QTY],
      [at(4, 14, 30), "buy", 101n * USD, 101_980_198n],
    ]);
    expect(result.account).toBeNull();
  });
});
