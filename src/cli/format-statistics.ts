/** The statistics block of the text report (harness/report/statistics.ts; JSON keeps every digit). */
import type { Statistics } from "../../harness/report/statistics.ts";
import { count, duration, signedUsd, usd } from "./format.ts";

/** A duration in the largest two units that matter: "3d 4h", "2h 15m", "12.50 s", "2.5 µs". */
export function span(ns: bigint): string {
  const S = 1_000_000_000n;
  if (ns < 60n * S) return duration(Number(ns));
  const units: Array<[bigint, string]> = [[86_400n * S, "d"], [3_600n * S, "h"], [60n * S, "m"], [S, "s"]];
  const i = units.findIndex(([u]) => ns >= u);
  const [big, a] = units[i];
  const [small, b] = units[i + 1];
  const rest = (ns % big) / small;
  return rest === 0n ? `${ns / big}${a}` : `${ns / big}${a} ${rest}${b}`;
}

const num = (x: number | null, digits = 2) => (x === null ? "-" : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? "-" : `${x > 0 ? "+" : ""}${x.toFixed(2)}%`);

function interval(ns: bigint): string {
  return ns === 86_400_000_000_000n ? "daily" : `${span(ns)}`;
}

export function statisticsRows(s: Statistics): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const set = s.settings;
  const t = s.round_trips;
  // With --capital the account row says the return of capital; without, it is of the most the position ever tied up.
  if (set.capital_base === "max_capital_used")
    rows.push(["return", set.capital_base_1e9 === 0n ? "- (no position was ever held)" : `${pct(s.return_pct)} of the max capital used, ${usd(set.capital_base_1e9)}`]);
  rows.push([
    "Sharpe / Sortino",
    s.periods < 2
      ? `- (needs 2 or more sampled periods; the data spans ${count(s.periods)} at ${interval(set.sample_interval_ns)} sampling: try a shorter --sample)`
      : `${num(s.sharpe)} / ${num(s.sortino)} (${interval(set.sample_interval_ns)} returns, ${count(s.periods)} periods, ×√${set.periods_per_year}${set.risk_free_annual_pct ? `, risk-free ${set.risk_free_annual_pct}%/yr` : ""})`,
  ]);
  const dd = s.max_drawdown_1e9 === 0n ? "none" : `${pct(s.max_drawdown_pct === null ? null : -s.max_drawdown_pct)} (${usd(s.max_drawdown_1e9)}), ${span(s.max_drawdown_duration_ns)} from the peak ${s.max_drawdown_recovered ? "to recovery" : "to the end (not recovered)"}`;
  rows.push(["max drawdown %", dd]);
  rows.push([
    "round trips",
    t.count === 0
      ? "none closed"
      : `${count(t.count)}: ${count(t.wins)} won, ${count(t.losses)} lost (win rate ${num(t.win_rate_pct, 1)}%), profit factor ${num(t.profit_factor)}`,
  ]);
  if (t.count > 0) {
    const avg = (v: bigint | null) => (v === null ? "-" : signedUsd(v));
    rows.push(["per round trip", `avg win ${avg(t.average_win_1e9)}, avg loss ${avg(t.average_loss_1e9)}, expectancy ${avg(t.expectancy_1e9)}, held ${t.average_holding_ns === null ? "-" : span(t.average_holding_ns)} on average`]);
  }
  rows.push(["exposure", `${num(s.exposure_pct, 1)}% of the time in the market (${span(s.time_in_market_ns)})`]);
  rows.push(["turnover", `${num(s.turnover)}× the capital base (${usd(s.notional_1e9)} traded)`]);
  rows.push(["fees / rebates", `${usd(s.fees_paid_1e9)} paid, ${usd(s.rebates_1e9)} rebated`]);
  return rows;
}
