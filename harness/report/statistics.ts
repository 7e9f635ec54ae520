/**
 * The statistics a quant judges a strategy by, defined in
 * docs/backtesting.md#statistics. Collected while the backtest runs (the
 * ledger reports equity, the engine reports fills and tick times) in memory
 * that does not grow with the number of ticks or fills; round trips stream
 * out to `onRoundTrip` (the --trades CSV) instead of being kept.
 *
 * Money is exact (BigInt, 1e17 USD inside, 1e9 out, rounded half-even);
 * ratios (percentages, Sharpe, Sortino, profit factor, turnover) are computed
 * in float at the end from those exact inputs, in a fixed order, and rounded
 * to 6 decimals, so they are the same on every machine.
 */
import { divRound } from "../fixed.ts";
import { DrawdownTracker, EquitySeries } from "./equity-series.ts";
import { RoundTripMatcher, roundTrip, type Lot, type RoundTrip } from "./round-trips.ts";
import { SideCode } from "../abi.ts";
import type { RunSeries } from "./run-series.ts";
import type { QuietBand } from "../ledger.ts";

const E8 = 100_000_000n;
export const DAY_NS = 86_400_000_000_000n;

export interface StatsSettings {
  /** The return series' sampling interval, ns (default one day). */
  sampleNs?: bigint;
  /** Periods per year for annualising (default 252 with daily sampling, else 365 days' worth of intervals). */
  periodsPerYear?: number;
  /** Annual risk-free rate in percent (default 0). */
  riskFreePct?: number;
  /** Starting cash, 1e9 USD; without it, percentages are of the most capital the position ever used. */
  capital_1e9?: bigint | null;
  /** Every round trip as it closes (the --trades export). */
  onRoundTrip?: (trip: RoundTrip) => void;
  /** Equity, position and price over time for the saved results' charts (src/results/). */
  series?: RunSeries;
}

export interface RoundTripStats {
  count: number;
  wins: number;
  losses: number;
  win_rate_pct: number | null;
  /** Sum of winning trips' net PnL over the absolute sum of losing trips'; null with no losing trip. */
  profit_factor: number | null;
  gross_profit_1e9: bigint;
  gross_loss_1e9: bigint;
  average_win_1e9: bigint | null;
  average_loss_1e9: bigint | null;
  /** Net PnL per round trip. */
  expectancy_1e9: bigint | null;
  net_pnl_1e9: bigint;
  fees_1e9: bigint;
  average_holding_ns: bigint | null;
}

export interface Statistics {
  settings: {
    sample_interval_ns: bigint;
    periods_per_year: number;
    risk_free_annual_pct: number;
    /** What percentages are of: "capital" (--capital) or "max_capital_used". */
    capital_base: "capital" | "max_capital_used";
    capital_base_1e9: bigint;
  };
  return_pct: number | null;
  /** Number of sampled returns behind Sharpe and Sortino. */
  periods: number;
  sharpe: number | null;
  sortino: number | null;
  max_drawdown_pct: number | null;
  max_drawdown_1e9: bigint;
  max_drawdown_peak_ts_ns: bigint | null;
  max_drawdown_trough_ts_ns: bigint | null;
  /** Peak to recovery, or to the end of the data if equity never recovered. */
  max_drawdown_duration_ns: bigint;
  max_drawdown_recovered: boolean;
  time_in_market_ns: bigint;
  exposure_pct: number | null;
  /** Notional traded over the capital base. */
  turnover: number | null;
  notional_1e9: bigint;
  fees_paid_1e9: bigint;
  rebates_1e9: bigint;
  round_trips: RoundTripStats;
}

/** To the nearest 1e-6, so floats print the same everywhere; null for what is not a finite number. */
function round6(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r; // no "-0"
}

const to1e9 = (v: bigint) => divRound(v, E8, "half-even");

export class StatsCollector {
  readonly series: EquitySeries;
  private readonly drawdown: DrawdownTracker;
  private readonly matcher: RoundTripMatcher;
  private readonly capital: bigint | null;
  private maxCapitalUsed = 0n; // 1e17
  private notional = 0n; // 1e17
  private feesPaid = 0n;
  private rebates = 0n;
  private inMarket = 0n;
  private openedAt = 0n;
  private start: bigint | null = null;
  // round trips, 1e17 where money
  private trips = 0;
  private wins = 0;
  private losses = 0;
  private won = 0n;
  private lost = 0n;
  private tripFees = 0n;
  private holding = 0n;

