// The empty algo: builds, and replays 100,000 synthetic ticks without sending
// a single order. Its backtest measures the harness's own cost per tick.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { SyntheticSource, compileAlgo, runBacktest, toExactJson, type BacktestReport, type CompiledAlgo } from "sequence-algo";

const ENTRY = fileURLToPath(new URL("../assembly/algo.ts", import.meta.url));

let algo: CompiledAlgo;
let report: BacktestReport;

beforeAll(async () => {
  algo = await compileAlgo(ENTRY);
  report = await runBacktest({ module: algo.module, source: new SyntheticSource({ seed: 7, count: 100_000 }) });
});

describe("empty", () => {
  it("builds a small module that implements only onQuote and onTrade", () => {
    expect(algo.callbacks).toEqual(["on_quote", "on_trade"]);
    expect(algo.sizeBytes).toBeLessThan(64 * 1024);
  });

  it("replays 100,000 ticks and sends no orders", () => {
    const { result } = report;
    expect(result.data.ticks).toBe(100_000);
    expect(result.data.quotes + result.data.trades).toBe(100_000);
    expect(result.orders).toEqual({ placed: 0, accepted: 0, cancelled: 0, rejected: {}, open_at_end: 0 });
    expect(result.fills).toEqual({ count: 0, maker: 0, taker: 0 });
    expect(result.fill_log).toEqual([]);
    expect(result.pnl.position_1e8).toBe(0n);
    expect(result.pnl.net_pnl_1e9).toBe(0n);
    expect(result.params).toEqual({});
    expect(result.logs).toEqual([]);
  });

  it("delivers every tick to the module", () => {
    expect(report.timing.callback_latency.count).toBe(100_000);
    expect(report.timing.ticks_per_second).toBeGreaterThan(0);
  });

  it("is deterministic", async () => {
    const again = await runBacktest({ module: algo.module, source: new SyntheticSource({ seed: 7, count: 100_000 }) });
    expect(toExactJson(again.result)).toBe(toExactJson(report.result));
  });
});
