/**
 * The .ticks header and chunk index: what a file says about itself, read
 * without touching its records (so `algo data info` is instant and a replay
 * can skip chunks outside `--from/--to`). Version 1 (raw records) is still
 * read; version 2 (chunked, compressed) is written. Layouts: data/README.md.
 *
 * Every number the header states is checked against the file: a scale the
 * engine does not use, a chunk index that does not tile the file, a size that
 * says the write never finished — each is a DataError naming the file and
 * the field.
 */
import { open, stat } from "node:fs/promises";
import { PX_DECIMALS, QTY_DECIMALS } from "../fixed.ts";
import type { InstrumentSpec } from "../venue/instrument.ts";
import { DataError } from "./errors.ts";
import { KIND_NAMES, RECORD_BYTES } from "../abi.ts";

export const TICKS_MAGIC = "SQTICKS1";
/** The version the writer writes; the reader also reads 1. */
export const TICKS_VERSION = 2;
/** Records per chunk the writer uses: 64 Ki records = 3 MiB before compression. */
export const CHUNK_RECORDS = 65_536;
/** Chunk encoding 1: six columns of i64 (ts as deltas), raw deflate (RFC 1951). */
export const CHUNK_ENCODING = 1;
/** Decimal places of prices and quantities and of the time unit (9: ns), as the engine uses them. */
export const SCALES = { price: PX_DECIMALS, qty: QTY_DECIMALS, time: 9 } as const;

const V1_FIXED = 40;
const V2_FIXED = 168;
/** Record-count slots in the v2 header: kind 0..7 (slot 0 also counts kinds >= 8). */
const KIND_SLOTS = 8;
export const INDEX_ENTRY_BYTES = 40;
/** Largest chunk the reader will allocate for (a corrupt header must not ask for gigabytes). */
const MAX_CHUNK_RECORDS = 1 << 20;

export interface TicksChunk {
  /** Byte offset of the compressed chunk in the file. */
  readonly offset: number;
  /** Compressed bytes. */
  readonly bytes: number;
  readonly records: number;
  /** Number of records before this chunk (its first record is `firstRecord + 1`, 1-based). */
  readonly firstRecord: number;
  readonly firstTsNs: bigint;
  readonly lastTsNs: bigint;
  /** CRC-32 of the compressed bytes. */
  readonly crc32: number;
}

export interface TicksHeader {
  readonly version: number;
  readonly headerBytes: number;
  readonly records: number;
  readonly symbol: string | undefined;
  readonly venue?: string;
  readonly description: string;
  /** Version 2 on: the time range, records per kind name, the instrument's rules, the chunks. */
  readonly firstTsNs?: bigint;
  readonly lastTsNs?: bigint;
  readonly kinds?: Readonly<Record<string, number>>;
  readonly instrument?: InstrumentSpec;
  readonly chunkRecords?: number;
  readonly chunks?: readonly TicksChunk[];
}

/** What the writer knows before the first record. */
export interface HeaderStrings {
  readonly symbol?: string;
  readonly venue?: string;
  readonly description: string;
  readonly instrument?: InstrumentSpec;
}

/** What the writer knows after the last record. */
export interface HeaderTotals {
  readonly records: number;
  readonly firstTsNs: bigint;
  readonly lastTsNs: bigint;
  readonly kindCounts: readonly number[];
  readonly indexOffset: number;
  readonly chunks: number;
}

/** The v2 header with zero totals; `patchTotals` fills them in once the records are written. */
export function encodeHeaderV2(s: HeaderStrings): Buffer {
  const sym = Buffer.from(s.symbol ?? "", "utf8");
  const venue = Buffer.from(s.venue ?? "", "utf8");
  const desc = Buffer.from(s.description, "utf8");
  const size = Math.ceil((V2_FIXED + sym.length + venue.length + desc.length) / 8) * 8;
  const h = Buffer.alloc(size);
  h.write(TICKS_MAGIC, 0, "latin1");
  h.writeUInt32LE(2, 8);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(RECORD_BYTES, 24);
  h.writeUInt32LE(CHUNK_RECORDS, 28);
  h.writeUInt32LE(CHUNK_ENCODING, 60);
  h.writeUInt8(SCALES.price, 64);
  h.writeUInt8(SCALES.qty, 65);
  h.writeUInt8(SCALES.time, 66);
  h.writeUInt8(s.instrument ? 1 : 0, 67);
  h.writeUInt32LE(sym.length, 68);
  h.writeUInt32LE(venue.length, 72);
  h.writeUInt32LE(desc.length, 76);
  if (s.instrument) {
    h.writeBigInt64LE(s.instrument.tickPx, 144);
    h.writeBigInt64LE(s.instrument.lotQty, 152);
    h.writeBigInt64LE(s.instrument.minNotional, 160);
  }
  sym.copy(h, V2_FIXED);
  venue.copy(h, V2_FIXED + sym.length);
  desc.copy(h, V2_FIXED + sym.length + venue.length);
  return h;
}

