// sequence-algo runtime: exact fixed-point arithmetic (AssemblyScript).
//
// Conventions used by the whole product:
//   Px  : i64 price,           scaled by 1e9  (1 unit = 1e-9 USD)
//   Usd : i64 USD amount,      scaled by 1e9  (max ≈ $9.22e9 in an i64)
//   Qty : i64 quantity,        scaled by 1e8  (1 unit = 1e-8 of the asset)
//   times are i64 nanoseconds.
//
// `Px`, `Qty` and `Usd` are plain type aliases of i64, so values cost nothing;
// the helpers live in namespaces of the same name (`Px.fromInt(74000)`).
//
// Rules this file follows:
//   * Money math is integer-only. Every product that could exceed 64 bits goes
//     through a full 128-bit intermediate (64×64→128 multiply built from 32-bit
//     halves, 128÷64 division after Hacker's Delight `divlu`), so results are
//     exact and rounded exactly once, by an explicit `Rounding` mode. For the
//     fixed small divisors (1e8 in `notional`, 1e4 in `bps`/`applyBps`) an
//     operand split gives the same exact result without the 128-bit division.
//   * Nothing wraps silently: every overflow traps with a clear message
//     (`throw new Error("...")` with a literal message reaches the host's
//     `sequence.panic` through runtime/abort.ts, without allocating).
//   * No allocation on any path (only module-level scalar globals are used to
//     return the second half of a 128-bit value).
//   * `toF64` exists only for display and statistics; money math never uses it.

// ---------------------------------------------------------------------------
// Types and constants
// ---------------------------------------------------------------------------

/** A price, i64 scaled by 1e9 (`PX_SCALE`). */
export type Px = i64;
/** A quantity, i64 scaled by 1e8 (`QTY_SCALE`). */
export type Qty = i64;
/** A USD amount, i64 scaled by 1e9 (`USD_SCALE`). The largest is ≈ $9.22e9. */
export type Usd = i64;

/** Units per 1.0 of a price. */
export const PX_SCALE: i64 = 1_000_000_000;
/** Units per 1.0 of a quantity. */
export const QTY_SCALE: i64 = 100_000_000;
/** Units per 1.0 USD. */
export const USD_SCALE: i64 = 1_000_000_000;
/** Decimal places of each scale. */
export const PX_DECIMALS: i32 = 9;
export const QTY_DECIMALS: i32 = 8;
export const USD_DECIMALS: i32 = 9;
/** Basis points per 1.0 (100%). */
export const BPS_SCALE: i64 = 10_000;

/**
 * How a result that is not an exact integer (in the target scale) is rounded.
 * Every mode looks at the exact rational result, never at an intermediate.
 * Examples for 2.5 / -2.5 / 2.7 / -2.7 / 3.5:
 */
export enum Rounding {
  /** Toward zero (truncate): 2, -2, 2, -2, 3. */
  Down = 0,
  /** Away from zero: 3, -3, 3, -3, 4. */
  Up = 1,
  /** Toward negative infinity: 2, -3, 2, -3, 3. */
  Floor = 2,
  /** Toward positive infinity: 3, -2, 3, -2, 4. */
  Ceil = 3,
  /** To nearest; exact halves away from zero: 3, -3, 3, -3, 4. */
  HalfUp = 4,
  /** To nearest; exact halves to the even neighbour (banker's rounding): 2, -2, 3, -3, 4. The default. */
  HalfEven = 5,
}

// ---------------------------------------------------------------------------
// 128-bit building blocks (internal state passed through globals, no allocation)
// ---------------------------------------------------------------------------

const MASK32: u64 = 0xFFFF_FFFF;
const I64_MAX_MAG: u64 = 0x7FFF_FFFF_FFFF_FFFF; // largest positive magnitude
const I64_MIN_MAG: u64 = 0x8000_0000_0000_0000; // |i64.MIN_VALUE|

/** High 64 bits of the last `umul128`. */
let __hi: u64 = 0;
/** Remainder of the last `udiv128by64`. */
let __rem: u64 = 0;
/** Set by the non-trapping cores: true when the last result did not fit. */
let __ovf: bool = false;

