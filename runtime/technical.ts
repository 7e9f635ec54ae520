// sequence-algo runtime: the technical indicators a quant reaches for first
// (RSI, ATR, Bollinger bands, MACD, VWAP), in exact fixed point.
//
// Same shape as runtime/indicators.ts: construct once (at setup), then `push`
// per bar or tick, read `value()` (and the named parts), `ready()` once warmed
// up, `reset()` to start over. Integer math only, no f64; every result is
// rounded once per step by the rule stated on the class; every overflow traps
// with a message naming the indicator. `push` and the readers never allocate.

import { roundHalfEvenSum } from "./round-sum";
import { Rounding, divRound, divRound128, mulDiv, mulHigh } from "./fixed";
import { Ema, RollingStd } from "./indicators";

/** Scale of `Rsi.value()`: RSI points at 1e9, so 70.5 → 70_500_000_000 (print with `Px.toString`). */
export const RSI_SCALE: i64 = 1_000_000_000;

// @ts-ignore: decorator
@inline function subOrTrap(a: i64, b: i64, what: string): i64 {
  let d = a - b;
  if (((a ^ b) & (a ^ d)) < 0) { abort(what); unreachable(); }
  return d;
}

// ---------------------------------------------------------------------------
// Wilder's moving average (internal: RSI and ATR)
// ---------------------------------------------------------------------------

/**
 * Wilder's smoothing: the first average is the simple mean of the first
 * `period` values (HalfEven); after that avg' = avg + (x − avg)/period, i.e.
 * (avg·(period − 1) + x)/period, computed exactly and rounded once HalfEven.
 * The rounded average stays within period/2 units of the exact (unrounded)
 * Wilder average.
 */
class WilderAverage {
  private sum: i64 = 0;
  private avg: i64 = 0;
  private n: i32 = 0;

  constructor(readonly period: i32, private readonly what: string) {}

  push(x: i64): void {
    let p = this.period;
    if (this.n < p) {
      let s = this.sum;
      let t = s + x;
      if (((s ^ t) & (x ^ t)) < 0) { abort(this.what); unreachable(); }
      this.sum = t;
      this.n += 1;
      if (this.n == p) this.avg = divRound(t, p, Rounding.HalfEven);
      return;
    }
    let avg = this.avg;
    let d = subOrTrap(x, avg, this.what);
    let den = <i64>p;
    let q = divRound(d, den, Rounding.Floor);
    this.avg = roundHalfEvenSum(avg, q, d - q * den, den, this.what);
  }

  value(): i64 {
    return this.n < this.period ? 0 : this.avg;
  }

  ready(): bool {
    return this.n >= this.period;
  }

  reset(): void {
    this.sum = 0;
    this.avg = 0;
    this.n = 0;
  }
}

// ---------------------------------------------------------------------------
// Rsi
// ---------------------------------------------------------------------------

/**
 * Relative Strength Index (Wilder), from closes:
 *   gain = max(close − prevClose, 0), loss = max(prevClose − close, 0),
 *   G, L = Wilder averages of gain and loss over `period` (see above),
 *   RSI = 100 · G / (G + L)   (= 100 − 100/(1 + G/L)), 50 when G + L = 0.
 * `value()` is RSI at RSI_SCALE (1e9) rounded HalfEven from the rounded G and
 * L; 0 until `ready()`, which is after period + 1 closes.
 * Assumptions: close − prevClose fits in i64, and G + L fits in i64
 * (traps "Rsi: overflow").
 */
export class Rsi {
  readonly period: i32;
  private gains: WilderAverage;
  private losses: WilderAverage;
  private prev: i64 = 0;
  private started: bool = false;

  constructor(period: i32) {
    if (period < 1) throw new Error("Rsi: period must be >= 1");
    this.period = period;
    this.gains = new WilderAverage(period, "Rsi: overflow");
    this.losses = new WilderAverage(period, "Rsi: overflow");
  }

