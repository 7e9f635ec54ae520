/**
 * What a stream held, counted as it passes by: records, records per kind,
 * first and last timestamp. Wraps a source, so a conversion learns its
 * summary in the same pass that writes the file. Streams are in time order
 * (every reader's RecordCheck), so first and last are the range.
 */
import { type RecordBatch } from "./record.ts";
import { KIND_NAMES, RECORD_BYTES } from "../abi.ts";
import { Word } from "../record-view.ts";
import type { TickSource } from "./source.ts";

/** Byte offset of the kind in a record: the low byte of the header word (little-endian). */
const KIND_BYTE = Word.Header * 8;

export class TallySource implements TickSource {
  records = 0;
  first: bigint | undefined;
  last: bigint | undefined;
  private readonly perKind = new Float64Array(256);

  constructor(readonly inner: TickSource) {}

  get description(): string {
    return this.inner.description;
  }

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    this.records = 0;
    this.first = this.last = undefined;
    this.perKind.fill(0);
    for await (const batch of this.inner.batches(batchSize)) {
      const n = batch.length;
      if (n > 0) {
        this.first ??= batch.ts(0);
        this.last = batch.ts(n - 1);
        this.records += n;
        const bytes = new Uint8Array(batch.words.buffer, batch.words.byteOffset, n * RECORD_BYTES);
        for (let o = KIND_BYTE; o < bytes.length; o += RECORD_BYTES) this.perKind[bytes[o]]++;
      }
      yield batch;
    }
  }

  /** Records per kind name, in kind order, kinds that occurred only: `{ QUOTE: 10, TRADE: 4 }`. */
  kinds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let k = 0; k < 256; k++) if (this.perKind[k] > 0) out[KIND_NAMES[k] ?? `kind ${k}`] = this.perKind[k];
    return out;
  }
}
