/**
 * Host events (fills, order updates, timers) waiting to be delivered to the
 * module, in order: a FIFO of records in one reusable BigInt64Array, so the
 * engine allocates nothing per event and copies them into the module's
 * event buffer with one `set`.
 */
import { RECORD_WORDS } from "./abi.ts";
import { copyRecord, Half, recordRange, recordStart, tsOf, Word, wordStart, writeRecord } from "./record-view.ts";
import { copy, fromNumber } from "./venue/i64.ts";

export class EventQueue {
  private words = new BigInt64Array(256 * RECORD_WORDS);
  /** `words` as 32-bit halves (i64.ts layout), for values the venue keeps as halves. */
  private halves = new Int32Array(this.words.buffer);
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

  /**
   * A record whose `a` is a whole number below 2^53 (an order id) and whose
   * b and c are i64 halves (b[bi], c[ci]; d is 0): copied as they are, so the
   * venue's order updates make no BigInt.
   */
  pushHalves(ts: bigint, header: bigint, a: number, b: Int32Array, bi: number, c: Int32Array, ci: number): void {
    if ((this.tail + 1) * RECORD_WORDS > this.words.length) this.makeRoom();
    const k = this.tail++;
    writeRecord(this.words, k, ts, header, 0n, 0n, 0n, 0n);
    const h = this.halves;
    const r = recordStart(k);
    fromNumber(h, r + Half.OrderId, a);
    copy(h, r + Half.OrderPx, b, bi);
    copy(h, r + Half.OrderQty, c, ci);
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
    this.halves = new Int32Array(words.buffer);
  }
}