  /** Adds a close. */
  push(close: i64): void {
    if (this.started) {
      let d = subOrTrap(close, this.prev, "Rsi: overflow");
      if (d == i64.MIN_VALUE) { abort("Rsi: overflow"); unreachable(); }
      this.gains.push(d > 0 ? d : 0);
      this.losses.push(d < 0 ? -d : 0);
    }
    this.prev = close;
    this.started = true;
  }

  /** RSI × 1e9 (0 … 100_000_000_000), HalfEven; 0 until ready. */
  value(): i64 {
    if (!this.gains.ready()) return 0;
    let g = this.gains.value();
    let l = this.losses.value();
    let t = g + l;
    if (t < g) { abort("Rsi: overflow"); unreachable(); }
    if (t == 0) return 50 * RSI_SCALE;
    return mulDiv(100 * RSI_SCALE, g, t, Rounding.HalfEven);
  }

  /** Wilder average gain per close, in the closes' scale (0 until ready). */
  avgGain(): i64 {
    return this.gains.value();
  }

  /** Wilder average loss per close (≥ 0), in the closes' scale (0 until ready). */
  avgLoss(): i64 {
    return this.losses.value();
  }

  /** True after period + 1 closes. */
  ready(): bool {
    return this.gains.ready();
  }

  reset(): void {
    this.gains.reset();
    this.losses.reset();
    this.prev = 0;
    this.started = false;
  }
}

// ---------------------------------------------------------------------------
// Atr
// ---------------------------------------------------------------------------

/**
 * Average True Range (Wilder), from bars:
 *   TR = max(high − low, |high − prevClose|, |low − prevClose|)
 * (high − low on the first bar), averaged with Wilder's smoothing over
 * `period` bars (first average = simple mean of the first `period` TRs,
 * HalfEven; then (atr·(period − 1) + TR)/period, rounded once HalfEven).
 * Same scale as the prices; 0 until `ready()`, after `period` bars.
 * Traps "Atr: high < low" on an inverted bar and "Atr: overflow".
 */
export class Atr {
  readonly period: i32;
  private avg: WilderAverage;
  private prevClose: i64 = 0;
  private started: bool = false;
  private tr: i64 = 0;

  constructor(period: i32) {
    if (period < 1) throw new Error("Atr: period must be >= 1");
    this.period = period;
    this.avg = new WilderAverage(period, "Atr: overflow");
  }

  /** Adds a bar. */
  push(high: i64, low: i64, close: i64): void {
    if (high < low) throw new Error("Atr: high < low");
    let tr = subOrTrap(high, low, "Atr: overflow");
    if (this.started) {
      let pc = this.prevClose;
      let up = high > pc ? subOrTrap(high, pc, "Atr: overflow") : subOrTrap(pc, high, "Atr: overflow");
      let down = low > pc ? subOrTrap(low, pc, "Atr: overflow") : subOrTrap(pc, low, "Atr: overflow");
      if (up > tr) tr = up;
      if (down > tr) tr = down;
    }
    this.avg.push(tr);
    this.tr = tr;
    this.prevClose = close;
    this.started = true;
  }

  /** The average true range; 0 until ready. */
  value(): i64 {
    return this.avg.value();
  }

  /** True range of the latest bar. */
  trueRange(): i64 {
    return this.tr;
  }

  /** True after `period` bars. */
  ready(): bool {
    return this.avg.ready();
  }

  reset(): void {
    this.avg.reset();
    this.prevClose = 0;
    this.started = false;
    this.tr = 0;
  }
}

// ---------------------------------------------------------------------------
// BollingerBands
// ---------------------------------------------------------------------------

/**
 * Bollinger bands over the last `window` values:
 *   middle = mean (HalfEven, as RollingMean),
 *   σ      = population standard deviation (floor, as RollingStd.std),
 *   width  = k·σ with k at 1e9 (2.0 = 2_000_000_000), HalfEven,
 *   upper  = middle + width, lower = middle − width.
 * Before the window is full the bands cover the values seen so far
 * (`ready()` tells). Same assumptions as RollingStd; traps
 * "BollingerBands: k must be >= 0" and on overflow.
 */