  constructor(readonly settings: StatsSettings = {}) {
    this.series = new EquitySeries(settings.sampleNs ?? DAY_NS);
    this.capital = settings.capital_1e9 ?? null;
    this.drawdown = new DrawdownTracker(this.capital === null ? null : this.capital * E8);
    this.matcher = new RoundTripMatcher((...trip) => this.onTrip(...trip));
  }

  /** Tick times: which sampling intervals have data. */
  observeRecords(words: BigInt64Array, n: number): void {
    if (n === 0) return;
    this.start ??= words[0];
    this.series.observeRecords(words, n);
    this.settings.series?.observeRecords(words, n);
  }

  onEquity(ts: bigint, equity_1e17: bigint): void {
    this.series.onEquity(ts, equity_1e17);
    this.drawdown.onEquity(ts, equity_1e17, this.start ?? ts);
    this.settings.series?.onEquity(ts, equity_1e17);
  }

  /** Equities that would only replace the latest one (ledger.ts QuietBand), in the return series and the charts' series alike. */
  quietBand(): QuietBand | null {
    let until = this.series.sameChangeUntil;
    if (until === null) return null;
    if (this.settings.series) {
      const bucketEnd = this.settings.series.sameBucketUntil;
      if (bucketEnd === null) return null;
      if (bucketEnd < until) until = bucketEnd;
    }
    return this.drawdown.quietBand(until);
  }

  /** A fill of `qty` (1e8) at `px` (1e9); `value` is its notional qty × px (1e17), which the ledger has already worked out. */
  onFill(ts: bigint, orderId: bigint, side: SideCode, px: bigint, qty: bigint, fee: bigint, value = qty * px): void {
    const before = this.matcher.position;
    this.notional += value;
    if (fee >= 0n) this.feesPaid += fee;
    else this.rebates -= fee;
    this.matcher.add(ts, orderId, side, px, qty, fee, value);
    this.settings.series?.onFill(ts, side, qty);
    const after = this.matcher.position;
    if (before === 0n && after !== 0n) this.openedAt = ts;
    else if (before !== 0n && after === 0n) this.inMarket += ts - this.openedAt;
    const cost = this.matcher.openCost;
    if (cost > this.maxCapitalUsed) this.maxCapitalUsed = cost;
    else if (cost < 0n && -cost > this.maxCapitalUsed) this.maxCapitalUsed = -cost; // negative prices
  }

  private onTrip(long: boolean, entry: Lot, exitTs: bigint, exitOrderId: bigint, part: bigint, exitPx: bigint, gross: bigint, fees: bigint): void {
    const net = fees === 0n ? gross : gross - fees * E8;
    this.trips++;
    if (net > 0n) (this.wins++, (this.won += net));
    else if (net < 0n) (this.losses++, (this.lost -= net));
    if (fees !== 0n) this.tripFees += fees;
    this.holding += exitTs - entry.ts;
    this.settings.onRoundTrip?.(roundTrip(long, entry, exitTs, exitOrderId, part, exitPx, gross, fees));
  }

