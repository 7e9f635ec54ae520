// sequence-algo runtime: fixed-point rolling indicators (AssemblyScript).
//
// Small classes an algo keeps as fields. Each allocates once, in its
// constructor (a `StaticArray<i64>` ring buffer where a window is needed);
// `push` and the read methods never allocate, so they are safe per tick.
//
// All state is integer and exact (running sums are updated by adding the new
// value and subtracting the evicted one, in integers, so there is no drift over
// millions of ticks, unlike f64 running sums). Results are rounded once, by a
// documented rule. Inputs are plain i64 in any scale (Px at 1e9, Qty at 1e8,
// returns in bps, ...); outputs are in the same scale unless stated otherwise.
// Every overflow traps with a message naming the indicator; nothing wraps.

import {
  Rounding,
  divRound,
  mulDiv,
  mulHigh,
  isqrt128,
  isqrtDiv128,
} from "./fixed";

/** Scale of z-scores returned by `RollingStd.zScoreOf` / `RollingZScore.value` (1.0 = 1e9). */
export const Z_SCALE: i64 = 1_000_000_000;

/**
 * round(base + q + r/den) HalfEven, given q and 0 ≤ r < den: rounds the exact
 * sum once (rounding r/den on its own and adding `base` afterwards would get
 * the ties wrong whenever base is odd).
 */
// @ts-ignore: decorator
@inline function roundHalfEvenSum(base: i64, q: i64, r: i64, den: i64, what: string): i64 {
  let t = base + q;
  // `what` is a static string, so the trap path does not allocate either
  if (((base ^ t) & (q ^ t)) < 0) { abort(what); unreachable(); }
  let h = den - r;
  if (r > h || (r == h && r != 0 && (t & 1) != 0)) {
    if (t == i64.MAX_VALUE) { abort(what); unreachable(); }
    t += 1;
  }
  return t;
}

// ---------------------------------------------------------------------------
// RollingMean
// ---------------------------------------------------------------------------

/**
 * Simple moving average of the last `window` values.
 *
 * Assumptions: the exact sum of any `window` consecutive values (and of
 * `window − 1` of them, an intermediate while the oldest is evicted) fits in
 * i64; otherwise `push` traps "RollingMean: window sum overflows i64".
 * E.g. prices at 1e9 up to $1e6 (1e15) allow windows up to ~9,000.
 *
 * `value()` is sum / count rounded HalfEven (so at most half a unit off the
 * exact mean). Before the window is full it is the mean of the values seen so
 * far (`ready()` tells the two apart); 0 before any value.
 */
export class RollingMean {
  readonly window: i32;
  private buf: StaticArray<i64>;
  private head: i32 = 0; // next slot to write (= oldest value once full)
  private n: i32 = 0;
  private total: i64 = 0;

  constructor(window: i32) {
    if (window <= 0) throw new Error("RollingMean: window must be > 0");
    this.window = window;
    this.buf = new StaticArray<i64>(window);
  }

  /** Adds a value, evicting the oldest one once the window is full. */
  push(x: i64): void {
    // state is committed only after every check, so a trap leaves it unchanged
    let s = this.total;
    let h = this.head;
    let n = this.n;
    if (n == this.window) {
      let old = unchecked(this.buf[h]);
      let t = s - old;
      if (((s ^ old) & (s ^ t)) < 0) throw new Error("RollingMean: window sum overflows i64");
      s = t;
    } else {
      n += 1;
    }
    let u = s + x;
    if (((s ^ u) & (x ^ u)) < 0) throw new Error("RollingMean: window sum overflows i64");
    this.total = u;
    this.n = n;
    unchecked((this.buf[h] = x));
    h += 1;
    this.head = h == this.window ? 0 : h;
  }

  /** Mean of the values in the window, rounded HalfEven; 0 when empty. */
  value(): i64 {
    if (this.n == 0) return 0;
    return divRound(this.total, this.n, Rounding.HalfEven);
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.n == this.window;
  }

  /** Number of values currently in the window (≤ window). */
  count(): i32 {
    return this.n;
  }

  /** Exact sum of the values in the window. */
  sum(): i64 {
    return this.total;
  }

