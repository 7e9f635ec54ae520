/**
 * The `.ticks` file: records exactly as they sit in memory (record.ts), so a
 * replay can reload a converted file by copying bytes — no text, no parsing.
 * Convert a CSV/JSON once with `writeTicks`, replay the .ticks many times.
 *
 * Layout (little-endian):
 *   off  size
 *   0    8   magic "SQTICKS1"
 *   8    4   u32 version (1)
 *   12   4   u32 header size in bytes (multiple of 8; records start here)
 *   16   8   u64 record count
 *   24   4   u32 record size (48)
 *   28   4   u32 symbol length (UTF-8 bytes, 0 = none)
 *   32   4   u32 description length (UTF-8 bytes)
 *   36   4   reserved, 0
 *   40   …   symbol, then description, then zero padding to the header size
 *   …        record count × 48-byte records
 * The description travels with the data so a reloaded file still says where
 * it came from (real or synthetic).
 */
import { open, stat } from "node:fs/promises";
import { writeAtomically } from "./atomic-write.ts";
import { endianness } from "node:os";
import { DataError } from "./errors.ts";
import { RECORD_BYTES, RecordBatch } from "./record.ts";
import type { TickSource } from "./source.ts";
import { batchSizeOf } from "./batching.ts";
import { RecordCheck } from "./record-check.ts";

export const TICKS_MAGIC = "SQTICKS1";
export const TICKS_VERSION = 1;
const FIXED_HEADER = 40;

export interface TicksHeader {
  readonly version: number;
  readonly headerBytes: number;
  readonly records: number;
  readonly symbol: string | undefined;
  readonly description: string;
}

export interface WriteTicksOptions {
  readonly symbol?: string;
  /** Stored in the header; defaults to the source's description. */
  readonly description?: string;
  readonly batchSize?: number;
  readonly venue?: string; // stored from .ticks v2 on (ticks2); ignored by v1
  readonly onProgress?: (recordsWritten: number) => void;
}

function requireLittleEndian(): void {
  // Records are raw BigInt64Array bytes, which are host-endian.
  if (endianness() !== "LE") throw new Error(".ticks files are little-endian; this host is big-endian");
}

function encodeHeader(records: bigint, symbol: string | undefined, description: string): Buffer {
  const sym = Buffer.from(symbol ?? "", "utf8");
  const desc = Buffer.from(description, "utf8");
  const size = Math.ceil((FIXED_HEADER + sym.length + desc.length) / 8) * 8;
  const h = Buffer.alloc(size);
  h.write(TICKS_MAGIC, 0, "latin1");
  h.writeUInt32LE(TICKS_VERSION, 8);
  h.writeUInt32LE(size, 12);
  h.writeBigUInt64LE(records, 16);
  h.writeUInt32LE(RECORD_BYTES, 24);
  h.writeUInt32LE(sym.length, 28);
  h.writeUInt32LE(desc.length, 32);
  sym.copy(h, FIXED_HEADER);
  desc.copy(h, FIXED_HEADER + sym.length);
  return h;
}

/**
 * Writes every record of `source` to `path` as a .ticks file, atomically
 * (atomic-write.ts): a failed or interrupted conversion leaves no half file.
 */
export async function writeTicks(path: string, source: TickSource, options: WriteTicksOptions = {}): Promise<TicksHeader> {
  requireLittleEndian();
  const description = options.description ?? source.description;
  return writeAtomically(path, async (tmp) => {
    const fh = await open(tmp, "w");
    try {
      let records = 0;
      const head = encodeHeader(0n, options.symbol, description);
      await fh.write(head, 0, head.length, 0);
      let pos = head.length;
      for await (const batch of source.batches(options.batchSize)) {
        const bytes = batch.bytes();
        // Awaited before asking for the next batch: the source may reuse it.
        await fh.write(bytes, 0, bytes.length, pos);
        pos += bytes.length;
        records += batch.length;
        options.onProgress?.(records);
      }
      const count = Buffer.alloc(8);
      count.writeBigUInt64LE(BigInt(records));
      await fh.write(count, 0, 8, 16);
      return { version: TICKS_VERSION, headerBytes: head.length, records, symbol: options.symbol, description };
    } finally {
      await fh.close();
    }
  });
}

