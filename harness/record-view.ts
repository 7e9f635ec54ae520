/**
 * One event record read and written in place, by name (the layout is in
 * abi.ts and docs/abi.md, "Event records"). Code outside this file and abi.ts
 * never spells a word or half offset (but bench/replay.ts's plain-JS loop,
 * the yardstick the engine is measured against).
 *
 * A batch of records is seen two ways:
 * - its BigInt64Array `words`: record j is words[j * RECORD_WORDS + Word.X];
 *   reading a word makes a BigInt, so this view is for writing records and
 *   for the rare field that reaches the ledger or a file;
 * - an Int32Array view of the same memory, `halves(words)`: record j starts at
 *   `recordStart(j)`, and an i64 field sits at start + Half.X as two 32-bit
 *   halves, low (unsigned) then high (signed), the layout venue/i64.ts works
 *   on. The per-tick paths read this view: it allocates nothing.
 *
 * Everything here is a plain function of (view, index), small enough for V8
 * to inline, so a named read costs what the raw offset did.
 */
import { RECORD_WORDS } from "./abi.ts";

/** 32-bit halves per record. */
export const RECORD_HALVES = RECORD_WORDS * 2;

/** Word index of each field within a record (BigInt64Array view). */
export enum Word {
  Ts = 0,
  Header = 1,
  BidPx = 2,
  BidQty = 3,
  AskPx = 4,
  AskQty = 5,
  TradePx = 2,
  TradeQty = 3,
  DepthPx = 2,
  DepthQty = 3,
  OrderId = 2,
  TimerId = 2,
  BarVolume = 2,
  BarStartTs = 3,
}

/** Index of each field's low half within a record (Int32Array view): 2 × its Word; the high half follows. */
export enum Half {
  Ts = 0,
  Header = 2,
  Aux = 3,
  BidPx = 4,
  BidQty = 6,
  AskPx = 8,
  AskQty = 10,
  TradePx = 4,
  TradeQty = 6,
  DepthPx = 4,
  DepthQty = 6,
  OrderId = 4,
  OrderPx = 6,
  OrderQty = 8,
}

// ---- The header word ----

const headerCache = new Map<number, bigint>();

/** Packs the header word. `aux` is a u32. Common headers are built once: BigInt math is slow. */
export function header(kind: number, side = 0, sub = 0, aux = 0): bigint {
  if (aux >= 256) return BigInt(kind | (side << 8) | (sub << 16)) | (BigInt(aux >>> 0) << 32n);
  const key = kind | (side << 8) | (sub << 16) | (aux << 24);
  let h = headerCache.get(key);
  if (h === undefined) {
    h = BigInt(kind | (side << 8) | (sub << 16)) | (BigInt(aux) << 32n);
    headerCache.set(key, h);
  }
  return h;
}

export function headerKind(h: bigint): number {
  return Number(h & 0xffn);
}
export function headerSide(h: bigint): number {
  return Number((h >> 8n) & 0xffn);
}
export function headerSub(h: bigint): number {
  return Number((h >> 16n) & 0xffn);
}
export function headerAux(h: bigint): number {
  return Number((h >> 32n) & 0xffffffffn);
}

// ---- The BigInt64Array view ----

/** Writes record j: the one place records are made (RecordBatch, EventQueue, the engine's host events). */
export function writeRecord(words: BigInt64Array, j: number, ts: bigint, head: bigint, a: bigint, b: bigint, c: bigint, d: bigint): void {
  const o = j * RECORD_WORDS;
  words[o] = ts;
  words[o + 1] = head;
  words[o + 2] = a;
  words[o + 3] = b;
  words[o + 4] = c;
  words[o + 5] = d;
}

/** Copies record j of src over record k of dst. */
export function copyRecord(dst: BigInt64Array, k: number, src: BigInt64Array, j: number): void {
  const o = k * RECORD_WORDS;
  const p = j * RECORD_WORDS;
  for (let w = 0; w < RECORD_WORDS; w++) dst[o + w] = src[p + w];
}

/** Field `w` (a Word) of record j. */
export function wordOf(words: BigInt64Array, j: number, w: Word): bigint {
  return words[j * RECORD_WORDS + w];
}

/** Record j's time, ns. */
export function tsOf(words: BigInt64Array, j: number): bigint {
  return words[j * RECORD_WORDS];
}

/** Record j's kind, read from the BigInt view (a hot path reads `kindAt` on halves). */
export function kindOf(words: BigInt64Array, j: number): number {
  return Number(words[j * RECORD_WORDS + 1] & 0xffn);
}

/** Records [from, to) as a subarray of words (no copy), to copy whole records with `set`. */
export function recordRange(words: BigInt64Array, from: number, to: number): BigInt64Array {
  return words.subarray(from * RECORD_WORDS, to * RECORD_WORDS);
}

/** Word index where record j starts: the `offset` for `set` when copying records in at j. */
export function wordStart(j: number): number {
  return j * RECORD_WORDS;
}

// ---- The Int32Array view ----

/** An Int32Array over the first n records of words (all when n is omitted). */
export function halves(words: BigInt64Array, n = words.length / RECORD_WORDS): Int32Array {
  return new Int32Array(words.buffer, words.byteOffset, n * RECORD_HALVES);
}

/** Index in the halves view where record j starts; the accessors below take it. */
export function recordStart(j: number): number {
  return j * RECORD_HALVES;
}

/** The kind of the record starting at b. */
export function kindAt(h: Int32Array, b: number): number {
  return h[b + Half.Header] & 0xff;
}

/** The side of the record at b (SideCode). */
export function sideAt(h: Int32Array, b: number): number {
  return (h[b + Half.Header] >> 8) & 0xff;
}

/** The sub of the record at b: order status, liquidity, DepthFlag bits, bar part. */
export function subAt(h: Int32Array, b: number): number {
  return (h[b + Half.Header] >> 16) & 0xff;
}

/** The aux (u32) of the record at b: an ORDER's reason. */
export function auxAt(h: Int32Array, b: number): number {
  return h[b + Half.Aux] >>> 0;
}

/** The high (signed) half of the i64 field at index i, e.g. b + Half.TradePx. */
export function hiAt(h: Int32Array, i: number): number {
  return h[i + 1];
}

/** The low half of the i64 field at index i, unsigned (as compared after the high halves). */
export function loAt(h: Int32Array, i: number): number {
  return h[i] >>> 0;
}