/** |x| as u64 (exact also for i64.MIN_VALUE → 2^63). */
// @ts-ignore: decorator
@inline function umag(x: i64): u64 {
  return x < 0 ? <u64>(0 - x) : <u64>x;
}

/**
 * 64×64→128 unsigned multiply from 32-bit halves. Returns the low 64 bits;
 * the high 64 bits are left in `__hi` (read them with `mulHigh()` or right away).
 */
// @ts-ignore: decorator
@inline function umul128(a: u64, b: u64): u64 {
  let a0 = a & MASK32, a1 = a >> 32;
  let b0 = b & MASK32, b1 = b >> 32;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let p11 = a1 * b1;
  // at most 3·(2^32−1) < 2^34: cannot overflow
  let mid = (p00 >> 32) + (p01 & MASK32) + (p10 & MASK32);
  __hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & MASK32);
}

/**
 * (u1·2^64 + u0) ÷ v for u1 < v (so the quotient fits in 64 bits).
 * Hacker's Delight `divlu` (Knuth algorithm D on 32-bit digits with
 * normalisation). Returns the quotient; the remainder is left in `__rem`.
 */
function udiv128by64(u1: u64, u0: u64, v: u64): u64 {
  if (u1 == 0) {
    let q = u0 / v;
    __rem = u0 - q * v;
    return q;
  }
  const b: u64 = 0x1_0000_0000;
  let s = clz<u64>(v); // 0..63 (v != 0)
  v <<= s;
  let vn1 = v >> 32;
  let vn0 = v & MASK32;
  // shifting by 64 is a no-op in wasm, so s == 0 is handled separately
  let un32 = s == 0 ? u1 : (u1 << s) | (u0 >> (64 - s));
  let un10 = u0 << s;
  let un1 = un10 >> 32;
  let un0 = un10 & MASK32;

  let q1 = un32 / vn1;
  let rhat = un32 - q1 * vn1;
  while (q1 >= b || q1 * vn0 > ((rhat << 32) | un1)) {
    q1 -= 1;
    rhat += vn1;
    if (rhat >= b) break;
  }
  let un21 = (un32 << 32) + un1 - q1 * v; // exact modulo 2^64, true value < v

  let q0 = un21 / vn1;
  rhat = un21 - q0 * vn1;
  while (q0 >= b || q0 * vn0 > ((rhat << 32) | un0)) {
    q0 -= 1;
    rhat += vn1;
    if (rhat >= b) break;
  }
  __rem = ((un21 << 32) + un0 - q0 * v) >> s;
  return (q1 << 32) | q0;
}

/**
 * Should the magnitude `q` (quotient truncated toward zero, remainder `r` of
 * divisor `d`, r < d) be increased by one to honour `mode`? `neg` is the sign
 * of the exact result.
 */
// @ts-ignore: decorator
@inline function roundAway(q: u64, r: u64, d: u64, neg: bool, mode: Rounding): bool {
  if (r == 0) return false;
  switch (mode) {
    case Rounding.Down: return false;
    case Rounding.Up: return true;
    case Rounding.Floor: return neg;
    case Rounding.Ceil: return !neg;
    case Rounding.HalfUp: return r >= d - r;
    case Rounding.HalfEven: {
      let h = d - r; // 2r vs d without overflowing
      return r > h || (r == h && (q & 1) != 0);
    }
    default: throw new Error("invalid Rounding mode (expected 0..5)");
  }
}

/**
 * Applies the sign and the rounding increment to a magnitude; sets `__ovf`
 * when the signed result does not fit in i64.
 */
// @ts-ignore: decorator
@inline function finish(q: u64, r: u64, d: u64, neg: bool, mode: Rounding): i64 {
  let lim = neg ? I64_MIN_MAG : I64_MAX_MAG;
  if (q > lim) { __ovf = true; return 0; }
  if (roundAway(q, r, d, neg, mode)) {
    if (q == lim) { __ovf = true; return 0; }
    q += 1;
  }
  __ovf = false;
  return neg ? <i64>(0 - q) : <i64>q;
}