/** Writes the totals into an encoded v2 header. */
export function patchTotals(h: Buffer, t: HeaderTotals): void {
  h.writeBigUInt64LE(BigInt(t.records), 16);
  h.writeBigInt64LE(t.firstTsNs, 32);
  h.writeBigInt64LE(t.lastTsNs, 40);
  h.writeBigUInt64LE(BigInt(t.indexOffset), 48);
  h.writeUInt32LE(t.chunks, 56);
  for (let k = 0; k < KIND_SLOTS; k++) h.writeBigUInt64LE(BigInt(t.kindCounts[k] ?? 0), 80 + 8 * k);
}

/** One chunk's index entry. */
export function encodeIndexEntry(c: Omit<TicksChunk, "firstRecord">): Buffer {
  const e = Buffer.alloc(INDEX_ENTRY_BYTES);
  e.writeBigUInt64LE(BigInt(c.offset), 0);
  e.writeUInt32LE(c.bytes, 8);
  e.writeUInt32LE(c.records, 12);
  e.writeBigInt64LE(c.firstTsNs, 16);
  e.writeBigInt64LE(c.lastTsNs, 24);
  e.writeUInt32LE(c.crc32, 32);
  return e;
}

/** Counts a record's kind into its header slot. */
export function kindSlot(kind: number): number {
  return kind < KIND_SLOTS ? kind : 0;
}

