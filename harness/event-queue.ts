/**
 * Host events (fills, order updates, timers) waiting to be delivered to the
 * module, in order: a FIFO of records in one reusable BigInt64Array, so the
 * engine allocates nothing per event and copies them into the module's
 * event buffer with one `set`.
 */
import { RECORD_WORDS } from "./abi.ts";
import { copyRecord, recordRange, tsOf, Word, wordStart, writeRecord } from "./record-view.ts";

export class EventQueue {
  private words = new BigInt64Array(256 * RECORD_WORDS);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(ts: bigint, header: bigint, a: bigint, b: bigint, c: bigint, d: bigint): void {
    if ((this.tail + 1) * RECORD_WORDS > this.words.length) this.makeRoom();
    writeRecord(this.words, this.tail++, ts, header, a, b, c, d);
  }

  /** Appends a copy of record j of `words`, restamped at `ts`. */
  pushAt(ts: bigint, words: BigInt64Array, j: number): void {
    if ((this.tail + 1) * RECORD_WORDS > this.words.length) this.makeRoom();
    const k = this.tail++;
    copyRecord(this.words, k, words, j);
    this.words[wordStart(k) + Word.Ts] = ts;
  }

  /** Time of the k-th queued record. */
  ts(k: number): bigint {
    return tsOf(this.words, this.head + k);
  }

  /** Copies up to `max` records from the front to `target` at record index `at`; returns how many. */
  copyTo(target: BigInt64Array, at: number, max: number): number {
    const n = Math.min(max, this.length);
    target.set(recordRange(this.words, this.head, this.head + n), wordStart(at));
    return n;
  }

  /** Forgets the first n records (they were delivered). */
  drop(n: number): void {
    this.head += n;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  private makeRoom(): void {
    const live = recordRange(this.words, this.head, this.tail);
    const words = this.length * 2 * RECORD_WORDS > this.words.length ? new BigInt64Array(this.words.length * 2) : this.words;
    if (words === this.words) this.words.copyWithin(0, wordStart(this.head), wordStart(this.tail));
    else words.set(live);
    this.tail -= this.head;
    this.head = 0;
    this.words = words;
  }
}