/**
 * a·b/d rounded by `mode`, exact; never traps on overflow but sets `__ovf`.
 * d must be ≠ 0. Inlined so that a constant divisor (1e8 in `notional`,
 * 10_000 in `bps`) stays a constant: the engine then replaces the common
 * 64-bit division (product < 2^64) by a multiplication.
 */
// @ts-ignore: decorator
@inline function mulDivCore(a: i64, b: i64, d: i64, mode: Rounding): i64 {
  let neg = ((a ^ b ^ d) < 0) && a != 0 && b != 0;
  let ud = umag(d);
  let lo = umul128(umag(a), umag(b));
  let hi = __hi;
  let q: u64, r: u64;
  if (hi == 0) {
    q = lo / ud;
    r = lo - q * ud;
  } else {
    if (hi >= ud) { __ovf = true; return 0; } // quotient ≥ 2^64
    q = udiv128by64(hi, lo, ud);
    r = __rem;
  }
  return finish(q, r, ud, neg, mode);
}

/**
 * Same result as `mulDivCore` for a small positive divisor 0 < d < 2^32,
 * without a 128-bit division: with a = ah·d + al and b = bh·d + bl
 * (magnitudes), a·b/d = ah·b + al·bh + al·bl/d exactly, and al·bl < 2^64.
 * Every division is by d, so when d is a compile-time constant (1e8 in
 * `notional`, 10_000 in `bps`) the engine turns them into multiplications.
 */
// @ts-ignore: decorator
@inline function mulDivSmallDivisor(a: i64, b: i64, d: u64, mode: Rounding): i64 {
  let neg = ((a ^ b) < 0) && a != 0 && b != 0;
  let ua = umag(a), ub = umag(b);
  let ah = ua / d, al = ua - ah * d;
  let bh = ub / d, bl = ub - bh * d;
  let t3 = al * bl; // < d² < 2^64
  let q3 = t3 / d;
  let r = t3 - q3 * d;
  // ah·b ≤ a·b/d: if it needs more than 64 bits, so does the quotient.
  // clz(ah) + clz(ub) ≥ 64 proves it fits without the full 128-bit product.
  let t1 = ah * ub;
  let z = clz<u64>(ah) + clz<u64>(ub);
  if (z < 64) {
    if (z < 63) { __ovf = true; return 0; }
    umul128(ah, ub);
    if (__hi != 0) { __ovf = true; return 0; }
  }
  let q = t1 + al * bh; // al·bh < b
  if (q < t1) { __ovf = true; return 0; }
  let q2 = q + q3;
  if (q2 < q) { __ovf = true; return 0; }
  return finish(q2, r, d, neg, mode);
}

// ---------------------------------------------------------------------------
// Multiply-divide
// ---------------------------------------------------------------------------

/**
 * Exact a·b/d with a full 128-bit intermediate, rounded once by `mode`
 * (default HalfEven). Signs are handled separately, so every combination of
 * negative operands (including i64.MIN_VALUE) is exact.
 * Traps: "mulDiv: division by zero" when d == 0;
 *        "mulDiv overflow: a*b/d does not fit in i64" when the rounded
 *        quotient is outside [i64.MIN_VALUE, i64.MAX_VALUE].
 */
export function mulDiv(a: i64, b: i64, d: i64, mode: Rounding = Rounding.HalfEven): i64 {
  if (d == 0) throw new Error("mulDiv: division by zero");
  let r = mulDivCore(a, b, d, mode);
  if (__ovf) throw new Error("mulDiv overflow: a*b/d does not fit in i64");
  return r;
}

/** `mulDiv(a, b, d, Rounding.Floor)`. */
export function mulDivFloor(a: i64, b: i64, d: i64): i64 {
  return mulDiv(a, b, d, Rounding.Floor);
}

/** `mulDiv(a, b, d, Rounding.Ceil)`. */
export function mulDivCeil(a: i64, b: i64, d: i64): i64 {
  return mulDiv(a, b, d, Rounding.Ceil);
}

