// Figures by name, exact comparison, constraints and the ranking they give.
import { describe, expect, it } from "vitest";
import { compareDecimal, toDecimalText } from "../../src/sweep/decimal.ts";
import { meets, METRICS, parseConstraint, readMetrics } from "../../src/sweep/metrics.ts";
import { rankRows, type RunRow } from "../../src/sweep/rank.ts";
import { showMetric } from "../../src/sweep/table.ts";
import type { BacktestResult } from "../../harness/report/report.ts";

const row = (run: number, metrics: Record<string, string> | undefined, error?: string): RunRow => ({ run, params: { x: String(run) }, key: `k${run}`, metrics, error });

describe("decimal text", () => {
  it("compares exactly, beyond a double's 15-17 digits", () => {
    expect(compareDecimal("0.30000000000000001", "0.3")).toBe(1);
    expect(compareDecimal("-1.5", "-1.25")).toBe(-1);
    expect(compareDecimal("2", "2.000")).toBe(0);
    expect(compareDecimal("9007199254740993", "9007199254740992")).toBe(1);
  });

  it("writes a report's number without exponent", () => {
    expect(toDecimalText(1e-7)).toBe("0.0000001");
    expect(toDecimalText(-2.5e-3)).toBe("-0.0025");
    expect(toDecimalText(1.5e21)).toBe("1500000000000000000000");
    expect(toDecimalText(1.25)).toBe("1.25");
    expect(toDecimalText(12345678901234567890n)).toBe("12345678901234567890");
  });
});

describe("figures", () => {
  it("read the report's fixed-point money digit for digit", () => {
    const result = {
      pnl: { net_pnl_1e9: 12_345_678_901n, realized_pnl_1e9: -1n, unrealized_pnl_1e9: 0n, fees_1e9: -500_000_000n, max_drawdown_1e9: 3_000_000_000n, volume_1e8: 150_000_000n, notional_1e9: 0n, position_1e8: -1n },
      fills: { count: 7, maker: 5, taker: 2 },
      orders: { placed: 9, rejected: { post_only: 2, too_late: 1 } },
      statistics: { sharpe: 1.25, sortino: null, return_pct: null, max_drawdown_pct: 2.5, round_trips: { win_rate_pct: 50, profit_factor: null } },
    } as unknown as BacktestResult;
    const m = readMetrics(result);
    // 12_345_678_901 at 1e9 = 12.345678901 USD; 150_000_000 at 1e8 = 1.5
    expect(m).toMatchObject({ net_pnl: "12.345678901", realized_pnl: "-0.000000001", fees: "-0.5", max_drawdown: "3", volume: "1.5", position: "-0.00000001", fills: "7", taker_fills: "2", rejected: "3" });
    expect(m).toMatchObject({ sharpe: "1.25", max_dd_pct: "2.5", win_rate: "50" });
    // undefined for this run (no capital base, no losing trip): absent, so a constraint on it says so
    expect(m.return_pct).toBeUndefined();
    expect(m.profit_factor).toBeUndefined();
  });

  it("show USD to the cent and ratios to 4 places, rounded half-even", () => {
    expect(showMetric("net_pnl", "12.345")).toBe("12.34");
    expect(showMetric("net_pnl", "12.355")).toBe("12.36");
    expect(showMetric("net_pnl", "-3")).toBe("-3.00");
    expect(showMetric("sharpe", "1.23456")).toBe("1.2346");
    expect(showMetric("fills", "42")).toBe("42");
  });

  it("constraints: parsed, checked against the table, compared exactly", () => {
    const c = parseConstraint(" max_dd_pct < 20 ");
    expect(c).toMatchObject({ metric: "max_dd_pct", op: "<", bound: "20", text: "max_dd_pct<20" });
    expect(meets({ max_dd_pct: "19.999999" }, c)).toBe(true);
    expect(meets({ max_dd_pct: "20" }, c)).toBe(false);
    expect(meets({ fills: "10" }, parseConstraint("fills>=10"))).toBe(true);
    expect(meets({ net_pnl: "-5.01" }, parseConstraint("net_pnl>-5"))).toBe(false);
    expect(meets({ fills: "3" }, parseConstraint("fills==3"))).toBe(true);
    expect(() => parseConstraint("drawdown<3")).toThrow(`--constraint drawdown: unknown figure; expected one of ${Object.keys(METRICS).join(", ")}`);
    expect(() => parseConstraint("fills<<3")).toThrow(/expected <figure><op><number>/);
    expect(() => meets({ fills: "1" }, c)).toThrow("--constraint max_dd_pct: this backtest report has no max drawdown, %; it has fills");
  });
});

describe("rankRows", () => {
  it("ranks by the target, best first, ties by run; then runs that miss a constraint; then failed runs", () => {
    const rows = [
      row(0, { net_pnl: "5", fills: "1" }),
      row(1, { net_pnl: "7.5", fills: "20" }),
      row(2, undefined, "trap"),
      row(3, { net_pnl: "5", fills: "30" }),
      row(4, { net_pnl: "9", fills: "2" }),
      row(5, { net_pnl: "-1", fills: "40" }),
    ];
    const ranked = rankRows(rows, "net_pnl", [parseConstraint("fills>=10")]);
    expect(ranked.map((r) => [r.run, r.rank, r.misses])).toEqual([
      [1, 1, []],
      [3, 2, []],
      [5, 3, []],
      [0, null, ["fills>=10"]],
      [4, null, ["fills>=10"]],
      [2, null, []],
    ]);
    // Order in, order out: the ranking depends on the rows only (how shards are merged does not matter).
    expect(rankRows([...rows].reverse(), "net_pnl", [parseConstraint("fills>=10")])).toEqual(ranked);
  });

  it("puts the lowest first for a figure where lower is better", () => {
    const ranked = rankRows([row(0, { max_drawdown: "3" }), row(1, { max_drawdown: "0.5" }), row(2, { max_drawdown: "3" })], "max_drawdown", []);
    expect(ranked.map((r) => r.run)).toEqual([1, 0, 2]);
  });
});
