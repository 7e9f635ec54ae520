/**
 * Signed 64-bit integers as two 32-bit halves, for the venue's per-order
 * path: prices (1e9) and quantities (1e8) are exact over the whole i64 range
 * without allocating a BigInt per operation. A value lives at index i of an
 * Int32Array as [i] = low half (read unsigned with >>> 0), [i + 1] = high
 * half (signed): the layout of a record's words (record-view.ts), so a
 * record's fields are read from its Int32Array view as they are.
 *
 * Arithmetic wraps modulo 2^64 like i64; the venue only subtracts a smaller
 * quantity from a larger one, adds what stays under a displayed size, and
 * halves sums, so nothing it does wraps. Every operation reads its inputs
 * before it writes, so dst may be one of them.
 */

/** Moves a BigInt in or out through memory: a store, not arithmetic. */
const scratch = new BigInt64Array(1);
const scratchHalves = new Int32Array(scratch.buffer);

/** Writes `v` at dst[i]. */
export function put(dst: Int32Array, i: number, v: bigint): void {
  scratch[0] = v;
  dst[i] = scratchHalves[0];
  dst[i + 1] = scratchHalves[1];
}

/** The value at src[i] as a BigInt (for the ledger and the algo: the boundary of the venue). */
export function big(src: Int32Array, i: number): bigint {
  scratchHalves[0] = src[i];
  scratchHalves[1] = src[i + 1];
  return scratch[0];
}

/** a[i] < b[j] */
export function lt(a: Int32Array, i: number, b: Int32Array, j: number): boolean {
  const ah = a[i + 1];
  const bh = b[j + 1];
  return ah < bh || (ah === bh && a[i] >>> 0 < b[j] >>> 0);
}

/** a[i] === b[j] */
export function eq(a: Int32Array, i: number, b: Int32Array, j: number): boolean {
  return a[i] === b[j] && a[i + 1] === b[j + 1];
}

/** a[i] > 0 */
export function positive(a: Int32Array, i: number): boolean {
  const h = a[i + 1];
  return h > 0 || (h === 0 && a[i] !== 0);
}

/** a[i] === 0 */
export function zero(a: Int32Array, i: number): boolean {
  return a[i] === 0 && a[i + 1] === 0;
}

/** a[i] < 0 */
export function negative(a: Int32Array, i: number): boolean {
  return a[i + 1] < 0;
}

export function copy(dst: Int32Array, i: number, src: Int32Array, j: number): void {
  dst[i] = src[j];
  dst[i + 1] = src[j + 1];
}

export function setZero(dst: Int32Array, i: number): void {
  dst[i] = 0;
  dst[i + 1] = 0;
}

/** dst[i] = a[j] + b[k] */
export function add(dst: Int32Array, i: number, a: Int32Array, j: number, b: Int32Array, k: number): void {
  const lo = (a[j] >>> 0) + (b[k] >>> 0);
  const hi = (a[j + 1] + b[k + 1] + (lo > 0xffffffff ? 1 : 0)) | 0;
  dst[i] = lo | 0;
  dst[i + 1] = hi;
}

/** dst[i] = a[j] − b[k] */
export function sub(dst: Int32Array, i: number, a: Int32Array, j: number, b: Int32Array, k: number): void {
  const lo = (a[j] >>> 0) - (b[k] >>> 0);
  const hi = (a[j + 1] - b[k + 1] - (lo < 0 ? 1 : 0)) | 0;
  dst[i] = lo | 0;
  dst[i + 1] = hi;
}

/** dst[i] = the smaller of a[j] and b[k] */
export function min(dst: Int32Array, i: number, a: Int32Array, j: number, b: Int32Array, k: number): void {
  if (lt(b, k, a, j)) copy(dst, i, b, k);
  else copy(dst, i, a, j);
}

/** dst[i] = ⌊(a[j] + b[k]) / 2⌋ without an intermediate wider than 64 bits: ⌊a/2⌋ + ⌊b/2⌋ + (a & b & 1). */
export function floorMid(dst: Int32Array, i: number, a: Int32Array, j: number, b: Int32Array, k: number): void {
  const aLo = ((a[j] >>> 1) | (a[j + 1] << 31)) >>> 0;
  const bLo = ((b[k] >>> 1) | (b[k + 1] << 31)) >>> 0;
  const lo = aLo + bLo + (a[j] & b[k] & 1);
  const hi = ((a[j + 1] >> 1) + (b[k + 1] >> 1) + (lo > 0xffffffff ? 1 : 0)) | 0;
  dst[i] = lo | 0;
  dst[i + 1] = hi;
}

/** a[i] ≤ b[j] */
export function le(a: Int32Array, i: number, b: Int32Array, j: number): boolean {
  return !lt(b, j, a, i);
}