export class BollingerBands {
  private stats: RollingStd;
  /** k at 1e9. */
  readonly kE9: i64;

  constructor(window: i32, kE9: i64) {
    if (window <= 0) throw new Error("BollingerBands: window must be > 0");
    if (kE9 < 0) throw new Error("BollingerBands: k must be >= 0");
    this.stats = new RollingStd(window);
    this.kE9 = kE9;
  }

  push(x: i64): void {
    this.stats.push(x);
  }

  /** The middle band (the mean); same as `middle()`. */
  value(): i64 {
    return this.stats.mean();
  }

  middle(): i64 {
    return this.stats.mean();
  }

  /** k·σ, HalfEven. */
  width(): i64 {
    return mulDiv(this.kE9, this.stats.std(), 1_000_000_000, Rounding.HalfEven);
  }

  upper(): i64 {
    let m = this.stats.mean();
    let w = this.width();
    let u = m + w;
    if (u < m) throw new Error("BollingerBands: upper band overflows i64");
    return u;
  }

  lower(): i64 {
    return subOrTrap(this.stats.mean(), this.width(), "BollingerBands: lower band overflows i64");
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.stats.ready();
  }

  reset(): void {
    this.stats.reset();
  }
}

// ---------------------------------------------------------------------------
// Macd
// ---------------------------------------------------------------------------

/**
 * MACD (Appel): line = EMA(fast) − EMA(slow) of the input, signal = EMA(signal)
 * of the line, histogram = line − signal. Each EMA is `Ema` (α = 2/(n + 1)
 * exactly, seeded with its first input, one HalfEven rounding per step), so
 * the signal EMA starts on the first line value, like pandas
 * `ewm(span=n, adjust=False)`. Defaults 12/26/9. `value()` is the line.
 * `ready()` after slow + signal − 1 values. Traps "Macd: overflow".
 */
export class Macd {
  private fast: Ema;
  private slow: Ema;
  private signalEma: Ema;
  private warm: i32;
  private n: i32 = 0;
  private lineValue: i64 = 0;

  constructor(fast: i32 = 12, slow: i32 = 26, signal: i32 = 9) {
    if (fast < 1 || slow < 1 || signal < 1) throw new Error("Macd: periods must be >= 1");
    this.fast = new Ema(fast);
    this.slow = new Ema(slow);
    this.signalEma = new Ema(signal);
    this.warm = (fast > slow ? fast : slow) + signal - 1;
  }

  push(x: i64): void {
    this.fast.push(x);
    this.slow.push(x);
    let line = subOrTrap(this.fast.value(), this.slow.value(), "Macd: overflow");
    this.signalEma.push(line);
    this.lineValue = line;
    if (this.n < this.warm) this.n += 1;
  }

  /** The MACD line; same as `line()`. */
  value(): i64 {
    return this.lineValue;
  }

  line(): i64 {
    return this.lineValue;
  }

  signal(): i64 {
    return this.signalEma.value();
  }

  histogram(): i64 {
    return subOrTrap(this.lineValue, this.signalEma.value(), "Macd: overflow");
  }

  ready(): bool {
    return this.n >= this.warm;
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.signalEma.reset();
    this.n = 0;
    this.lineValue = 0;
  }
}

// ---------------------------------------------------------------------------
// Vwap / RollingVwap
// ---------------------------------------------------------------------------

// Adds (or subtracts) px·qty to a 128-bit sum held in two u64 halves.
// @ts-ignore: decorator
@inline function product(px: i64, qty: i64): u64 {
  return <u64>px * <u64>qty;
}

/**
 * Volume-weighted average price since construction / `reset`:
 *   VWAP = Σ px·qty / Σ qty, rounded once HalfEven.
 * Σ px·qty is kept exactly in 128 bits. `qty` may be in any scale (it
 * cancels): Qty at 1e8, or whole shares. Needs px ≥ 0 and qty ≥ 0 (traps
 * "Vwap: px and qty must be >= 0"), and Σ qty in i64 (traps "Vwap: volume
 * overflows i64"). 0 before any volume.
 */