  /** The statistics of the run so far; `netPnl_1e9` is the ledger's, open position included. */
  summary(netPnl_1e9: bigint, firstTs: bigint | null, lastTs: bigint): Statistics {
    const s = this.settings;
    const sampleNs = this.series.intervalNs;
    const periodsPerYear = s.periodsPerYear ?? (sampleNs === DAY_NS ? 252 : Number((365n * DAY_NS) / sampleNs));
    const riskFreePct = s.riskFreePct ?? 0;
    const base = this.capital !== null ? this.capital * E8 : this.maxCapitalUsed; // 1e17
    const ratio = (a: bigint, b: bigint) => (b === 0n ? null : round6(Number(a) / Number(b)));
    const pct = (a: bigint, b: bigint) => (b === 0n ? null : round6((Number(a) / Number(b)) * 100));

    const { sharpe, sortino, periods } = returnRatios(this.returnsOf(base), periodsPerYear, riskFreePct);

    const dd = this.drawdown.deepest;
    const end = lastTs;
    const inMarket = this.inMarket + (this.matcher.position !== 0n ? end - this.openedAt : 0n);
    const span = firstTs === null ? 0n : end - firstTs;
    const n = BigInt(this.trips);
    return {
      settings: {
        sample_interval_ns: sampleNs,
        periods_per_year: periodsPerYear,
        risk_free_annual_pct: riskFreePct,
        capital_base: this.capital !== null ? "capital" : "max_capital_used",
        capital_base_1e9: to1e9(base),
      },
      return_pct: pct(netPnl_1e9 * E8, base),
      periods,
      sharpe,
      sortino,
      max_drawdown_pct: dd === null ? 0 : this.capital !== null ? pct(dd.depth, dd.peak) : pct(dd.depth, base),
      max_drawdown_1e9: dd === null ? 0n : to1e9(dd.depth),
      max_drawdown_peak_ts_ns: dd?.peak_ts ?? null,
      max_drawdown_trough_ts_ns: dd?.trough_ts ?? null,
      max_drawdown_duration_ns: dd === null ? 0n : (dd.recovered_ts ?? end) - dd.peak_ts,
      max_drawdown_recovered: dd === null || dd.recovered_ts !== null,
      time_in_market_ns: inMarket,
      exposure_pct: span === 0n ? null : pct(inMarket, span),
      turnover: ratio(this.notional, base),
      notional_1e9: to1e9(this.notional),
      fees_paid_1e9: this.feesPaid,
      rebates_1e9: this.rebates,
      round_trips: {
        count: this.trips,
        wins: this.wins,
        losses: this.losses,
        win_rate_pct: this.trips === 0 ? null : round6((this.wins / this.trips) * 100),
        profit_factor: ratio(this.won, this.lost),
        gross_profit_1e9: to1e9(this.won),
        gross_loss_1e9: to1e9(this.lost),
        average_win_1e9: this.wins === 0 ? null : divRound(this.won, BigInt(this.wins) * E8, "half-even"),
        average_loss_1e9: this.losses === 0 ? null : -divRound(this.lost, BigInt(this.losses) * E8, "half-even"),
        expectancy_1e9: n === 0n ? null : divRound(this.won - this.lost, n * E8, "half-even"),
        net_pnl_1e9: to1e9(this.won - this.lost),
        fees_1e9: this.tripFees,
        average_holding_ns: n === 0n ? null : divRound(this.holding, n, "half-even"),
      },
    };
  }

  /**
   * Per-period simple returns. With capital: equity (capital + PnL) over the
   * previous period's, compounding. Without: the period's PnL over the
   * capital base. None once equity is gone (≤ 0).
   */
  private returnsOf(base: bigint): number[] {
    const samples = this.series.samples();
    const out: number[] = [];
    if (base <= 0n) return out;
    let prev = 0n;
    for (const pnl of samples) {
      if (this.capital !== null) {
        const before = base + prev;
        if (before <= 0n) return [];
        out.push(Number(pnl - prev) / Number(before));
      } else out.push(Number(pnl - prev) / Number(base));
      prev = pnl;
    }
    return out;
  }
}

/**
 * Sharpe: mean excess return over its sample standard deviation (n − 1),
 * × √periodsPerYear. Sortino: mean excess return over the downside deviation
 * √(Σ min(0, r − rf)² / n) (all n periods, the usual definition), × √periodsPerYear.
 * rf per period = annual rate / periodsPerYear. Null with fewer than 2
 * returns or a zero deviation.
 */
export function returnRatios(returns: readonly number[], periodsPerYear: number, riskFreePct: number): { sharpe: number | null; sortino: number | null; periods: number } {
  const n = returns.length;
  if (n < 2) return { sharpe: null, sortino: null, periods: n };
  const rf = riskFreePct / 100 / periodsPerYear;
  let sum = 0;
  for (const r of returns) sum += r - rf;
  const mean = sum / n;
  let sq = 0;
  let down = 0;
  for (const r of returns) {
    const x = r - rf;
    sq += (x - mean) * (x - mean);
    if (x < 0) down += x * x;
  }
  const std = Math.sqrt(sq / (n - 1));
  const downside = Math.sqrt(down / n);
  const annual = Math.sqrt(periodsPerYear);
  return {
    sharpe: std === 0 ? null : round6((mean / std) * annual),
    sortino: downside === 0 ? null : round6((mean / downside) * annual),
    periods: n,
  };
}
