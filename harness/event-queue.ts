/**
 * Host events (fills, order updates, timers) waiting to be delivered to the
 * module, in order: a FIFO of records in one reusable BigInt64Array, so the
 * engine allocates nothing per event and copies them into the module's
 * event buffer with one `set`.
 */
import { RECORD_WORDS } from "./data/record.ts";
import { fromNumber } from "./venue/i64.ts";

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
    const o = this.tail++ * RECORD_WORDS;
    const w = this.words;
    w[o] = ts;
    w[o + 1] = header;
    w[o + 2] = a;
    w[o + 3] = b;
    w[o + 4] = c;
    w[o + 5] = d;
  }

  /**
   * A record whose `a` is a whole number below 2^53 (an order id) and whose
   * b and c are i64 halves (b[bi], c[ci]; d is 0): copied as they are, so the
   * venue's order updates make no BigInt.
   */
  pushHalves(ts: bigint, header: bigint, a: number, b: Int32Array, bi: number, c: Int32Array, ci: number): void {
    if ((this.tail + 1) * RECORD_WORDS > this.words.length) this.makeRoom();
    const o = this.tail++ * RECORD_WORDS;
    this.words[o] = ts;
    this.words[o + 1] = header;
    const h = this.halves;
    const x = (o + 2) * 2;
    fromNumber(h, x, a);
    h[x + 2] = b[bi];
    h[x + 3] = b[bi + 1];
    h[x + 4] = c[ci];
    h[x + 5] = c[ci + 1];
    h[x + 6] = 0;
    h[x + 7] = 0;
  }

  /** Time of the k-th queued record. */
  ts(k: number): bigint {
    return this.words[(this.head + k) * RECORD_WORDS];
  }

  /** Copies up to `max` records from the front to `target` at record index `at`; returns how many. */
  copyTo(target: BigInt64Array, at: number, max: number): number {
    const n = Math.min(max, this.length);
    target.set(this.words.subarray(this.head * RECORD_WORDS, (this.head + n) * RECORD_WORDS), at * RECORD_WORDS);
    return n;
  }

  /** Forgets the first n records (they were delivered). */
  drop(n: number): void {
    this.head += n;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  private makeRoom(): void {
    const live = this.words.subarray(this.head * RECORD_WORDS, this.tail * RECORD_WORDS);
    const words = this.length * 2 * RECORD_WORDS > this.words.length ? new BigInt64Array(this.words.length * 2) : this.words;
    if (words === this.words) this.words.copyWithin(0, this.head * RECORD_WORDS, this.tail * RECORD_WORDS);
    else words.set(live);
    this.tail -= this.head;
    this.head = 0;
    this.words = words;
    this.halves = new Int32Array(words.buffer);
  }
}