export class Vwap {
  private hi: u64 = 0;
  private lo: u64 = 0;
  private vol: i64 = 0;

  push(px: i64, qty: i64): void {
    if (px < 0 || qty < 0) throw new Error("Vwap: px and qty must be >= 0");
    let v = this.vol + qty;
    if (v < 0) throw new Error("Vwap: volume overflows i64");
    let lo = this.lo + product(px, qty);
    let hi = this.hi + mulHigh(<u64>px, <u64>qty) + (lo < this.lo ? 1 : 0);
    this.lo = lo;
    this.hi = hi; // Σ qty < 2^63 and px < 2^63 keep it below 2^126
    this.vol = v;
  }

  /** VWAP in the prices' scale, HalfEven; 0 before any volume. */
  value(): i64 {
    if (this.vol == 0) return 0;
    return divRound128(this.hi, this.lo, <u64>this.vol, Rounding.HalfEven);
  }

  /** Σ qty. */
  volume(): i64 {
    return this.vol;
  }

  /** True once some volume was seen. */
  ready(): bool {
    return this.vol > 0;
  }

  reset(): void {
    this.hi = 0;
    this.lo = 0;
    this.vol = 0;
  }
}

/**
 * VWAP over the last `window` pushes (Σ px·qty / Σ qty of the window, HalfEven),
 * exact: the evicted push's px·qty is subtracted from the 128-bit sum.
 * Same inputs and traps as `Vwap`; 0 while the window holds no volume.
 */
export class RollingVwap {
  readonly window: i32;
  private pxs: StaticArray<i64>;
  private qtys: StaticArray<i64>;
  private head: i32 = 0;
  private n: i32 = 0;
  private hi: u64 = 0;
  private lo: u64 = 0;
  private vol: i64 = 0;

  constructor(window: i32) {
    if (window <= 0) throw new Error("RollingVwap: window must be > 0");
    this.window = window;
    this.pxs = new StaticArray<i64>(window);
    this.qtys = new StaticArray<i64>(window);
  }

  push(px: i64, qty: i64): void {
    if (px < 0 || qty < 0) throw new Error("Vwap: px and qty must be >= 0");
    let hi = this.hi;
    let lo = this.lo;
    let vol = this.vol;
    let h = this.head;
    let n = this.n;
    if (n == this.window) {
      let oldPx = unchecked(this.pxs[h]);
      let oldQty = unchecked(this.qtys[h]);
      let sub = product(oldPx, oldQty);
      let borrow: u64 = lo < sub ? 1 : 0;
      lo -= sub;
      hi = hi - mulHigh(<u64>oldPx, <u64>oldQty) - borrow;
      vol -= oldQty;
    } else {
      n += 1;
    }
    let v = vol + qty;
    if (v < 0) throw new Error("Vwap: volume overflows i64");
    let add = product(px, qty);
    let nlo = lo + add;
    hi = hi + mulHigh(<u64>px, <u64>qty) + (nlo < lo ? 1 : 0);
    this.lo = nlo;
    this.hi = hi;
    this.vol = v;
    this.n = n;
    unchecked((this.pxs[h] = px));
    unchecked((this.qtys[h] = qty));
    h += 1;
    this.head = h == this.window ? 0 : h;
  }

  /** VWAP of the window in the prices' scale, HalfEven; 0 when the window has no volume. */
  value(): i64 {
    if (this.vol == 0) return 0;
    return divRound128(this.hi, this.lo, <u64>this.vol, Rounding.HalfEven);
  }

  /** Σ qty of the window. */
  volume(): i64 {
    return this.vol;
  }

  /** True once `window` values have been pushed. */
  ready(): bool {
    return this.n == this.window;
  }

  reset(): void {
    this.head = 0;
    this.n = 0;
    this.hi = 0;
    this.lo = 0;
    this.vol = 0;
  }
}
