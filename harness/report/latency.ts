/**
 * Callback latency as a log-linear histogram of integer nanoseconds: 16
 * sub-buckets per power of two, so percentiles are within ~6% with constant
 * memory however many callbacks run. Max is exact.
 */
const SUB = 16;
const BUCKETS = 64 * SUB;

export interface LatencySummary {
  count: number;
  p50_ns: number;
  p99_ns: number;
  max_ns: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;

  /** Records `times` callbacks that took `ns` each. */
  record(ns: number, times = 1): void {
    const v = Math.max(0, Math.round(ns));
    this.counts[bucketOf(v)] += times;
    this.count += times;
    if (v > this.max) this.max = v;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const target = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= target) return Math.min(upperBound(b), this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    return { count: this.count, p50_ns: this.percentile(50), p99_ns: this.percentile(99), max_ns: this.max };
  }
}

function bucketOf(v: number): number {
  if (v < SUB) return v;
  if (v < 2 ** 31) {
    // Integer shifts: this runs once per delivered batch, and 2 ** exp with a variable exp is a slow power.
    const exp = 27 - Math.clz32(v); // v >>> exp lies in [16, 32)
    return (exp + 1) * SUB + (v >>> exp) - SUB;
  }
  const exp = Math.floor(Math.log2(v)) - 4; // v / 2^exp lies in [16, 32)
  const sub = Math.floor(v / 2 ** exp) - SUB;
  return Math.min(BUCKETS - 1, (exp + 1) * SUB + sub);
}

function upperBound(b: number): number {
  if (b < SUB) return b;
  const exp = Math.floor(b / SUB) - 1;
  const sub = b % SUB;
  return (SUB + sub + 1) * 2 ** exp - 1;
}
