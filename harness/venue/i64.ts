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
