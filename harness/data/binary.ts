/**
 * The `.ticks` file: the project's own binary tick format. Convert a CSV or
 * JSON once (`writeTicks`, `algo data import`), replay it many times: no text
 * to parse, a header that says what the data is (symbol, venue, time range,
 * records per kind, the instrument's rules) and chunks a replay can skip.
 *
 * Version 2 (written): a header (ticks-header.ts), then chunks of up to 64 Ki
 * records each compressed on its own (ticks-chunk.ts), then a chunk index.
 * Version 1 (still read): a header, then raw 48-byte records.
 * Byte layouts: data/README.md.
 */
import { open, type FileHandle } from "node:fs/promises";
import { endianness } from "node:os";
import { writeAtomically } from "./atomic-write.ts";
import { DataError } from "./errors.ts";
import { RecordBatch } from "./record.ts";
import { RECORD_BYTES, RECORD_WORDS } from "../abi.ts";
import { halves, kindAt, recordRange, recordStart, tsOf, wordStart } from "../record-view.ts";
import type { TickSource } from "./source.ts";
import { batchSizeOf } from "./batching.ts";
import { RecordCheck } from "./record-check.ts";
import type { TimeRange } from "./time-range.ts";
import type { InstrumentSpec } from "../venue/instrument.ts";
import { crc32 } from "./crc32.ts";
import { ChunkDecodeError, ChunkDecoder, encodeChunk } from "./ticks-chunk.ts";
import {
  CHUNK_RECORDS,
  encodeHeaderV2,
  encodeIndexEntry,
  kindSlot,
  patchTotals,
  readTicksHeader,
  type TicksChunk,
  type TicksHeader,
} from "./ticks-header.ts";

export { readTicksHeader, TICKS_MAGIC, TICKS_VERSION, type TicksHeader, type TicksChunk } from "./ticks-header.ts";

export interface WriteTicksOptions {
  readonly symbol?: string;
  /** Where the data was traded, e.g. "binance"; stored in the header. */
  readonly venue?: string;
  /** Stored in the header; defaults to the source's description. */
  readonly description?: string;
  /** The exchange's rules for the symbol; `algo backtest` applies them when no --instrument is given. */
  readonly instrument?: InstrumentSpec;
  /** Called after each chunk is written, with the records written so far. */
  readonly onProgress?: (recordsWritten: number) => void;
  readonly batchSize?: number;
}

function requireLittleEndian(): void {
  // Records are raw BigInt64Array bytes, which are host-endian.
  if (endianness() !== "LE") throw new Error(".ticks files are little-endian; this host is big-endian");
}

/**
 * Writes every record of `source` to `path` as a version 2 .ticks file,
 * atomically (atomic-write.ts): a failed or interrupted conversion leaves no
 * half file. Memory: one chunk of records and its compressed form.
 */
export async function writeTicks(path: string, source: TickSource, options: WriteTicksOptions = {}): Promise<TicksHeader> {
  requireLittleEndian();
  const description = options.description ?? source.description;
  return writeAtomically(path, async (tmp) => {
    const fh = await open(tmp, "w");
    try {
      const head = encodeHeaderV2({ symbol: options.symbol, venue: options.venue, description, instrument: options.instrument });
      await fh.write(head, 0, head.length, 0);
      const rows = new BigInt64Array(CHUNK_RECORDS * RECORD_WORDS);
      const rowHeads = halves(rows);
      const scratch = new BigInt64Array(CHUNK_RECORDS * RECORD_WORDS);
      const kindCounts = new Array<number>(8).fill(0);
      const chunks: Omit<TicksChunk, "firstRecord">[] = [];
      let pos = head.length;
      let records = 0;
      let n = 0;
      const flush = async () => {
        if (n === 0) return;
        for (let i = 0; i < n; i++) kindCounts[kindSlot(kindAt(rowHeads, recordStart(i)))]++;
        const z = encodeChunk(rows, n, scratch);
        await fh.write(z, 0, z.length, pos);
        chunks.push({ offset: pos, bytes: z.length, records: n, firstTsNs: rows[0], lastTsNs: tsOf(rows, n - 1), crc32: crc32(z) });
        pos += z.length;
        records += n;
        n = 0;
        options.onProgress?.(records);
      };
      for await (const batch of source.batches(options.batchSize)) {
        // Copied before asking for the next batch: the source may reuse it.
        let i = 0;
        while (i < batch.length) {
          const take = Math.min(batch.length - i, CHUNK_RECORDS - n);
          rows.set(recordRange(batch.words, i, i + take), wordStart(n));
          n += take;
          i += take;
          if (n === CHUNK_RECORDS) await flush();
        }
      }
      await flush();
      const index = Buffer.concat(chunks.map(encodeIndexEntry));
      await fh.write(index, 0, index.length, pos);
      patchTotals(head, {
        records,
        firstTsNs: chunks[0]?.firstTsNs ?? 0n,
        lastTsNs: chunks[chunks.length - 1]?.lastTsNs ?? 0n,
        kindCounts,
        indexOffset: pos,
        chunks: chunks.length,
      });
      await fh.write(head, 0, head.length, 0);
    } finally {
      await fh.close();
    }
    return readTicksHeader(tmp);
  });
}

