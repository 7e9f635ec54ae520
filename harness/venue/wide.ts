/**
 * Signed integers wider than i64, for the checks on the venue's per-order
 * path whose products pass 64 bits: the minimum notional (|px| × qty, 1e17)
 * and the account's funds check (cash against notionals and fees, 1e17).
 *
 * A Wide is twelve 16-bit limbs (192 bits), least significant first, in a
 * Float64Array. Every step is a sum or product of whole doubles below 2^53,
 * so exact, and nothing allocates. Between operations a Wide is normal:
 * limbs 0..10 in [0, 2^16), limb 11 signed (it carries the sign), so the
 * value is Σ limb[k] × 2^(16k). Values are bounded far inside 2^191 by
 * what they hold (a 2^63 × 2^63 product times a fee rate below 2^27).
 */
export type Wide = Float64Array;

const LIMBS = 12;
const BASE = 0x10000;

export function newWide(): Wide {
  return new Float64Array(LIMBS);
}

/** Carries so that limbs 0..10 are in [0, 2^16) and limb 11 holds the rest, signed. */
function normalize(w: Wide): void {
  for (let k = 0; k < LIMBS - 1; k++) {
    const carry = Math.floor(w[k] / BASE); // exact: a power of two
    w[k] -= carry * BASE;
    w[k + 1] += carry;
  }
}

const word64 = new BigUint64Array(1);
const words = new Int32Array(word64.buffer);

/** The Wide of v (|v| < 2^191), or into `dst`: a boundary conversion (capital, cash after a fill, a bound fixed before the run). */
export function wideOf(v: bigint, dst: Wide = newWide()): Wide {
  for (let chunk = 0; chunk < 3; chunk++) {
    word64[0] = v; // stores v mod 2^64
    const lo = words[0];
    const hi = words[1];
    dst[chunk * 4] = lo & 0xffff;
    dst[chunk * 4 + 1] = lo >>> 16;
    dst[chunk * 4 + 2] = hi & 0xffff;
    dst[chunk * 4 + 3] = chunk === 2 ? hi >> 16 : hi >>> 16; // the top limb keeps the sign
    if (chunk < 2) v >>= 64n; // floors, so the lower chunks read as two's complement
  }
  return dst;
}

/** The value of w as a BigInt (for tests and messages). */
export function bigOf(w: Wide): bigint {
  let v = 0n;
  for (let k = LIMBS - 1; k >= 0; k--) v = (v << 16n) + BigInt(w[k]);
  return v;
}

/** dst += sign × a[i] × b[j], for i64 halves (i64.ts) and sign ±1. */
export function addProduct(dst: Wide, a: Int32Array, i: number, b: Int32Array, j: number, sign: 1 | -1): void {
  // Signed 16-bit limbs of each factor: the top one (hi >> 16) is negative for a negative value.
  const a0 = a[i] & 0xffff, a1 = a[i] >>> 16, a2 = a[i + 1] & 0xffff, a3 = a[i + 1] >> 16;
  const b0 = b[j] & 0xffff, b1 = b[j] >>> 16, b2 = b[j + 1] & 0xffff, b3 = b[j + 1] >> 16;
  // Each column sums at most four products below 2^32 in magnitude.
  dst[0] += sign * (a0 * b0);
  dst[1] += sign * (a0 * b1 + a1 * b0);
  dst[2] += sign * (a0 * b2 + a1 * b1 + a2 * b0);
  dst[3] += sign * (a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0);
  dst[4] += sign * (a1 * b3 + a2 * b2 + a3 * b1);
  dst[5] += sign * (a2 * b3 + a3 * b2);
  dst[6] += sign * (a3 * b3);
  normalize(dst);
}

/** dst += sign × a[i], for i64 halves. */
export function addHalves(dst: Wide, a: Int32Array, i: number, sign: 1 | -1): void {
  dst[0] += sign * (a[i] & 0xffff);
  dst[1] += sign * (a[i] >>> 16);
  dst[2] += sign * (a[i + 1] & 0xffff);
  dst[3] += sign * (a[i + 1] >> 16);
  normalize(dst);
}

/** dst += sign × x. */
export function addWide(dst: Wide, x: Wide, sign: 1 | -1): void {
  for (let k = 0; k < LIMBS; k++) dst[k] += sign * x[k];
  normalize(dst);
}

/** w ×= m, for a whole number |m| < 2^36. */
export function mulSmall(w: Wide, m: number): void {
  for (let k = 0; k < LIMBS; k++) w[k] *= m; // |limb| < 2^16: each product below 2^52
  normalize(w);
}

/** w = ⌈w / d⌉ (toward +∞), for a whole number 0 < d < 2^36. */
export function divCeil(w: Wide, d: number): void {
  const negative = sign(w) < 0;
  if (negative) negate(w); // ⌈−x / d⌉ = −⌊x / d⌋
  let rest = 0;
  for (let k = LIMBS - 1; k >= 0; k--) {
    const v = rest * BASE + w[k]; // rest < d: below 2^52
    w[k] = Math.floor(v / d);
    rest = v - w[k] * d;
  }
  if (!negative && rest > 0) {
    w[0] += 1;
    normalize(w);
  }
  if (negative) negate(w);
}

export function negate(w: Wide): void {
  for (let k = 0; k < LIMBS; k++) w[k] = -w[k];
  normalize(w);
}

/** −1, 0 or 1. */
export function sign(w: Wide): number {
  const top = w[LIMBS - 1];
  if (top !== 0) return top < 0 ? -1 : 1;
  for (let k = LIMBS - 2; k >= 0; k--) if (w[k] !== 0) return 1;
  return 0;
}

/** Whether a < b. */
export function wideLess(a: Wide, b: Wide): boolean {
  if (a[LIMBS - 1] !== b[LIMBS - 1]) return a[LIMBS - 1] < b[LIMBS - 1]; // the signed top limb decides first
  for (let k = LIMBS - 2; k >= 0; k--) if (a[k] !== b[k]) return a[k] < b[k];
  return false;
}

const product = newWide();

/** Whether |a[i] × b[j]| < bound, for i64 halves: the minimum-notional check. */
export function productBelow(a: Int32Array, i: number, b: Int32Array, j: number, bound: Wide): boolean {
  product.fill(0);
  addProduct(product, a, i, b, j, 1);
  if (sign(product) < 0) negate(product);
  return wideLess(product, bound);
}