/** `mulDiv(a, b, d, Rounding.Down)` (truncate toward zero). */
export function mulDivDown(a: i64, b: i64, d: i64): i64 {
  return mulDiv(a, b, d, Rounding.Down);
}

/**
 * High 64 bits of the unsigned 128-bit product a·b (a, b taken as u64).
 * The low 64 bits are simply `a * b`.
 */
export function mulHigh(a: u64, b: u64): u64 {
  umul128(a, b);
  return __hi;
}

// ---------------------------------------------------------------------------
// Checked 64-bit arithmetic
// ---------------------------------------------------------------------------

/** a + b; traps "addChecked overflow: a+b does not fit in i64". */
export function addChecked(a: i64, b: i64): i64 {
  let r = a + b;
  if (((a ^ r) & (b ^ r)) < 0) throw new Error("addChecked overflow: a+b does not fit in i64");
  return r;
}

/** a − b; traps "subChecked overflow: a-b does not fit in i64". */
export function subChecked(a: i64, b: i64): i64 {
  let r = a - b;
  if (((a ^ b) & (a ^ r)) < 0) throw new Error("subChecked overflow: a-b does not fit in i64");
  return r;
}

/** a · b; traps "mulChecked overflow: a*b does not fit in i64" (also for i64.MIN_VALUE·−1). */
export function mulChecked(a: i64, b: i64): i64 {
  let neg = ((a ^ b) < 0) && a != 0 && b != 0;
  let lo = umul128(umag(a), umag(b));
  if (__hi != 0 || lo > (neg ? I64_MIN_MAG : I64_MAX_MAG)) {
    throw new Error("mulChecked overflow: a*b does not fit in i64");
  }
  return neg ? <i64>(0 - lo) : <i64>lo;
}

/** −a; traps "negChecked overflow: -i64.MIN_VALUE does not fit in i64". */
export function negChecked(a: i64): i64 {
  if (a == i64.MIN_VALUE) throw new Error("negChecked overflow: -i64.MIN_VALUE does not fit in i64");
  return -a;
}

/** |a|; traps "absChecked overflow: |i64.MIN_VALUE| does not fit in i64". */
export function absChecked(a: i64): i64 {
  if (a == i64.MIN_VALUE) throw new Error("absChecked overflow: |i64.MIN_VALUE| does not fit in i64");
  return a < 0 ? -a : a;
}

/**
 * a / b rounded by `mode` (64-bit only; the quotient always fits except
 * i64.MIN_VALUE / −1).
 * Traps: "divRound: division by zero"; "divRound overflow: i64.MIN_VALUE / -1 does not fit in i64".
 */
export function divRound(a: i64, b: i64, mode: Rounding = Rounding.HalfEven): i64 {
  if (b == 0) throw new Error("divRound: division by zero");
  if (b == -1 && a == i64.MIN_VALUE) throw new Error("divRound overflow: i64.MIN_VALUE / -1 does not fit in i64");
  let q = a / b; // truncated toward zero
  let r = a - q * b;
  if (r == 0) return q;
  let neg = (a ^ b) < 0;
  // r ≠ 0 implies |b| ≥ 2, so |q| ≤ 2^62 and the increment cannot overflow
  if (roundAway(umag(q), umag(r), umag(b), neg, mode)) q += neg ? -1 : 1;
  return q;
}

/** `divRound(a, b, Rounding.Down)`: C-style truncating division, with both traps. */
export function divChecked(a: i64, b: i64): i64 {
  return divRound(a, b, Rounding.Down);
}

/**
 * 10^n as i64 for 0 ≤ n ≤ 18; traps "pow10: exponent out of range 0..18".
 */
export function pow10(n: i32): i64 {
  if (<u32>n > 18) throw new Error("pow10: exponent out of range 0..18");
  let p: i64 = 1;
  for (let i = 0; i < n; i++) p *= 10;
  return p;
}

// ---------------------------------------------------------------------------
// Notional
// ---------------------------------------------------------------------------

