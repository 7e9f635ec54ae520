/**
 * One .ticks v2 chunk (encoding 1): up to CHUNK_RECORDS records transposed
 * into six columns of little-endian i64 (ts, header, w2..w5), the ts column
 * stored as differences from the record before (the first from 0), then
 * compressed with raw deflate (fflate). Measured on synthetic quotes and
 * trades (data/README.md): columns with ts deltas are 6% of the raw records
 * and inflate faster than raw rows, whose ts words deflate poorly.
 *
 * Decoding reuses one buffer per reader, so a replay's memory is one chunk
 * (3 MiB) plus one compressed chunk, whatever the file's size.
 */
import { deflateSync, inflateSync } from "fflate";
import { type RecordBatch } from "./record.ts";
import { RECORD_BYTES, RECORD_WORDS } from "../abi.ts";
import { RECORD_HALVES, recordStart } from "../record-view.ts";

const LEVEL = 6;

/**
 * Compresses `n` records of `rows` (row-major record words). `scratch` holds
 * at least `n` records and is overwritten.
 */
export function encodeChunk(rows: BigInt64Array, n: number, scratch: BigInt64Array): Uint8Array {
  let prev = 0n;
  for (let i = 0; i < n; i++) {
    const o = i * RECORD_WORDS;
    const ts = rows[o];
    scratch[i] = ts - prev;
    prev = ts;
    for (let c = 1; c < RECORD_WORDS; c++) scratch[c * n + i] = rows[o + c];
  }
  return deflateSync(new Uint8Array(scratch.buffer, scratch.byteOffset, n * RECORD_BYTES), { level: LEVEL });
}

/** Why a chunk could not be decoded (the caller names file, chunk and record). */
export class ChunkDecodeError extends Error {}

export class ChunkDecoder {
  private readonly raw: Uint8Array;
  private readonly cols: Uint32Array;
  private records = 0;
  private memory: ArrayBufferLike | undefined;
  private dst: Uint32Array = new Uint32Array(0);

  constructor(chunkRecords: number) {
    // 8 spare bytes: a chunk that inflates to more than it should is seen, not cut short.
    this.raw = new Uint8Array(chunkRecords * RECORD_BYTES + 8);
    this.cols = new Uint32Array(this.raw.buffer, 0, chunkRecords * RECORD_HALVES);
  }

  /** Inflates a chunk of `records` records and undoes the ts deltas; returns its first and last ts. */
  decode(compressed: Uint8Array, records: number): { firstTsNs: bigint; lastTsNs: bigint } {
    const want = records * RECORD_BYTES;
    let got: number;
    try {
      got = inflateSync(compressed, { out: this.raw.subarray(0, want + 8) }).length;
    } catch (e) {
      throw new ChunkDecodeError(`deflate data (${(e as Error).message})`);
    }
    if (got !== want) throw new ChunkDecodeError(`${want} bytes once inflated, got ${got}`);
    const c = this.cols;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < records; i++) {
      const sum = lo + c[2 * i];
      hi = (hi + c[2 * i + 1] + (sum > 0xffffffff ? 1 : 0)) >>> 0;
      lo = sum >>> 0;
      c[2 * i] = lo;
      c[2 * i + 1] = hi;
    }
    this.records = records;
    const ts = (i: number) => (BigInt(c[2 * i + 1] | 0) << 32n) | BigInt(c[2 * i]);
    return { firstTsNs: ts(0), lastTsNs: ts(records - 1) };
  }

  /** Copies records `[from, from + n)` of the decoded chunk to the end of `batch`. */
  copyInto(batch: RecordBatch, from: number, n: number): void {
    const w = batch.words;
    if (w.buffer !== this.memory) {
      this.memory = w.buffer;
      this.dst = new Uint32Array(w.buffer);
    }
    const d = this.dst;
    const c = this.cols;
    const stride = this.records * 2;
    let at = (w.byteOffset >> 2) + recordStart(batch.length);
    for (let i = from; i < from + n; i++) {
      let s = 2 * i;
      for (let k = 0; k < RECORD_WORDS; k++) {
        d[at++] = c[s];
        d[at++] = c[s + 1];
        s += stride;
      }
    }
    batch.length += n;
  }
}
