/**
 * The equity, position and market price over time, for the saved results'
 * charts and CSVs, in memory that does not grow with the run: time is cut
 * into buckets (from 1 µs, aligned to the epoch); when more than MAX_BUCKETS
 * hold data, the width doubles and neighbouring buckets merge. A bucket keeps
 * the last value of each series seen in it, so a point is the state at the
 * end of its bucket. Money and quantities stay exact (BigInt).
 */
import { Kind, SideCode } from "../abi.ts";
import { kindOf, tsOf, Word, wordOf } from "../record-view.ts";

/** At most this many points in a series (docs/backtesting.md#saved-results). */
export const MAX_SERIES_POINTS = 2000;
const MAX_BUCKETS = MAX_SERIES_POINTS;
const FIRST_WIDTH_NS = 1000n;

export interface SeriesPoint {
  /** The end of the bucket's data: the last event's time in it. */
  ts_ns: bigint;
  /** PnL net of fees, 1e17 USD (exact). */
  equity_1e17: bigint;
  /** Signed position, 1e8 units. */
  position_1e8: bigint;
  /** The last trade price or quote mid seen, 1e9; null before any. */
  price_1e9: bigint | null;
}

interface Bucket {
  index: bigint;
  ts: bigint;
  equity: bigint | null;
  position: bigint | null;
  price: bigint | null;
}

/** floor(a / b) for b > 0. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

export class RunSeries {
  private width = FIRST_WIDTH_NS;
  private buckets: Bucket[] = [];
  private position = 0n;

  /** Market prices of `n` records (timestamps non-decreasing): the last quote mid or trade price of each bucket they touch. */
  observeRecords(words: BigInt64Array, n: number): void {
    let k = 0;
    while (k < n) {
      const bucket = this.bucketAt(tsOf(words, k));
      const next = (bucket.index + 1n) * this.width;
      let lo = k; // the last record before `next` lies in [k, n - 1]
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (tsOf(words, mid) < next) lo = mid;
        else hi = mid - 1;
      }
      if (tsOf(words, lo) > bucket.ts) bucket.ts = tsOf(words, lo);
      for (let i = lo; i >= k && i > lo - 16; i--) {
        const price = priceOf(words, i);
        if (price !== null) {
          bucket.price = price;
          break;
        }
      }
      k = lo + 1;
    }
  }

  /** The bucket of the last equity, at the width then (a later merge only widens it). */
  private equityIndex: bigint | null = null;
  private equityWidth = FIRST_WIDTH_NS;

  onEquity(ts: bigint, equity_1e17: bigint): void {
    const bucket = this.bucketAt(ts);
    bucket.equity = equity_1e17;
    this.equityIndex = bucket.index;
    this.equityWidth = this.width;
  }

  /**
   * Until this time (exclusive) an equity lands in the last equity's bucket
   * and only replaces it (the ledger's quiet band, ledger.ts); null before any equity.
   */
  get sameBucketUntil(): bigint | null {
    return this.equityIndex === null ? null : (this.equityIndex + 1n) * this.equityWidth;
  }

  onFill(ts: bigint, side: SideCode, qty_1e8: bigint): void {
    this.position += side === SideCode.Buy ? qty_1e8 : -qty_1e8;
    this.bucketAt(ts).position = this.position;
  }

  /** Each bucket's state at its end, values carried forward from earlier buckets. */
  points(): SeriesPoint[] {
    let equity = 0n;
    let position = 0n;
    let price: bigint | null = null;
    return this.buckets.map((b) => {
      equity = b.equity ?? equity;
      position = b.position ?? position;
      price = b.price ?? price;
      return { ts_ns: b.ts, equity_1e17: equity, position_1e8: position, price_1e9: price };
    });
  }

  /** The bucket holding `ts` (created if new, in time order). */
  private bucketAt(ts: bigint): Bucket {
    const index = floorDiv(ts, this.width);
    let last = this.buckets[this.buckets.length - 1];
    if (last === undefined || index > last.index) {
      if (this.buckets.length >= MAX_BUCKETS) {
        this.merge();
        return this.bucketAt(ts);
      }
      last = { index, ts, equity: null, position: null, price: null };
      this.buckets.push(last);
      return last;
    }
    if (index === last.index) {
      if (ts > last.ts) last.ts = ts;
      return last;
    }
    // Before the newest bucket: the records of a batch are observed before its fills and marks. Binary search.
    let lo = 0; // the last bucket whose index ≤ `index`, or 0
    let hi = this.buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.buckets[mid].index <= index) lo = mid;
      else hi = mid - 1;
    }
    const i = lo;
    const b = this.buckets[i];
    if (b.index === index) {
      if (ts > b.ts) b.ts = ts;
      return b;
    }
    const created: Bucket = { index, ts, equity: null, position: null, price: null };
    this.buckets.splice(b.index < index ? i + 1 : i, 0, created);
    if (this.buckets.length > MAX_BUCKETS) this.merge();
    return this.bucketAt(ts);
  }

  /** Doubles the width: buckets 2k and 2k+1 become bucket k, the later values winning. */
  private merge(): void {
    this.width *= 2n;
    const merged: Bucket[] = [];
    for (const b of this.buckets) {
      const index = floorDiv(b.index, 2n);
      const last = merged[merged.length - 1];
      if (last === undefined || last.index !== index) {
        merged.push({ ...b, index });
        continue;
      }
      last.ts = b.ts > last.ts ? b.ts : last.ts;
      last.equity = b.equity ?? last.equity;
      last.position = b.position ?? last.position;
      last.price = b.price ?? last.price;
    }
    this.buckets = merged;
  }
}

/** A QUOTE's mid (both sides present) or a TRADE's price, 1e9; null for other records. */
function priceOf(words: BigInt64Array, i: number): bigint | null {
  const kind = kindOf(words, i);
  if (kind === Kind.Trade) return wordOf(words, i, Word.TradePx);
  if (kind === Kind.Quote) {
    const bid = wordOf(words, i, Word.BidPx);
    const ask = wordOf(words, i, Word.AskPx);
    if (bid > 0n && ask > 0n) return (bid + ask) / 2n;
  }
  return null;
}
