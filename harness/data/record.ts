/**
 * The event record: the one binary shape every tick takes on its way from a
 * file to the algo. Readers produce records, the engine copies them into the
 * module's linear memory unchanged, and the runtime reads them in place.
 * The layout is part of the ABI (docs/abi.md, "Event records"); the module
 * reads it in place in runtime/exports.ts (`sequence_run`).
 *
 * One record = 6 little-endian i64 words (48 bytes):
 *   w0  ts_ns
 *   w1  header: bits 0-7 kind, bits 8-15 side (0 none, 1 buy, 2 sell),
 *       bits 16-23 sub-kind (order status / liquidity), bits 32-63 aux (u32)
 *   w2..w5 payload, by kind:
 *     QUOTE  bid_px_1e9, bid_qty_1e8, ask_px_1e9, ask_qty_1e8
 *     TRADE  px_1e9, qty_1e8 (side = aggressor)
 *     FILL   order_id, px_1e9, qty_1e8, fee_1e9 (side = order side, sub = liquidity)
 *     ORDER  order_id, px_1e9, qty_1e8 (sub = status, aux = reject reason)
 *     TIMER  timer_id
 *     DEPTH  price_1e9, qty_1e8 (side = book side: 1 bid, 2 ask; sub = DepthFlag bits)
 *     BAR    two records per bar (ABI 1.2): sub 0 open, high, low, close (px 1e9);
 *            sub 1 volume_1e8, start_ns. Both at the bar's close, after its close print.
 * A TRADE with sub = BAR_CLOSE_PRINT is a bar's last print: the market is shut
 * until the next print (docs/backtesting.md, "Bars").
 */
export const RECORD_WORDS = 6;
export const RECORD_BYTES = RECORD_WORDS * 8;

export const enum Kind {
  Quote = 1,
  Trade = 2,
  Fill = 3,
  Order = 4,
  Timer = 5,
  /** A bar's prices, then its volume and start (ABI 1.2): two records per bar. */
  Bar = 6,
  /** One L2 book level (ABI 1.2); an update is a run of them ending with DepthFlag.Last. */
  Depth = 7,
}

/** The `sub` bits of a DEPTH record (docs/abi.md). */
export const enum DepthFlag {
  /** Empty this side of the book before applying the record: a snapshot starts. */
  Clear = 1,
  /** The last record of one update: the book is complete and uncrossed after it. */
  Last = 2,
}

/** TRADE sub-kind: the close of a bar (orders sent after it wait for the next print). */
export const BAR_CLOSE_PRINT = 1;
/** TRADE sub-kind: a bar's open or extreme, replayed as a print. */
export const BAR_PRINT = 2;
/** BAR sub-kinds: the prices record, then the volume-and-start record that completes it. */
export const BAR_PRICES = 0;
export const BAR_VOLUME = 1;

/**
 * The kinds a market-data source may carry. Fills, orders and timers are the
 * host's events (the venue's answers to the algo): a data file holding one
 * would make the algo believe in fills the ledger never saw.
 */
export const MARKET_KINDS: readonly number[] = [Kind.Quote, Kind.Trade, Kind.Bar, Kind.Depth];

/** Kind names for messages. */
export const KIND_NAMES: Readonly<Record<number, string>> = {
  [Kind.Quote]: "QUOTE",
  [Kind.Trade]: "TRADE",
  [Kind.Fill]: "FILL",
  [Kind.Order]: "ORDER",
  [Kind.Timer]: "TIMER",
  [Kind.Bar]: "BAR",
  [Kind.Depth]: "DEPTH",
};

export const enum SideCode {
  None = 0,
  Buy = 1,
  Sell = 2,
}

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

/**
 * A run of records in one growable BigInt64Array. Readers append to it and
 * hand it to the engine when full, so memory stays bounded by the batch size.
 */
export class RecordBatch {
  readonly words: BigInt64Array;
  length = 0;

  constructor(readonly capacity: number) {
    this.words = new BigInt64Array(capacity * RECORD_WORDS);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Appends one record; the caller checks `full` first. */
  push(ts: bigint, head: bigint, a = 0n, b = 0n, c = 0n, d = 0n): void {
    const o = this.length++ * RECORD_WORDS;
    const w = this.words;
    w[o] = ts;
    w[o + 1] = head;
    w[o + 2] = a;
    w[o + 3] = b;
    w[o + 4] = c;
    w[o + 5] = d;
  }

  ts(i: number): bigint {
    return this.words[i * RECORD_WORDS];
  }

  /** The filled part, as bytes ready to copy into linear memory. */
  bytes(): Uint8Array {
    return new Uint8Array(this.words.buffer, this.words.byteOffset, this.length * RECORD_BYTES);
  }

  clear(): void {
    this.length = 0;
  }
}

/**
 * `batch` without the records of kinds newer than `newest` (a module built
 * for an older ABI traps on a kind it does not know). Returns `batch` itself
 * when there is nothing to drop, else the rest copied into `into`.
 */
export function withoutKindsAfter(batch: RecordBatch, newest: number, into: RecordBatch): RecordBatch {
  const w = batch.words;
  let j = 0;
  while (j < batch.length && Number(w[j * RECORD_WORDS + 1] & 0xffn) <= newest) j++;
  if (j === batch.length) return batch;
  into.clear();
  for (let i = 0; i < batch.length; i++) {
    const o = i * RECORD_WORDS;
    if (Number(w[o + 1] & 0xffn) > newest) continue;
    into.push(w[o], w[o + 1], w[o + 2], w[o + 3], w[o + 4], w[o + 5]);
  }
  return into;
}