/** Reads and checks a .ticks header (and, for version 2, the chunk index and that they tile the file). */
export async function readTicksHeader(path: string): Promise<TicksHeader> {
  const fh = await open(path, "r");
  try {
    const fixed = Buffer.alloc(V2_FIXED);
    const { bytesRead } = await fh.read(fixed, 0, V2_FIXED, 0);
    const bad = (expected: string, got?: string, field = "header") => new DataError({ file: path, line: 0, field, expected, got });
    const truncated = (expected: string, bytes: number) =>
      new DataError({ file: path, line: 0, field: "header", expected, found: `${bytes} bytes (the file is truncated)` });
    const magic = fixed.toString("latin1", 0, Math.min(8, bytesRead));
    if (magic !== TICKS_MAGIC) throw bad(`a .ticks file starting with "${TICKS_MAGIC}"`, magic);
    if (bytesRead < V1_FIXED) throw truncated(`a ${V1_FIXED}-byte header`, bytesRead);
    const version = fixed.readUInt32LE(8);
    if (version !== 1 && version !== 2) throw bad("version 1 or 2", String(version));
    const headerBytes = fixed.readUInt32LE(12);
    const recordBytes = fixed.readUInt32LE(24);
    if (recordBytes !== RECORD_BYTES) throw bad(`${RECORD_BYTES}-byte records`, String(recordBytes));
    const records64 = fixed.readBigUInt64LE(16);
    const fileBytes = BigInt((await stat(path)).size);
    const wrongSize = (want: bigint, what: string) =>
      bad(`a file of ${want} bytes for ${what} (truncated or unfinished write?)`, `${fileBytes} bytes`);

    if (version === 1) {
      const [symLen, descLen] = [fixed.readUInt32LE(28), fixed.readUInt32LE(32)];
      const strings = await readStrings(headerBytes, V1_FIXED, [symLen, descLen]);
      const want = BigInt(headerBytes) + records64 * BigInt(RECORD_BYTES);
      if (fileBytes !== want) throw wrongSize(want, `${records64} records`);
      return { version, headerBytes, records: Number(records64), symbol: strings[0] || undefined, description: strings[1] };
    }

    if (bytesRead < V2_FIXED) throw truncated(`a ${V2_FIXED}-byte header`, bytesRead);
    const scales = [fixed.readUInt8(64), fixed.readUInt8(65), fixed.readUInt8(66)];
    if (scales[0] !== SCALES.price || scales[1] !== SCALES.qty || scales[2] !== SCALES.time) {
      throw bad(
        `the engine's scales: prices in 1e-${SCALES.price}, quantities in 1e-${SCALES.qty}, time in ns (1e-${SCALES.time} s)`,
        `prices in 1e-${scales[0]}, quantities in 1e-${scales[1]}, time in 1e-${scales[2]} s`,
        "scales",
      );
    }
    const encoding = fixed.readUInt32LE(60);
    if (encoding !== CHUNK_ENCODING) throw bad(`chunk encoding ${CHUNK_ENCODING} (columns, ts deltas, deflate)`, String(encoding), "chunk encoding");
    const chunkRecords = fixed.readUInt32LE(28);
    if (chunkRecords < 1 || chunkRecords > MAX_CHUNK_RECORDS) throw bad(`1 to ${MAX_CHUNK_RECORDS} records per chunk`, String(chunkRecords));
    const strings = await readStrings(headerBytes, V2_FIXED, [fixed.readUInt32LE(68), fixed.readUInt32LE(72), fixed.readUInt32LE(76)]);
    const chunkCount = fixed.readUInt32LE(56);
    const indexOffset = fixed.readBigUInt64LE(48);
    const want = indexOffset + BigInt(chunkCount * INDEX_ENTRY_BYTES);
    if (indexOffset < BigInt(headerBytes) || fileBytes !== want) throw wrongSize(want, `${chunkCount} chunk${chunkCount === 1 ? "" : "s"} and the chunk index`);

    const index = Buffer.alloc(chunkCount * INDEX_ENTRY_BYTES);
    await fh.read(index, 0, index.length, Number(indexOffset));
    const chunks: TicksChunk[] = [];
    let offset = headerBytes;
    let before = 0;
    let lastTs = -1n;
    for (let k = 0; k < chunkCount; k++) {
      const e = k * INDEX_ENTRY_BYTES;
      const chunk: TicksChunk = {
        offset: Number(index.readBigUInt64LE(e)),
        bytes: index.readUInt32LE(e + 8),
        records: index.readUInt32LE(e + 12),
        firstRecord: before,
        firstTsNs: index.readBigInt64LE(e + 16),
        lastTsNs: index.readBigInt64LE(e + 24),
        crc32: index.readUInt32LE(e + 32),
      };
      const field = `chunk index entry ${k + 1}`;
      if (chunk.offset !== offset) throw bad(`chunk ${k + 1} at byte ${offset}, right after the one before`, String(chunk.offset), field);
      if (chunk.records < 1 || chunk.records > chunkRecords) throw bad(`1 to ${chunkRecords} records`, String(chunk.records), field);
      if (chunk.firstTsNs > chunk.lastTsNs || chunk.firstTsNs < lastTs) throw bad("a time range in order", `${chunk.firstTsNs}..${chunk.lastTsNs}`, field);
      chunks.push(chunk);
      offset += chunk.bytes;
      before += chunk.records;
      lastTs = chunk.lastTsNs;
    }
    if (BigInt(offset) !== indexOffset) throw bad(`chunks ending where the index starts (byte ${indexOffset})`, String(offset), "chunk index");
    if (BigInt(before) !== records64) throw bad(`chunks holding the header's ${records64} records`, String(before), "chunk index");

    const kinds: Record<string, number> = {};
    let counted = 0n;
    for (let k = 0; k < KIND_SLOTS; k++) {
      const n = fixed.readBigUInt64LE(80 + 8 * k);
      counted += n;
      if (n > 0n) kinds[k === 0 ? "other" : (KIND_NAMES[k] ?? `kind ${k}`)] = Number(n);
    }
    if (counted !== records64) throw bad(`records per kind adding up to the header's ${records64} records`, String(counted), "records per kind");
    const instrument = fixed.readUInt8(67)
      ? { tickPx: fixed.readBigInt64LE(144), lotQty: fixed.readBigInt64LE(152), minNotional: fixed.readBigInt64LE(160) }
      : undefined;
    if (instrument && (instrument.tickPx < 0n || instrument.lotQty < 0n || instrument.minNotional < 0n)) {
      throw bad("instrument rules >= 0", `tick ${instrument.tickPx}, lot ${instrument.lotQty}, min_notional ${instrument.minNotional}`, "instrument");
    }
    return {
      version,
      headerBytes,
      records: Number(records64),
      symbol: strings[0] || undefined,
      venue: strings[1] || undefined,
      description: strings[2],
      firstTsNs: chunks.length ? fixed.readBigInt64LE(32) : undefined,
      lastTsNs: chunks.length ? fixed.readBigInt64LE(40) : undefined,
      kinds,
      instrument,
      chunkRecords,
      chunks,
    };
  } finally {
    await fh.close();
  }

  /** The UTF-8 strings after the fixed part, each `lengths[i]` bytes. */
  async function readStrings(headerBytes: number, fixedBytes: number, lengths: number[]): Promise<string[]> {
    const total = lengths.reduce((a, b) => a + b, 0);
    if (headerBytes % 8 !== 0 || headerBytes < fixedBytes + total) {
      throw new DataError({ file: path, line: 0, field: "header", expected: "a header size that is a multiple of 8 and holds the strings", got: String(headerBytes) });
    }
    const bytes = Buffer.alloc(total);
    const { bytesRead } = await fh.read(bytes, 0, total, fixedBytes);
    if (bytesRead < total) {
      throw new DataError({ file: path, line: 0, field: "header", expected: `a ${headerBytes}-byte header`, found: `${fixedBytes + bytesRead} bytes (the file is truncated)` });
    }
    const out: string[] = [];
    let at = 0;
    for (const n of lengths) {
      out.push(bytes.toString("utf8", at, at + n));
      at += n;
    }
    return out;
  }
}