  /** Forgets every value (keeps the buffer). */
  reset(): void {
    this.head = 0;
    this.n = 0;
    this.total = 0;
  }
}

// ---------------------------------------------------------------------------
// RollingStd
// ---------------------------------------------------------------------------

/**
 * Mean and standard deviation of the last `window` values, exact.
 *
 * Method (chosen for exactness and determinism): values are shifted by a
 * reference K (the first value pushed after construction / `reset`), and the
 * window keeps S1 = Σ(x − K) in i64 and S2 = Σ(x − K)² in 128 bits, both
 * updated exactly on push and eviction. The population variance is
 * X / n² with X = n·S2 − S1² (computed exactly in 128 bits), and
 *   std()       = ⌊√(X / n²)⌋            (population, ddof = 0)
 *   sampleStd() = ⌊√(X / (n·(n − 1)))⌋   (sample, ddof = 1)
 * via an exact integer square root (`isqrtDiv128`). Both are rounded DOWN
 * (floor), i.e. at most one unit below the true deviation. f64 is used only
 * as a starting guess inside the integer square root, which is then corrected
 * exactly, so results are bit-for-bit deterministic.
 *
 * Assumptions (each traps with a "RollingStd: ..." message when violated):
 * every x − K fits in i64, S1 = Σ(x − K) fits in i64, and n·S2 fits in 128
 * bits. With |x − K| ≤ D that holds for windows n ≤ 9.2e18/D:
 * prices at 1e9 staying within ±$1,000 of K (D = 1e12) allow ~9 million;
 * within ±$50,000 (D = 5e13) ~180,000. K is not re-based while values
 * stream in (only `reset` changes it), so a long backtest whose price drifts
 * far from its first value uses up this headroom.
 */
export class RollingStd {
  readonly window: i32;
  private buf: StaticArray<i64>; // stores x − K
  private head: i32 = 0;
  private n: i32 = 0;
  private based: bool = false;
  private k: i64 = 0;
  private s1: i64 = 0;
  private s2hi: u64 = 0;
  private s2lo: u64 = 0;

  constructor(window: i32) {
    if (window <= 0) throw new Error("RollingStd: window must be > 0");
    this.window = window;
    this.buf = new StaticArray<i64>(window);
  }

  /** Adds a value, evicting the oldest one once the window is full. */
  push(x: i64): void {
    // state is committed only after every check, so a trap leaves it unchanged
    let k = this.based ? this.k : x;
    let d = x - k;
    if (((x ^ k) & (x ^ d)) < 0) throw new Error("RollingStd: value too far from the reference (x - K overflows i64)");
    let s1 = this.s1;
    let hi = this.s2hi;
    let lo = this.s2lo;
    let h = this.head;
    let n = this.n;
    if (n == this.window) {
      let old = unchecked(this.buf[h]);
      // S1 -= old (cannot overflow unless S1 already held an impossible value)
      let t = s1 - old;
      if (((s1 ^ old) & (s1 ^ t)) < 0) throw new Error("RollingStd: window sum overflows i64");
      s1 = t;
      // S2 -= old² (the exact S2 is always ≥ old², so no borrow out of 128 bits)
      let m = old < 0 ? <u64>(0 - old) : <u64>old;
      let sqLo = m * m;
      let sqHi = mulHigh(m, m);
      let borrow: u64 = lo < sqLo ? 1 : 0;
      lo -= sqLo;
      hi = hi - sqHi - borrow;
    } else {
      n += 1;
    }
    let u = s1 + d;
    if (((s1 ^ u) & (d ^ u)) < 0) throw new Error("RollingStd: window sum overflows i64");
    s1 = u;
    let m = d < 0 ? <u64>(0 - d) : <u64>d;
    let sqLo = m * m;
    let sqHi = mulHigh(m, m);
    lo += sqLo;
    let carry: u64 = lo < sqLo ? 1 : 0;
    let nhi = hi + sqHi + carry;
    if (nhi < hi) throw new Error("RollingStd: sum of squares overflows 128 bits");
    this.k = k;
    this.based = true;
    this.n = n;
    this.s1 = s1;
    this.s2hi = nhi;
    this.s2lo = lo;
    unchecked((this.buf[h] = d));
    h += 1;
    this.head = h == this.window ? 0 : h;
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.n == this.window;
  }