/**
 * USD notional of `qty` at `px`: qty·px/1e8, at the USD scale (1e9), exact
 * with one rounding by `mode`.
 * An i64 at 1e9 holds at most ≈ $9.22e9; beyond that this traps
 * "notional overflow: qty*px exceeds the i64 USD range (~$9.2e9 at 1e9 scale); use notionalAt() with fewer decimals".
 */
export function notional(qty: Qty, px: Px, mode: Rounding = Rounding.HalfEven): Usd {
  let r = mulDivSmallDivisor(qty, px, <u64>QTY_SCALE, mode);
  if (__ovf) throw new Error("notional overflow: qty*px exceeds the i64 USD range (~$9.2e9 at 1e9 scale); use notionalAt() with fewer decimals");
  return r;
}

/**
 * USD notional of `qty` at `px` expressed with `decimals` decimal places
 * (0 = whole dollars, 6 = micro-dollars, 9 = same as `notional`, up to 17 =
 * the raw qty·px product scale). Exact: qty·px is kept in 128 bits and divided
 * once by 10^(17 − decimals), rounded by `mode`.
 * E.g. 1,000,000 BTC (1e14) at $1,000,000 (1e15) → 1_000_000_000_000 at
 * decimals 0 and 1e18 at decimals 6.
 * Traps "notionalAt: decimals out of range 0..17" and
 * "notionalAt overflow: qty*px does not fit in i64 at this number of decimals".
 */
export function notionalAt(qty: Qty, px: Px, decimals: i32, mode: Rounding = Rounding.HalfEven): i64 {
  if (<u32>decimals > 17) throw new Error("notionalAt: decimals out of range 0..17");
  let r = mulDivCore(qty, px, pow10(PX_DECIMALS + QTY_DECIMALS - decimals), mode);
  if (__ovf) throw new Error("notionalAt overflow: qty*px does not fit in i64 at this number of decimals");
  return r;
}

/**
 * Quantity (1e8 scale) that `usd` (1e9 scale) buys at `px`: usd·1e8/px,
 * rounded by `mode` (default Down, so you never exceed the budget for a
 * positive price). Traps "qtyForNotional: px must be non-zero" and
 * "qtyForNotional overflow: usd/px does not fit in i64".
 */
export function qtyForNotional(usd: Usd, px: Px, mode: Rounding = Rounding.Down): Qty {
  if (px == 0) throw new Error("qtyForNotional: px must be non-zero");
  let r = mulDivCore(usd, QTY_SCALE, px, mode);
  if (__ovf) throw new Error("qtyForNotional overflow: usd/px does not fit in i64");
  return r;
}

// ---------------------------------------------------------------------------
// Basis points (1 bp = 1/10_000)
// ---------------------------------------------------------------------------

/**
 * amount·bps/10_000, exact, rounded by `mode` (e.g. a fee of 7.5 bps is not
 * expressible: use `mulDiv(amount, 75, 100_000)` for fractional bps).
 * Traps "bps overflow: amount*bps/10000 does not fit in i64".
 */
export function bps(amount: i64, bps: i64, mode: Rounding = Rounding.HalfEven): i64 {
  let r = mulDivSmallDivisor(amount, bps, <u64>BPS_SCALE, mode);
  if (__ovf) throw new Error("bps overflow: amount*bps/10000 does not fit in i64");
  return r;
}

/**
 * px·(10_000 + bps)/10_000: the price `bps` basis points above (bps > 0) or
 * below (bps < 0) `px`, exact, rounded by `mode`. The result is not snapped to
 * a tick; use `roundToTick` for that.
 * Traps "applyBps overflow: px*(10000+bps)/10000 does not fit in i64".
 */
export function applyBps(px: Px, bps: i64, mode: Rounding = Rounding.HalfEven): Px {
  let f = BPS_SCALE + bps;
  if (bps > 0 && f < 0) throw new Error("applyBps overflow: px*(10000+bps)/10000 does not fit in i64");
  let r = mulDivSmallDivisor(px, f, <u64>BPS_SCALE, mode);
  if (__ovf) throw new Error("applyBps overflow: px*(10000+bps)/10000 does not fit in i64");
  return r;
}

