/**
 * The equity series the return statistics are computed from, kept in
 * constant memory per sampling interval, and the deepest drawdown at full
 * resolution (every fill and mark, not only the samples).
 *
 * Sampling: time is cut into intervals of `intervalNs` (UTC, from the epoch);
 * an interval is a period only if the data has a tick in it (a weekend or a
 * holiday with no bars is no period), and its equity is the last equity at
 * or before its last tick. Equity is PnL net of fees, exact at 1e17 USD.
 */
import { tsOf } from "../record-view.ts";
import type { QuietBand } from "../ledger.ts";

/** floor(a / b) for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

export class EquitySeries {
  /** Intervals with data, increasing. */
  private readonly periods: bigint[] = [];
  /** Equity at the end of each interval in which it changed, intervals increasing. */
  private readonly changes: Array<{ interval: bigint; equity: bigint }> = [];

  constructor(readonly intervalNs: bigint) {
    if (intervalNs <= 0n) throw new RangeError("the sampling interval must be positive");
  }

  /** Notes the intervals that `n` records (timestamps non-decreasing) fall in: a binary search per interval, not a look at every tick. */
  observeRecords(words: BigInt64Array, n: number): void {
    let k = 0;
    while (k < n) {
      const interval = floorDiv(tsOf(words, k), this.intervalNs);
      const last = this.periods.length - 1;
      if (last < 0 || interval > this.periods[last]) this.periods.push(interval);
      const next = (interval + 1n) * this.intervalNs;
      if (tsOf(words, n - 1) < next) return;
      let lo = k + 1; // first index whose timestamp is ≥ next lies in (k, n - 1]
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tsOf(words, mid) < next) lo = mid + 1;
        else hi = mid;
      }
      k = lo;
    }
  }

  /** The last change's interval ends here (exclusive): most events fall before it and need no division. */
  private lastEnd: bigint | null = null;

  onEquity(ts: bigint, equity: bigint): void {
    if (this.lastEnd !== null && ts < this.lastEnd) {
      this.changes[this.changes.length - 1].equity = equity; // same interval (or stamped earlier): the later value wins
      return;
    }
    const interval = floorDiv(ts, this.intervalNs);
    this.lastEnd = (interval + 1n) * this.intervalNs;
    this.changes.push({ interval, equity });
  }

  /** Until this time an equity only replaces the last change's (null: the next one starts a change). */
  get sameChangeUntil(): bigint | null {
    return this.lastEnd;
  }

  /** Equity at the end of each period, from 0 before the first, 1e17 USD. */
  samples(): bigint[] {
    const out: bigint[] = [];
    let equity = 0n;
    let c = 0;
    for (const p of this.periods) {
      while (c < this.changes.length && this.changes[c].interval <= p) equity = this.changes[c++].equity;
      out.push(equity);
    }
    return out;
  }
}

export interface Drawdown {
  /** Depth, 1e17 USD. */
  depth: bigint;
  /** Equity at the peak (capital + PnL), 1e17 USD: the depth's denominator as a fraction. */
  peak: bigint;
  peak_ts: bigint;
  trough_ts: bigint;
  /** When equity first got back to the peak; null if it never did. */
  recovered_ts: bigint | null;
}

/**
 * The deepest fall of equity from its running peak. With capital, "deepest"
 * is by fraction of the peak equity (capital + PnL), compared exactly by
 * cross-multiplication; without, by USD.
 */
export class DrawdownTracker {
  private peak: bigint;
  private peakTs: bigint | null = null;
  private current: Drawdown | null = null;
  deepest: Drawdown | null = null;

  constructor(private readonly capital_1e17: bigint | null) {
    this.peak = capital_1e17 ?? 0n;
  }

  /** `start` stamps the starting equity's peak. */
  onEquity(ts: bigint, pnl: bigint, start: bigint): void {
    const equity = this.capital_1e17 === null ? pnl : this.capital_1e17 + pnl;
    if (equity >= this.peak) {
      if (this.current !== null && this.current.recovered_ts === null) this.current.recovered_ts = ts;
      this.current = null;
      this.peakTs = ts; // a fall starts when equity last stood at its peak
      this.peak = equity;
      return;
    }
    const depth = this.peak - equity;
    if (this.current === null) {
      this.current = { depth, peak: this.peak, peak_ts: this.peakTs ?? start, trough_ts: ts, recovered_ts: null };
    } else if (depth > this.current.depth) {
      this.current.depth = depth;
      this.current.trough_ts = ts;
    } else return;
    if (this.deepest === null || this.deeper(this.current, this.deepest)) this.deepest = this.current;
  }

  /** PnL in [lo, hi) changes nothing here: below the peak, no deeper than the current fall. Null when none is under way. */
  quietBand(until: bigint): QuietBand | null {
    if (this.current === null) return null;
    const peakPnl = this.capital_1e17 === null ? this.peak : this.peak - this.capital_1e17;
    return { lo: peakPnl - this.current.depth, hi: peakPnl, until };
  }

  private deeper(a: Drawdown, b: Drawdown): boolean {
    if (this.capital_1e17 === null || a.peak <= 0n || b.peak <= 0n) return a.depth > b.depth;
    return a.depth * b.peak > b.depth * a.peak;
  }
}
