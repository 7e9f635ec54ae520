// A backtest small enough to work out by hand: every fill, fee, the PnL and
// the drawdown below are computed in the comments, not read from a run.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, openSource, runBacktest, BpsFees, toExactJson, type BacktestReport } from "sequence-algo";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";

const TICKS = HAND_WORKED_TICKS;

let file: string;
let module: WebAssembly.Module;

async function run(): Promise<BacktestReport> {
  // maker -1 bps (a rebate), taker 5 bps
  return runBacktest({ module, source: await openSource(file), fees: new BpsFees(-1, 5) });
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "engine-test-"));
  file = path.join(dir, "ticks.csv");
  await writeFile(file, TICKS);
  module = (await compileAlgo(path.join(__dirname, "../fixtures/scripted-algo.ts"))).module;
});

describe("a hand-computed backtest", () => {
  it("fills each order where the fill model says, with exact fees", async () => {
    const { result } = await run();
    // t=1000 market buy 2 fills at the ask 100.00, taker: 2 × 100 × 5 bps = $0.10.
    // t=3000 a trade at 101.25 prints through the 101.00 offer: 0.4 (the printed size) at 101.00,
    //        maker rebate 0.4 × 101 × 1 bps = $0.00404.
    // t=4000 the bid 101.10 reaches the offer: the other 0.6 at 101.00, rebate $0.00606.
    // t=5000 the ask 98.40 reaches the 98.50 bid: 1 at 98.50, rebate $0.00985.
    expect(result.fill_log).toEqual([
      { ts_ns: 1000n, order_id: 1n, side: "buy", price_1e9: 100_000_000_000n, qty_1e8: 200_000_000n, fee_1e9: 100_000_000n, liquidity: "taker" },
      { ts_ns: 3000n, order_id: 2n, side: "sell", price_1e9: 101_000_000_000n, qty_1e8: 40_000_000n, fee_1e9: -4_040_000n, liquidity: "maker" },
      { ts_ns: 4000n, order_id: 2n, side: "sell", price_1e9: 101_000_000_000n, qty_1e8: 60_000_000n, fee_1e9: -6_060_000n, liquidity: "maker" },
      { ts_ns: 5000n, order_id: 3n, side: "buy", price_1e9: 98_500_000_000n, qty_1e8: 100_000_000n, fee_1e9: -9_850_000n, liquidity: "maker" },
    ]);
    // The post-only bid at 100.00 meets the 100.00 ask: it would take, so it is rejected.
    expect(result.orders).toEqual({ placed: 4, accepted: 3, cancelled: 0, rejected: { would_take: 1 }, open_at_end: 0 });
    expect(result.fills).toEqual({ count: 4, maker: 3, taker: 1 });
  });

  it("accounts PnL, fees and drawdown exactly", async () => {
    const { result } = await run();
    // Bought 2 @ 100, sold 1 @ 101 → realized (101 − 100) × 1 = $1.00; left 1 @ 100.
    // Bought 1 @ 98.50 → 2 @ avg 99.25 (cost 198.50); last trade 99.00 → unrealized 198 − 198.50 = −$0.50.
    // Fees 0.10 − 0.00404 − 0.00606 − 0.00985 = $0.08005; net 1.00 − 0.50 − 0.08005 = $0.41995.
    // Equity peaks at t=3000 when 101.25 prints before the fill: 2 × 101.25 − 200 − 0.10 = 2.40.
    // Trough at t=5000 after the fill: realized 1 + (2 × 98.20 − 198.50) − 0.08005 = −1.18005 → drawdown 3.58005.
    expect(result.pnl).toEqual({
      position_1e8: 200_000_000n,
      avg_entry_1e9: 99_250_000_000n,
      mark_1e9: 99_000_000_000n,
      realized_pnl_1e9: 1_000_000_000n,
      unrealized_pnl_1e9: -500_000_000n,
      fees_1e9: 80_050_000n,
      net_pnl_1e9: 419_950_000n,
      max_drawdown_1e9: 3_580_050_000n,
      volume_1e8: 400_000_000n,
      notional_1e9: 399_500_000_000n,
    });
  });

  it("tells the algo about every fill and reject, so its own position agrees with the ledger", async () => {
    const { result } = await run();
    expect(result.logs.map((l) => `${l.ts_ns} ${l.level} ${l.message}`)).toEqual([
      // Orders reach the venue in the order sent: the market buy fills before the post-only bid is refused.
      "1000 info fill 1 200000000 @ 100000000000 fee 100000000 pos 200000000",
      "1000 warn rejected 4 reason 4",
      "3000 info fill 2 40000000 @ 101000000000 fee -4040000 pos 160000000",
      "4000 info fill 2 60000000 @ 101000000000 fee -6060000 pos 100000000",
      "5000 info fill 3 100000000 @ 98500000000 fee -9850000 pos 200000000",
      "6000 info stop pos 200000000 open 0",
    ]);
  });

  it("gives byte-identical JSON for the same inputs", async () => {
    const a = toExactJson((await run()).result);
    const b = toExactJson((await run()).result);
    expect(a).toBe(b);
    expect(a).toContain('"net_pnl_1e9": 419950000');
  });
});

describe("latency", () => {
  it("delivers orders late, and still lets cancels sent in on_stop reach the venue", async () => {
    const { ConstantLatency, SyntheticSource, Params } = await import("sequence-algo");
    const mm = (await compileAlgo(path.join(__dirname, "../../templates/market-maker/assembly/algo.ts"))).module;
    const source = new SyntheticSource({ seed: 3, count: 20_000 });
    const fast = await runBacktest({ module: mm, source, params: Params.parse(["max_position=1", "half_spread_bps=0"]) });
    const slow = await runBacktest({ module: mm, source, params: Params.parse(["max_position=1", "half_spread_bps=0"]), latency: new ConstantLatency(5_000_000n) });
    // 5 ms late, quotes meet a book that has moved on: a different run, same safety.
    expect(toExactJson(slow.result.fill_log)).not.toBe(toExactJson(fast.result.fill_log));
    for (const run of [fast, slow]) {
      let position = 0n;
      for (const f of run.result.fill_log) {
        position += f.side === "buy" ? f.qty_1e8 : -f.qty_1e8;
        expect(position <= 100_000_000n && position >= -100_000_000n).toBe(true);
      }
      expect(run.result.orders.open_at_end).toBe(0); // cancelAll() in on_stop arrived
    }
  });
});
