// The report's statistics, worked by hand (docs/backtesting.md#statistics defines each one).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, openSource, runBacktest, BpsFees, type BacktestReport } from "sequence-algo";
import { RECORD_WORDS } from "../../harness/abi.ts";
import { DrawdownTracker, EquitySeries } from "../../harness/report/equity-series.ts";
import { returnRatios } from "../../harness/report/statistics.ts";
import type { StatsSettings } from "../../harness/report/statistics.ts";
import type { RoundTrip } from "../../harness/report/round-trips.ts";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";

const E17 = 100_000_000_000_000_000n; // $1 at 1e17

describe("Sharpe and Sortino", () => {
  it("match the definitions on a hand-worked series", () => {
    // r = 1%, −2%, 3%, 0%: mean 0.5%; squared deviations 0.25+6.25+6.25+0.25 (×1e-6) = 1.3e-3,
    // sample std √(1.3e-3 / 3) = 0.0208167; Sharpe = 0.005 / 0.0208167 × √252 = 3.812933.
    // Downside: only −2% → √(0.0004 / 4) = 0.01; Sortino = 0.005 / 0.01 × √252 = 7.937254.
    expect(returnRatios([0.01, -0.02, 0.03, 0], 252, 0)).toEqual({ sharpe: 3.812933, sortino: 7.937254, periods: 4 });
    // rf 2%/yr → 0.02 / 252 per period off every return: the std is unchanged, the mean and downside move.
    expect(returnRatios([0.01, -0.02, 0.03, 0], 252, 2)).toEqual({ sharpe: 3.752411, sortino: 7.78033, periods: 4 });
  });

  it("are null when they are not defined", () => {
    expect(returnRatios([0.01], 252, 0)).toEqual({ sharpe: null, sortino: null, periods: 1 });
    expect(returnRatios([0.01, 0.01], 252, 0)).toEqual({ sharpe: null, sortino: null, periods: 2 }); // no deviation, no downside
  });
});

/** Records with these timestamps (only the timestamp word matters to the series). */
function records(ts: bigint[]): BigInt64Array {
  const words = new BigInt64Array(ts.length * RECORD_WORDS);
  ts.forEach((t, i) => (words[i * RECORD_WORDS] = t));
  return words;
}

describe("the equity series", () => {
  it("samples the last equity of each interval that has data, and only those", () => {
    const s = new EquitySeries(10n);
    // Data in intervals 0, 1 and 4 (2 and 3 have no tick: no period); two batches.
    s.observeRecords(records([0n, 3n, 9n, 10n]), 4);
    s.onEquity(3n, 5n);
    s.onEquity(9n, 7n); // the last of interval 0 wins
    s.observeRecords(records([15n, 41n, 42n]), 3);
    s.onEquity(25n, 2n); // interval 2: no data there, so it shows in interval 4's sample
    expect(s.samples()).toEqual([7n, 7n, 2n]);
  });

  it("finds the intervals by binary search across a long batch", () => {
    const s = new EquitySeries(100n);
    const ts = Array.from({ length: 1000 }, (_, i) => BigInt(i * 7)); // 0..6993: intervals 0..69
    s.observeRecords(records(ts), ts.length);
    expect(s.samples()).toHaveLength(70);
  });
});

describe("the deepest drawdown", () => {
  it("without capital: by USD, from the peak to the recovery", () => {
    const d = new DrawdownTracker(null);
    // equity 0 → 5 (t1) → 2 (t2, −3) → 6 (t3, recovered) → 1 (t4, −5) → 3 (t5): the second is deeper, never recovered.
    for (const [t, e] of [[1n, 5n], [2n, 2n], [3n, 6n], [4n, 1n], [5n, 3n]] as const) d.onEquity(t, e * E17, 0n);
    expect(d.deepest).toEqual({ depth: 5n * E17, peak: 6n * E17, peak_ts: 3n, trough_ts: 4n, recovered_ts: null });
  });

  it("with capital: by fraction of the peak, which can pick a smaller USD fall", () => {
    const d = new DrawdownTracker(100n * E17);
    // capital 100: 100 → 90 (t1, −10%) → 200 (t2) → 185 (t3, −7.5%, $15) → 200 (t4).
    for (const [t, e] of [[1n, -10n], [2n, 100n], [3n, 85n], [4n, 100n]] as const) d.onEquity(t, e * E17, 0n);
    expect(d.deepest).toEqual({ depth: 10n * E17, peak: 100n * E17, peak_ts: 0n, trough_ts: 1n, recovered_ts: 2n });
  });
});

// The backtest of test/harness/engine.test.ts (its fills and equity are worked out there), seen by the statistics.
const TICKS = HAND_WORKED_TICKS;

let file: string;
let module: WebAssembly.Module;

async function run(stats?: StatsSettings): Promise<BacktestReport> {
  return runBacktest({ module, source: await openSource(file), fees: new BpsFees(-1, 5), stats });
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "stats-test-"));
  file = path.join(dir, "ticks.csv");
  await writeFile(file, TICKS);
  module = (await compileAlgo(path.join(__dirname, "../fixtures/scripted-algo.ts"))).module;
});