/** Reads and checks a .ticks header (and that the file size matches it). */
export async function readTicksHeader(path: string): Promise<TicksHeader> {
  const fh = await open(path, "r");
  try {
    const fixed = Buffer.alloc(FIXED_HEADER);
    const { bytesRead } = await fh.read(fixed, 0, FIXED_HEADER, 0);
    const bad = (expected: string, got?: string) => new DataError({ file: path, line: 0, field: "header", expected, got });
    const magic = fixed.toString("latin1", 0, Math.min(8, bytesRead));
    if (magic !== TICKS_MAGIC) throw bad(`a .ticks file starting with "${TICKS_MAGIC}"`, magic);
    if (bytesRead < FIXED_HEADER) {
      throw new DataError({ file: path, line: 0, field: "header", expected: `a ${FIXED_HEADER}-byte header`, found: `${bytesRead} bytes (the file is truncated)` });
    }
    const version = fixed.readUInt32LE(8);
    if (version !== TICKS_VERSION) throw bad(`version ${TICKS_VERSION}`, String(version));
    const headerBytes = fixed.readUInt32LE(12);
    const recordBytes = fixed.readUInt32LE(24);
    if (recordBytes !== RECORD_BYTES) throw bad(`${RECORD_BYTES}-byte records`, String(recordBytes));
    const symLen = fixed.readUInt32LE(28);
    const descLen = fixed.readUInt32LE(32);
    if (headerBytes % 8 !== 0 || headerBytes < FIXED_HEADER + symLen + descLen) {
      throw bad("a header size that is a multiple of 8 and holds the strings", String(headerBytes));
    }
    const strings = Buffer.alloc(symLen + descLen);
    const { bytesRead: stringBytes } = await fh.read(strings, 0, strings.length, FIXED_HEADER);
    if (stringBytes < strings.length) {
      throw new DataError({ file: path, line: 0, field: "header", expected: `a ${headerBytes}-byte header`, found: `${FIXED_HEADER + stringBytes} bytes (the file is truncated)` });
    }
    const records64 = fixed.readBigUInt64LE(16);
    const size = BigInt((await stat(path)).size);
    const want = BigInt(headerBytes) + records64 * BigInt(RECORD_BYTES);
    if (size !== want) {
      throw bad(`a file of ${want} bytes for ${records64} records (truncated or unfinished write?)`, `${size} bytes`);
    }
    return {
      version,
      headerBytes,
      records: Number(records64),
      symbol: symLen ? strings.toString("utf8", 0, symLen) : undefined,
      description: strings.toString("utf8", symLen),
    };
  } finally {
    await fh.close();
  }
}

export class TicksSource implements TickSource {
  constructor(
    readonly path: string,
    readonly header: TicksHeader,
    private readonly descriptionOverride?: string,
  ) {}

  /** The description stored when the file was written, and where it was reloaded from. */
  get description(): string {
    return this.descriptionOverride ?? `${this.header.description} [reloaded from ${this.path}]`;
  }

  /**
   * Reads records straight into the batch's memory. The only per-record work
   * is the readers' shared record check (record-check.ts): a market kind,
   * sane quantities, time not going backwards. A file cannot forge fills.
   */
  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    requireLittleEndian();
    const batch = new RecordBatch(batchSizeOf(batchSize));
    const bytes = new Uint8Array(batch.words.buffer, batch.words.byteOffset, batch.words.byteLength);
    const check = new RecordCheck(this.path, "record");
    const fh = await open(this.path, "r");
    try {
      let pos = this.header.headerBytes;
      let done = 0;
      while (done < this.header.records) {
        const n = Math.min(batch.capacity, this.header.records - done);
        const want = n * RECORD_BYTES;
        let got = 0;
        while (got < want) {
          const { bytesRead } = await fh.read(bytes, got, want - got, pos + got);
          if (bytesRead === 0) {
            throw new DataError({ file: this.path, line: done + Math.floor(got / RECORD_BYTES) + 1, unit: "record", expected: "a complete record", got: "end of file" });
          }
          got += bytesRead;
        }
        pos += want;
        batch.length = n;
        for (let i = 0; i < n; i++) check.check(batch, i, done + i + 1);
        done += n;
        yield batch;
        batch.clear();
      }
    } finally {
      await fh.close();
    }
  }
}

export async function openTicks(path: string, options: { description?: string } = {}): Promise<TicksSource> {
  return new TicksSource(path, await readTicksHeader(path), options.description);
}