/**
 * Change from `a` to `b` in basis points: (b − a)·10_000/a, exact, rounded by
 * `mode` (default HalfEven: nearest bp, ties to even). Relative to `a`, so it
 * is positive when b > a > 0. For a < 0 the sign follows the formula as
 * written (it is meant for prices, which are positive).
 * Traps "bpsBetween: a must be non-zero" and
 * "bpsBetween overflow: (b-a)*10000/a does not fit in i64".
 */
export function bpsBetween(a: i64, b: i64, mode: Rounding = Rounding.HalfEven): i64 {
  if (a == 0) throw new Error("bpsBetween: a must be non-zero");
  let diff = b - a; // overflows iff b and a differ in sign and diff's sign differs from b's
  if (((a ^ b) & (b ^ diff)) < 0) throw new Error("bpsBetween overflow: (b-a)*10000/a does not fit in i64");
  let r = mulDivCore(diff, BPS_SCALE, a, mode);
  if (__ovf) throw new Error("bpsBetween overflow: (b-a)*10000/a does not fit in i64");
  return r;
}

// ---------------------------------------------------------------------------
// Rounding to a grid (tick size for prices, lot size for quantities)
// ---------------------------------------------------------------------------

/**
 * The multiple of `step` (> 0) chosen from `x` by `mode`; 0 stays 0. For
 * negative x the modes keep their meaning (Floor → toward −∞, Down → toward
 * 0, HalfEven → nearest, ties to the even multiple, ...). Sets `__ovf` when the
 * chosen multiple is outside i64.
 */
// @ts-ignore: decorator
@inline function roundToStep(x: i64, step: i64, mode: Rounding): i64 {
  let q = x / step;
  let r = x - q * step; // same sign as x, |r| < step
  __ovf = false;
  if (r == 0) return x;
  let base = x - r; // multiple toward zero: always fits
  let neg = x < 0;
  if (!roundAway(umag(q), umag(r), <u64>step, neg, mode)) return base;
  if (neg) {
    if (base < i64.MIN_VALUE + step) { __ovf = true; return 0; }
    return base - step;
  }
  if (base > i64.MAX_VALUE - step) { __ovf = true; return 0; }
  return base + step;
}

/**
 * Price `px` snapped to a multiple of `tick` (> 0) by `mode` (no default:
 * the direction is a trading decision — buy-side limit prices usually want
 * Floor, sell-side Ceil).
 * Traps "roundToTick: tick must be > 0" and "roundToTick overflow: rounded price does not fit in i64".
 */
export function roundToTick(px: Px, tick: Px, mode: Rounding): Px {
  if (tick <= 0) throw new Error("roundToTick: tick must be > 0");
  let r = roundToStep(px, tick, mode);
  if (__ovf) throw new Error("roundToTick overflow: rounded price does not fit in i64");
  return r;
}

/**
 * Quantity `qty` snapped to a multiple of `lot` (> 0) by `mode` (no default;
 * order sizes usually want Down so a budget is never exceeded).
 * Traps "roundToLot: lot must be > 0" and "roundToLot overflow: rounded quantity does not fit in i64".
 */
export function roundToLot(qty: Qty, lot: Qty, mode: Rounding): Qty {
  if (lot <= 0) throw new Error("roundToLot: lot must be > 0");
  let r = roundToStep(qty, lot, mode);
  if (__ovf) throw new Error("roundToLot overflow: rounded quantity does not fit in i64");
  return r;
}

// ---------------------------------------------------------------------------
// Integer square root (used by indicators; exact floor)
// ---------------------------------------------------------------------------

/**
 * ⌊√x⌋ for a u64, exact. An f64 square root gives the first guess (within a
 * few units); the result is then corrected with exact integer comparisons,
 * so it does not depend on f64 rounding.
 */
export function isqrt(x: u64): u64 {
  return isqrt128(0, x);
}