  /** Number of values currently in the window. */
  count(): i32 {
    return this.n;
  }

  /** Mean of the window, K + S1/n rounded once HalfEven (same value as `RollingMean`); 0 when empty. */
  mean(): i64 {
    let n = <i64>this.n;
    if (n == 0) return 0;
    let q = divRound(this.s1, n, Rounding.Floor);
    return roundHalfEvenSum(this.k, q, this.s1 - q * n, n, "RollingStd: mean overflows i64");
  }

  /** X = n·S2 − S1² (≥ 0); high half returned, low half in `xLo`. */
  private xLo: u64 = 0;
  private computeX(): u64 {
    let n = <u64>this.n;
    // n·S2, 128-bit; must fit
    let lo = this.s2lo * n;
    let carry = mulHigh(this.s2lo, n);
    let hiProdHigh = mulHigh(this.s2hi, n);
    let hiProd = this.s2hi * n;
    let hi = hiProd + carry;
    if (hiProdHigh != 0 || hi < hiProd) throw new Error("RollingStd: n * sum of squares overflows 128 bits");
    // − S1²
    let s1 = this.s1;
    let m = s1 < 0 ? <u64>(0 - s1) : <u64>s1;
    let sqLo = m * m;
    let sqHi = mulHigh(m, m);
    let borrow: u64 = lo < sqLo ? 1 : 0;
    this.xLo = lo - sqLo;
    return hi - sqHi - borrow; // ≥ 0 by Cauchy–Schwarz
  }

  /** Population standard deviation (ddof = 0), floor, same scale as the input; 0 when n < 2. */
  std(): i64 {
    let n = this.n;
    if (n < 2) return 0;
    let hi = this.computeX();
    return <i64>isqrtDiv128(hi, this.xLo, <u64>n * <u64>n);
  }

  /** Sample standard deviation (ddof = 1), floor, same scale as the input; 0 when n < 2. */
  sampleStd(): i64 {
    let n = this.n;
    if (n < 2) return 0;
    let hi = this.computeX();
    return <i64>isqrtDiv128(hi, this.xLo, <u64>n * <u64>(n - 1));
  }

  /**
   * z-score of `x` against the current window, (x − mean)/std with the
   * population std, scaled by Z_SCALE (1e9) and rounded HalfEven.
   * Computed from the exact sums as (n·(x − K) − S1) / √X, so the only
   * inexact step is ⌊√X⌋ (relative error < 1/√X, tiny unless the window's
   * values differ by only a few units). Returns 0 when n < 2 or the window
   * is constant. Traps "RollingStd: z-score numerator overflows i64" when
   * n·(x − K) does not fit in i64.
   */
  zScoreOf(x: i64): i64 {
    let n = this.n;
    if (n < 2) return 0;
    let hi = this.computeX();
    let root = isqrt128(hi, this.xLo);
    if (root == 0) return 0;
    let k = this.k;
    let d = x - k;
    if (((x ^ k) & (x ^ d)) < 0) throw new Error("RollingStd: z-score numerator overflows i64");
    let nd = <i64>n * d;
    if (d != 0 && nd / d != <i64>n) throw new Error("RollingStd: z-score numerator overflows i64");
    let s1 = this.s1;
    let num = nd - s1;
    if (((nd ^ s1) & (nd ^ num)) < 0) throw new Error("RollingStd: z-score numerator overflows i64");
    // root < 2^64 but may exceed i64: halve both sides in that (absurd) case
    if (root > <u64>i64.MAX_VALUE) return mulDiv(num >> 1, Z_SCALE, <i64>(root >> 1), Rounding.HalfEven);
    return mulDiv(num, Z_SCALE, <i64>root, Rounding.HalfEven);
  }

  /** Forgets every value; the next value pushed becomes the new reference K. */
  reset(): void {
    this.head = 0;
    this.n = 0;
    this.based = false;
    this.k = 0;
    this.s1 = 0;
    this.s2hi = 0;
    this.s2lo = 0;
  }
}

// ---------------------------------------------------------------------------
// RollingZScore
// ---------------------------------------------------------------------------