describe("statistics of a hand-computed backtest", () => {
  // Fills: t1000 buy 2 @ 100 (fee +0.10); t3000 sell 0.4 @ 101 (−0.00404); t4000 sell 0.6 @ 101 (−0.00606);
  // t5000 buy 1 @ 98.50 (−0.00985). Net PnL $0.41995 (engine.test.ts).
  it("round trips: two FIFO parts of the first buy, fees shared pro rata", async () => {
    const trips: RoundTrip[] = [];
    const { result } = await run({ onRoundTrip: (t) => trips.push(t) });
    // Trip 1: 0.4 of the 2 @ 100 sold @ 101: gross 0.40; fees 0.10 × 0.4/2 = 0.02 − 0.00404 = 0.01596; net 0.38404; held 2000 ns.
    // Trip 2: 0.6 of the remaining 1.6 (fee left 0.08): gross 0.60; fees 0.08 × 0.6/1.6 = 0.03 − 0.00606 = 0.02394; net 0.57606; held 3000 ns.
    expect(trips.map((t) => [t.entry_ts_ns, t.exit_ts_ns, t.qty_1e8, t.fees_1e9])).toEqual([
      [1000n, 3000n, 40_000_000n, 15_960_000n],
      [1000n, 4000n, 60_000_000n, 23_940_000n],
    ]);
    expect(result.statistics.round_trips).toEqual({
      count: 2,
      wins: 2,
      losses: 0,
      win_rate_pct: 100,
      profit_factor: null, // no losing trip
      gross_profit_1e9: 960_100_000n, // 0.38404 + 0.57606
      gross_loss_1e9: 0n,
      average_win_1e9: 480_050_000n,
      average_loss_1e9: null,
      expectancy_1e9: 480_050_000n,
      net_pnl_1e9: 960_100_000n,
      fees_1e9: 39_900_000n, // 0.01596 + 0.02394
      average_holding_ns: 2500n, // (2000 + 3000) / 2
    });
  });

  it("returns, drawdown, exposure, turnover and fees, of the max capital used", async () => {
    const s = (await run()).result.statistics;
    // Open cost after each fill: 200, 160, 100, 100 + 98.50 = 198.50 → the base is $200.
    expect(s.settings).toEqual({ sample_interval_ns: 86_400_000_000_000n, periods_per_year: 252, risk_free_annual_pct: 0, capital_base: "max_capital_used", capital_base_1e9: 200_000_000_000n });
    expect(s.return_pct).toBe(0.209975); // 0.41995 / 200
    // All six ticks are in one day: one period, no Sharpe.
    expect([s.periods, s.sharpe, s.sortino]).toEqual([1, null, null]);
    // Peak 2.40 at t3000 (101.25 prints before the fill), trough −1.18005 at t5000: 3.58005, 1.790025% of 200;
    // never recovered, so the duration runs to the last tick: 6000 − 3000.
    expect(s.max_drawdown_1e9).toBe(3_580_050_000n);
    expect(s.max_drawdown_pct).toBe(1.790025);
    expect([s.max_drawdown_peak_ts_ns, s.max_drawdown_trough_ts_ns, s.max_drawdown_duration_ns, s.max_drawdown_recovered]).toEqual([3000n, 5000n, 3000n, false]);
    // In the market from the first fill (t1000) to the end (t6000), of a 5000 ns run.
    expect([s.time_in_market_ns, s.exposure_pct]).toEqual([5000n, 100]);
    // Notional 200 + 40.40 + 60.60 + 98.50 = 399.50; turnover 399.50 / 200.
    expect([s.notional_1e9, s.turnover]).toEqual([399_500_000_000n, 1.9975]);
    // Paid 0.10; rebated 0.00404 + 0.00606 + 0.00985 = 0.01995.
    expect([s.fees_paid_1e9, s.rebates_1e9]).toEqual([100_000_000n, 19_950_000n]);
  });

  it("samples per interval: Sharpe and Sortino of the per-period PnL over the base", async () => {
    const s = (await run({ sampleNs: 1000n, periodsPerYear: 1000 })).result.statistics;
    // Equity at the end of each 1000 ns interval (engine.test.ts's marks): t1000 mid 99.50 → 2 × 99.5 − 200 − 0.10 = −1.10;
    // t2000 100.50 → 0.90; t3000 after the fill 0.4 + 1.6 × 101.25 − 160 − 0.09596 = 2.30404;
    // t4000 after the fill 1.00 + (101.20 − 100) − 0.0899 = 2.1101; t5000 −1.18005; t6000 0.41995.
    const equity = [-1.1, 0.9, 2.30404, 2.1101, -1.18005, 0.41995];
    const r = equity.map((e, i) => (e - (i === 0 ? 0 : equity[i - 1])) / 200);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const std = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1));
    const down = Math.sqrt(r.reduce((a, x) => a + Math.min(0, x) ** 2, 0) / r.length);
    expect(s.periods).toBe(6);
    expect(s.sharpe).toBeCloseTo((mean / std) * Math.sqrt(1000), 5);
    expect(s.sortino).toBeCloseTo((mean / down) * Math.sqrt(1000), 5);
  });

  it("with capital: percentages of the capital, drawdown of capital + PnL", async () => {
    const s = (await run({ capital_1e9: 1_000_000_000_000n })).result.statistics; // $1,000
    expect(s.settings.capital_base).toBe("capital");
    expect(s.return_pct).toBe(0.041995); // 0.41995 / 1000
    expect(s.max_drawdown_pct).toBe(0.357148); // 3.58005 / 1002.40 = 0.3571478…%
    expect(s.turnover).toBe(0.3995); // 399.50 / 1000
  });
});