/**
 * ⌊√(hi·2^64 + lo)⌋, exact (the result always fits in u64).
 * f64 first guess, then exact 128-bit correction.
 */
export function isqrt128(hi: u64, lo: u64): u64 {
  if (hi == 0 && lo < 2) return lo;
  let approx = Math.sqrt(<f64>hi * 18446744073709551616.0 + <f64>lo);
  // 18446744073709551615.0 is 2^64 as an f64: clamp before converting
  let r: u64 = approx >= 18446744073709551615.0 ? u64.MAX_VALUE : <u64>approx;
  if (r == 0) r = 1;
  // Above 2^106 the f64 guess can be off by up to ~2^11 units: one Newton
  // step r' = (r + x/r)/2 (needs hi < r so that x/r fits in 64 bits) brings
  // it within a unit or two.
  if (hi >= 0x400 && hi < r) {
    let q = udiv128by64(hi, lo, r);
    r = (r >> 1) + (q >> 1) + (r & q & 1);
  }
  // exact corrections: while r² > x: r -= 1
  while (true) {
    let sqLo = umul128(r, r);
    let sqHi = __hi;
    if (sqHi > hi || (sqHi == hi && sqLo > lo)) { r -= 1; continue; }
    break;
  }
  // while (r+1)² ≤ x: r += 1
  while (r != u64.MAX_VALUE) {
    let s = r + 1;
    let sqLo = umul128(s, s);
    let sqHi = __hi;
    if (sqHi < hi || (sqHi == hi && sqLo <= lo)) { r = s; continue; }
    break;
  }
  return r;
}

/**
 * ⌊√(x / d)⌋ for the 128-bit x = hi·2^64 + lo and d > 0, exact
 * (= ⌊√⌊x/d⌋⌋; the result always fits in u64). Used for a standard deviation
 * from exact sums. Traps "isqrtDiv128: division by zero".
 */
export function isqrtDiv128(hi: u64, lo: u64, d: u64): u64 {
  if (d == 0) throw new Error("isqrtDiv128: division by zero");
  let qhi = hi / d;
  let qlo = udiv128by64(hi - qhi * d, lo, d);
  return isqrt128(qhi, qlo);
}

/**
 * (hi·2^64 + lo) ÷ d for an unsigned 128-bit numerator and d > 0, rounded
 * by `mode`, exact: an average from a 128-bit sum (VWAP = Σpx·qty / Σqty).
 * Build the numerator with `mulHigh(a, b)` (high half) and `a * b` (low half).
 * Traps "divRound128: division by zero" and "divRound128: result overflows i64".
 */
export function divRound128(hi: u64, lo: u64, d: u64, mode: Rounding = Rounding.HalfEven): i64 {
  if (d == 0) throw new Error("divRound128: division by zero");
  if (hi >= d) throw new Error("divRound128: result overflows i64");
  let q = udiv128by64(hi, lo, d);
  let v = finish(q, __rem, d, false, mode);
  if (__ovf) throw new Error("divRound128: result overflows i64");
  return v;
}

// ---------------------------------------------------------------------------
// Conversions for algo authors
// ---------------------------------------------------------------------------

/** Shared body of the `fromParts` helpers: whole·scale + frac with sign rules. */
// @ts-ignore: decorator
@inline function fromPartsScaled(whole: i64, frac: i64, scale: i64): i64 {
  if (frac <= -scale || frac >= scale || (whole > 0 && frac < 0) || (whole < 0 && frac > 0)) {
    throw new Error("fromParts: fraction out of range or of the opposite sign to whole");
  }
  let w = mulChecked(whole, scale);
  return addChecked(w, frac);
}

/**
 * `v` with `decimals` implied decimals as exact decimal text, trailing zeros
 * dropped but at least `minDecimals` kept: formatFixed(150_000_000, 8) = "1.5",
 * formatFixed(100_000_000, 8) = "1.0", formatFixed(-2_500_000_000, 9, 0) = "-2.5".
 * Never goes through f64. Allocates: for logs and rare events, not every tick.
 */
