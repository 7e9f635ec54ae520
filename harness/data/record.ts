/**
 * The event record: the one binary shape every tick takes on its way from a
 * file to the algo. Readers produce records, the engine copies them into the
 * module's linear memory unchanged, and the runtime reads them in place.
 * The layout is part of the ABI (docs/abi.md, "Event records"); runtime/abi.ts
 * is its AssemblyScript twin.
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
 */
export const RECORD_WORDS = 6;
export const RECORD_BYTES = RECORD_WORDS * 8;

export const enum Kind {
  Quote = 1,
  Trade = 2,
  Fill = 3,
  Order = 4,
  Timer = 5,
}

/**
 * The kinds a market-data source may carry. Fills, orders and timers are the
 * host's events (the venue's answers to the algo): a data file holding one
 * would make the algo believe in fills the ledger never saw.
 */
export const MARKET_KINDS: readonly number[] = [Kind.Quote, Kind.Trade];

/** Kind names for messages. */
export const KIND_NAMES: Readonly<Record<number, string>> = {
  [Kind.Quote]: "QUOTE",
  [Kind.Trade]: "TRADE",
  [Kind.Fill]: "FILL",
  [Kind.Order]: "ORDER",
  [Kind.Timer]: "TIMER",
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
