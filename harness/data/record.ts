/**
 * A batch of event records: the one binary shape every tick takes on its way
 * from a file to the algo. Readers produce records, the engine copies them
 * into the module's linear memory unchanged, and the runtime reads them in
 * place (runtime/exports.ts, `sequence_run`). The layout is part of the ABI:
 * its constants are in ../abi.ts, its reads and writes in ../record-view.ts.
 */
import { RECORD_BYTES, RECORD_WORDS } from "../abi.ts";
import { copyRecord, kindOf, tsOf, writeRecord } from "../record-view.ts";

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
    writeRecord(this.words, this.length++, ts, head, a, b, c, d);
  }

  ts(i: number): bigint {
    return tsOf(this.words, i);
  }

  /** Appends a copy of record j of `words`; the caller checks `full` first. */
  pushCopy(words: BigInt64Array, j: number): void {
    copyRecord(this.words, this.length++, words, j);
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
  while (j < batch.length && kindOf(w, j) <= newest) j++;
  if (j === batch.length) return batch;
  into.clear();
  for (let i = 0; i < batch.length; i++) {
    if (kindOf(w, i) > newest) continue;
    into.pushCopy(w, i);
  }
  return into;
}