/**
 * z-score of the latest value against the last `window` values (the window
 * includes the latest value, like pandas `(x - x.rolling(w).mean()) /
 * x.rolling(w).std(ddof=0)`). Uses the POPULATION standard deviation.
 * `value()` is scaled by Z_SCALE (1e9): 1.5σ above the mean → 1_500_000_000.
 * Same assumptions and exactness as `RollingStd.zScoreOf`.
 */
export class RollingZScore {
  readonly stats: RollingStd;
  private last: i64 = 0;

  constructor(window: i32) {
    if (window <= 0) throw new Error("RollingZScore: window must be > 0");
    this.stats = new RollingStd(window);
  }

  push(x: i64): void {
    this.stats.push(x);
    this.last = x;
  }

  /** z of the latest value × 1e9, HalfEven; 0 until two values or when the window is constant. */
  value(): i64 {
    return this.stats.zScoreOf(this.last);
  }

  /** FOR DISPLAY ONLY: value() / 1e9 as f64. */
  valueF64(): f64 {
    return <f64>this.value() / 1e9;
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.stats.ready();
  }

  mean(): i64 {
    return this.stats.mean();
  }

  std(): i64 {
    return this.stats.std();
  }

  reset(): void {
    this.stats.reset();
    this.last = 0;
  }
}

// ---------------------------------------------------------------------------
// Ema
// ---------------------------------------------------------------------------

/**
 * Exponential moving average in fixed point:
 *   ema₀ = x₀;  emaₜ = round(emaₜ₋₁ + α·(xₜ − emaₜ₋₁))
 * with α an exact fraction: `new Ema(period)` uses α = 2/(period + 1)
 * exactly (no bps approximation); `Ema.fromAlphaBps(b)` uses α = b/10_000.
 * Each step is computed exactly and rounded ONCE, HalfEven, so a step is at
 * most half a unit off; the accumulated error versus the exact (unrounded)
 * EMA stays below 0.5/α units (≤ 5.25 units for period 20, i.e. ~5e-9 USD
 * on a Px).
 * Seeded with the first value (pandas `ewm(adjust=False)`); `ready()` after
 * `period` values (for `fromAlphaBps`: after ⌈2/α − 1⌉ values, the period
 * with the same α).
 * Assumptions: xₜ − emaₜ₋₁ fits in i64 (traps "Ema: x - ema overflows i64").
 */
export class Ema {
  private num: i64;
  private den: i64;
  private warm: i32;
  private v: i64 = 0;
  private n: i32 = 0;

  constructor(period: i32) {
    if (period < 1) throw new Error("Ema: period must be >= 1");
    this.num = 2;
    this.den = <i64>period + 1;
    this.warm = period;
  }

  /** α = alphaBps/10_000 with 0 < alphaBps ≤ 10_000. Allocates: call at setup, not per tick. */
  static fromAlphaBps(alphaBps: i64): Ema {
    if (alphaBps <= 0 || alphaBps > 10_000) throw new Error("Ema: alphaBps must be in 1..10000");
    let e = new Ema(1);
    e.num = alphaBps;
    e.den = 10_000;
    e.warm = <i32>(19_999 / alphaBps); // ⌈(20_000 − b)/b⌉ = ⌈2/α − 1⌉
    if (e.warm < 1) e.warm = 1;
    return e;
  }

  push(x: i64): void {
    if (this.n == 0) {
      this.v = x;
      this.n = 1;
      return;
    }
    let v = this.v;
    let d = x - v;
    if (((x ^ v) & (x ^ d)) < 0) throw new Error("Ema: x - ema overflows i64");
    let num = this.num;
    let den = this.den;
    // v + d·num/den, rounded once HalfEven: q = ⌊d·num/den⌋, r = d·num − q·den ∈ [0, den)
    let q = mulDiv(d, num, den, Rounding.Floor);
    let r = d * num - q * den; // exact: wrapping arithmetic, true value in [0, den)
    // v + q lies between v and x, and so does the rounded result: no overflow
    this.v = roundHalfEvenSum(v, q, r, den, "Ema: overflow");
    if (this.n < this.warm) this.n += 1;
  }

  /** Current average; 0 before the first value. */
  value(): i64 {
    return this.v;
  }

  /** True once the warm-up count of values has been pushed. */
  ready(): bool {
    return this.n >= this.warm;
  }