export class TicksSource implements TickSource {
  constructor(
    readonly path: string,
    readonly header: TicksHeader,
    private readonly descriptionOverride?: string,
    /** Chunks wholly outside this range are not read (version 2). */
    private readonly range: TimeRange = {},
  ) {}

  /** The description stored when the file was written, and where it was reloaded from. */
  get description(): string {
    return this.descriptionOverride ?? `${this.header.description} [reloaded from ${this.path}]`;
  }

  /** The exchange's rules stored in the header, if any. */
  get instrument(): InstrumentSpec | undefined {
    return this.header.instrument;
  }

  /** The same file, skipping chunks outside `range` (withinTimeRange still trims the records at the edges). */
  limitedTo(range: TimeRange): TicksSource {
    return new TicksSource(this.path, this.header, this.descriptionOverride, range);
  }

  /**
   * Reads records into the batch's memory. The only per-record work besides
   * decoding is the readers' shared record check (record-check.ts): a market
   * kind, sane quantities, time not going backwards. A file cannot forge fills.
   */
  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    requireLittleEndian();
    const batch = new RecordBatch(batchSizeOf(batchSize));
    const check = new RecordCheck(this.path, "record");
    const fh = await open(this.path, "r");
    try {
      if (this.header.chunks) yield* this.chunked(fh, batch, check, this.header.chunks);
      else yield* this.raw(fh, batch, check);
    } finally {
      await fh.close();
    }
  }

  /** Version 2: chunk by chunk, each checked against its index entry. */
  private async *chunked(fh: FileHandle, batch: RecordBatch, check: RecordCheck, chunks: readonly TicksChunk[]): AsyncGenerator<RecordBatch> {
    const { fromNs, untilNs } = this.range;
    const decoder = new ChunkDecoder(this.header.chunkRecords ?? 1);
    let compressed = new Uint8Array(0);
    for (let k = 0; k < chunks.length; k++) {
      const chunk = chunks[k];
      if (fromNs !== undefined && chunk.lastTsNs < fromNs) continue;
      if (untilNs !== undefined && chunk.firstTsNs >= untilNs) return;
      const corrupt = (expected: string, found?: string) =>
        new DataError({ file: this.path, line: chunk.firstRecord + 1, unit: "record", field: `chunk ${k + 1}`, expected, found });
      if (compressed.length < chunk.bytes) compressed = new Uint8Array(chunk.bytes);
      const bytes = compressed.subarray(0, chunk.bytes);
      await readFully(fh, bytes, chunk.offset, () => corrupt(`${chunk.bytes} bytes`, "end of file"));
      if (crc32(bytes) !== chunk.crc32) throw corrupt("bytes matching the chunk's CRC-32 (the file is corrupt)");
      let decoded: { firstTsNs: bigint; lastTsNs: bigint };
      try {
        decoded = decoder.decode(bytes, chunk.records);
      } catch (e) {
        if (e instanceof ChunkDecodeError) throw corrupt(e.message);
        throw e;
      }
      if (decoded.firstTsNs !== chunk.firstTsNs || decoded.lastTsNs !== chunk.lastTsNs) {
        throw corrupt(`records from ${chunk.firstTsNs} to ${chunk.lastTsNs} ns as the chunk index says`, `${decoded.firstTsNs} to ${decoded.lastTsNs} ns`);
      }
      let done = 0;
      while (done < chunk.records) {
        const n = Math.min(batch.capacity, chunk.records - done);
        decoder.copyInto(batch, done, n);
        const at = chunk.firstRecord + done + 1;
        for (let i = 0; i < n; i++) check.check(batch, i, at + i);
        done += n;
        yield batch;
        batch.clear();
      }
    }
  }

  /** Version 1: raw records after the header. */
  private async *raw(fh: FileHandle, batch: RecordBatch, check: RecordCheck): AsyncGenerator<RecordBatch> {
    const bytes = new Uint8Array(batch.words.buffer, batch.words.byteOffset, batch.words.byteLength);
    let pos = this.header.headerBytes;
    let done = 0;
    while (done < this.header.records) {
      const n = Math.min(batch.capacity, this.header.records - done);
      await readFully(fh, bytes.subarray(0, n * RECORD_BYTES), pos, (got) =>
        new DataError({ file: this.path, line: done + Math.floor(got / RECORD_BYTES) + 1, unit: "record", expected: "a complete record", got: "end of file" }),
      );
      pos += n * RECORD_BYTES;
      batch.length = n;
      for (let i = 0; i < n; i++) check.check(batch, i, done + i + 1);
      done += n;
      yield batch;
      batch.clear();
    }
  }
}

/** Fills `into` from `pos`; `short(bytesGot)` is the error when the file ends first. */
async function readFully(fh: FileHandle, into: Uint8Array, pos: number, short: (got: number) => Error): Promise<void> {
  let got = 0;
  while (got < into.length) {
    const { bytesRead } = await fh.read(into, got, into.length - got, pos + got);
    if (bytesRead === 0) throw short(got);
    got += bytesRead;
  }
}

export async function openTicks(path: string, options: { description?: string } = {}): Promise<TicksSource> {
  return new TicksSource(path, await readTicksHeader(path), options.description);
}