export function formatFixed(v: i64, decimals: i32, minDecimals: i32 = 1): string {
  const scale = <u64>pow10(decimals);
  const m: u64 = v < 0 ? <u64>0 - <u64>v : <u64>v; // i64.MIN_VALUE too
  const whole = (m / scale).toString();
  const sign = v < 0 ? "-" : "";
  if (decimals == 0) return sign + whole;
  const frac = (m % scale).toString().padStart(decimals, "0");
  let end = decimals;
  const keep = minDecimals < decimals ? minDecimals : decimals;
  while (end > keep && frac.charCodeAt(end - 1) == 48) end--;
  return end == 0 ? sign + whole : sign + whole + "." + frac.substring(0, end);
}

/** Price helpers. `Px` values are i64 at 1e9. */
export namespace Px {
  /** Whole dollars → Px. Traps "mulChecked overflow..." beyond ≈ ±9.22e9. */
  export function fromInt(n: i64): i64 {
    return mulChecked(n, PX_SCALE);
  }
  /**
   * whole + nanos/1e9. `nanos` carries its own sign and must be in
   * (−1e9, 1e9) with the same sign as `whole` (or either one zero):
   * 74000.5 = fromParts(74000, 500_000_000); −0.25 = fromParts(0, −250_000_000);
   * −1.5 = fromParts(−1, −500_000_000). Traps otherwise.
   */
  export function fromParts(whole: i64, nanos: i64): i64 {
    return fromPartsScaled(whole, nanos, PX_SCALE);
  }
  /** Integer part (toward zero). */
  export function whole(px: i64): i64 {
    return px / PX_SCALE;
  }
  /** Fractional part in nanos, same sign as px. */
  export function nanos(px: i64): i64 {
    return px % PX_SCALE;
  }
  /** FOR DISPLAY AND STATISTICS ONLY: money math never goes through f64. */
  export function toF64(px: i64): f64 {
    return <f64>px / 1e9;
  }
  /** Exact decimal text for logs: Px.toString(2_978_760_000_000) = "2978.76". */
  export function toString(px: i64): string {
    return formatFixed(px, PX_DECIMALS);
  }
}

/** Quantity helpers. `Qty` values are i64 at 1e8. */
export namespace Qty {
  /** Whole units → Qty. Traps beyond ≈ ±9.22e10. */
  export function fromInt(n: i64): i64 {
    return mulChecked(n, QTY_SCALE);
  }
  /** whole + units/1e8, same sign rules as `Px.fromParts`. */
  export function fromParts(whole: i64, units: i64): i64 {
    return fromPartsScaled(whole, units, QTY_SCALE);
  }
  /** Integer part (toward zero). */
  export function whole(qty: i64): i64 {
    return qty / QTY_SCALE;
  }
  /** FOR DISPLAY AND STATISTICS ONLY: money math never goes through f64. */
  export function toF64(qty: i64): f64 {
    return <f64>qty / 1e8;
  }
  /** Exact decimal text for logs: Qty.toString(100_000_000) = "1.0". */
  export function toString(qty: i64): string {
    return formatFixed(qty, QTY_DECIMALS);
  }
}

/** USD helpers. `Usd` values are i64 at 1e9. */
export namespace Usd {
  /** Whole dollars → Usd. Traps beyond ≈ ±$9.22e9. */
  export function fromInt(n: i64): i64 {
    return mulChecked(n, USD_SCALE);
  }
  /** whole + nanos/1e9, same sign rules as `Px.fromParts`. */
  export function fromParts(whole: i64, nanos: i64): i64 {
    return fromPartsScaled(whole, nanos, USD_SCALE);
  }
  /** FOR DISPLAY AND STATISTICS ONLY: money math never goes through f64. */
  export function toF64(usd: i64): f64 {
    return <f64>usd / 1e9;
  }
  /** Exact decimal text for logs: Usd.toString(-1_390_000_000) = "-1.39". */
  export function toString(usd: i64): string {
    return formatFixed(usd, USD_DECIMALS);
  }
}