/** dst[i] = −a[j] (wraps at −2^63, as i64 does). */
export function neg(dst: Int32Array, i: number, a: Int32Array, j: number): void {
  const lo = -(a[j] >>> 0);
  dst[i] = lo | 0;
  dst[i + 1] = (~a[j + 1] + (lo === 0 ? 1 : 0)) | 0;
}

/** dst[i] = a whole number n with |n| ≤ 2^53 (an order id, a count). */
export function fromNumber(dst: Int32Array, i: number, n: number): void {
  const hi = Math.floor(n / 0x100000000);
  dst[i] = (n - hi * 0x100000000) | 0;
  dst[i + 1] = hi | 0;
}

/** a[i] as a number, rounded to the nearest double as Number(bigint) rounds it. */
export function toNumber(a: Int32Array, i: number): number {
  return a[i + 1] * 0x100000000 + (a[i] >>> 0); // the product is exact: one rounding, in the sum
}

/**
 * Whether |a[i]| is a multiple of m[j] > 0 (read unsigned, so |−2^63| is
 * 2^63): a tick- or lot-size check without a BigInt remainder.
 */
export function divisible(a: Int32Array, i: number, m: Int32Array, j: number): boolean {
  let lo = a[i] >>> 0;
  let hi = a[i + 1] >>> 0;
  if (a[i + 1] < 0) {
    lo = (-lo) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  const mLo = m[j] >>> 0;
  const mHi = m[j + 1] >>> 0;
  if (mHi < 32) {
    // m < 2^37: the remainder times 2^16 stays below 2^53, exact in a double (Horner over 16-bit limbs).
    const d = mHi * 0x100000000 + mLo;
    let r = (hi >>> 16) % d;
    r = (r * 0x10000 + (hi & 0xffff)) % d;
    r = (r * 0x10000 + (lo >>> 16)) % d;
    r = (r * 0x10000 + (lo & 0xffff)) % d;
    return r === 0;
  }
  // Binary long division: r < m ≤ 2^63, so 2r + 1 < 2^64 fits two unsigned halves.
  let rHi = 0;
  let rLo = 0;
  for (let bit = 63; bit >= 0; bit--) {
    const next = bit >= 32 ? (hi >>> (bit - 32)) & 1 : (lo >>> bit) & 1;
    rHi = ((rHi << 1) | (rLo >>> 31)) >>> 0;
    rLo = ((rLo << 1) | next) >>> 0;
    if (rHi > mHi || (rHi === mHi && rLo >= mLo)) {
      const low = rLo - mLo;
      rHi = (rHi - mHi - (low < 0 ? 1 : 0)) >>> 0;
      rLo = low >>> 0;
    }
  }
  return rHi === 0 && rLo === 0;
}

/** 16-bit limbs of |a[i]| (read unsigned), least significant first, into out[0..3]. */
function absLimbs(a: Int32Array, i: number, out: Float64Array): void {
  let lo = a[i] >>> 0;
  let hi = a[i + 1] >>> 0;
  if (a[i + 1] < 0) {
    lo = (-lo) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  out[0] = lo & 0xffff;
  out[1] = lo >>> 16;
  out[2] = hi & 0xffff;
  out[3] = hi >>> 16;
}

const limbsA = new Float64Array(4);
/** mulDivCeil's product and quotient, 16-bit limbs. */
const limbsP = new Float64Array(6);

/**
 * dst[i] = ⌈|a[j]| × mul / div⌉ modulo 2^64, for whole numbers 0 ≤ mul < 2^21
 * and 0 < div < 2^21 (basis points over 10 000): the product may pass 2^64,
 * so it is kept as 16-bit limbs, each step exact in a double.
 */
export function mulDivCeil(dst: Int32Array, i: number, a: Int32Array, j: number, mul: number, div: number): void {
  absLimbs(a, j, limbsA);
  const p = limbsP;
  let carry = 0;
  for (let k = 0; k < 4; k++) {
    const v = limbsA[k] * mul + carry; // < 2^37 + 2^21
    p[k] = v % 0x10000;
    carry = Math.floor(v / 0x10000);
  }
  p[4] = carry % 0x10000;
  p[5] = Math.floor(carry / 0x10000); // carry < 2^22: two limbs hold it
  let r = 0;
  for (let k = 5; k >= 0; k--) {
    const v = r * 0x10000 + p[k]; // r < div < 2^21: below 2^37
    p[k] = Math.floor(v / div);
    r = v - p[k] * div;
  }
  let lo = (p[1] * 0x10000 + p[0]) >>> 0;
  let hi = (p[3] * 0x10000 + p[2]) >>> 0;
  if (r > 0) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
  dst[i] = lo | 0;
  dst[i + 1] = hi | 0;
}