  /** α as the exact fraction num/den. */
  alphaNum(): i64 {
    return this.num;
  }
  alphaDen(): i64 {
    return this.den;
  }

  reset(): void {
    this.v = 0;
    this.n = 0;
  }
}

// ---------------------------------------------------------------------------
// RollingMax / RollingMin
// ---------------------------------------------------------------------------

/**
 * Shared monotonic deque behind RollingMax and RollingMin: it keeps, in
 * arrival order, only the values that can still become the extreme (each
 * later one is strictly better than nothing newer), so `push` is O(1)
 * amortized and `value` O(1). Two ring buffers of `window` slots, allocated
 * once; nothing allocates per tick.
 */
class RollingExtreme {
  readonly window: i32;
  private vals: StaticArray<i64>;
  private seqs: StaticArray<i64>; // arrival number of each deque entry
  private front: i32 = 0; // ring slot of the deque's front (the extreme)
  private size: i32 = 0;
  private seen: i64 = 0; // values pushed since construction / reset

  constructor(window: i32, private readonly keepMax: bool) {
    this.window = window;
    this.vals = new StaticArray<i64>(window);
    this.seqs = new StaticArray<i64>(window);
  }

  push(x: i64): void {
    let w = this.window;
    let seq = this.seen;
    let front = this.front;
    let size = this.size;
    // the front leaves once it is `window` values old
    if (size > 0 && unchecked(this.seqs[front]) <= seq - <i64>w) {
      front = front + 1 == w ? 0 : front + 1;
      size -= 1;
    }
    // newer values that are at least as extreme make older ones irrelevant
    while (size > 0) {
      let back = front + size - 1;
      if (back >= w) back -= w;
      let v = unchecked(this.vals[back]);
      if (this.keepMax ? v > x : v < x) break;
      size -= 1;
    }
    let slot = front + size;
    if (slot >= w) slot -= w;
    unchecked((this.vals[slot] = x));
    unchecked((this.seqs[slot] = seq));
    this.front = front;
    this.size = size + 1;
    this.seen = seq + 1;
  }

  value(): i64 {
    return this.size == 0 ? 0 : unchecked(this.vals[this.front]);
  }

  ready(): bool {
    return this.seen >= <i64>this.window;
  }

  count(): i32 {
    return this.seen >= <i64>this.window ? this.window : <i32>this.seen;
  }

  reset(): void {
    this.front = 0;
    this.size = 0;
    this.seen = 0;
  }
}

/**
 * Largest of the last `window` values (Donchian channel high, trailing-stop
 * anchor), exact. `value()` is the maximum of the values seen so far before
 * the window is full (`ready()` tells the two apart); 0 before any value.
 */
export class RollingMax {
  private d: RollingExtreme;

  constructor(window: i32) {
    if (window <= 0) throw new Error("RollingMax: window must be > 0");
    this.d = new RollingExtreme(window, true);
  }

  /** Adds a value, evicting the oldest one once the window is full. O(1) amortized. */
  push(x: i64): void {
    this.d.push(x);
  }

  /** Largest value in the window; 0 when empty. */
  value(): i64 {
    return this.d.value();
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.d.ready();
  }

  /** Number of values currently in the window (≤ window). */
  count(): i32 {
    return this.d.count();
  }

  /** Forgets every value (keeps the buffers). */
  reset(): void {
    this.d.reset();
  }
}

/**
 * Smallest of the last `window` values (Donchian channel low), exact.
 * Same behaviour as `RollingMax` otherwise.
 */
export class RollingMin {
  private d: RollingExtreme;

  constructor(window: i32) {
    if (window <= 0) throw new Error("RollingMin: window must be > 0");
    this.d = new RollingExtreme(window, false);
  }

  /** Adds a value, evicting the oldest one once the window is full. O(1) amortized. */
  push(x: i64): void {
    this.d.push(x);
  }

  /** Smallest value in the window; 0 when empty. */
  value(): i64 {
    return this.d.value();
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.d.ready();
  }

  /** Number of values currently in the window (≤ window). */
  count(): i32 {
    return this.d.count();
  }

  /** Forgets every value (keeps the buffers). */
  reset(): void {
    this.d.reset();
  }
}
