/**
 * One edge's replayed market, shared between threads: a ring of event records
 * (harness/abi.ts, 6 × i64 each) in a SharedArrayBuffer. The market
 * (main thread) is the only writer; every engine hosted on the edge (worker
 * threads) reads it at its own pace, so all deployments on an edge see the
 * same ticks at the same time and nothing is copied through messages.
 *
 * Layout: 64-byte header, then `capacity` records.
 *   header i64[0]  records published so far (head); record k sits in slot k % capacity
 *   header i32[2]  a counter bumped after each publish (readers wait on it)
 *
 * The writer publishes at least every PUBLISH_CHUNK records, so at any time
 * it may be rewriting the PUBLISH_CHUNK slots after the head. A reader
 * therefore trusts only the newest `capacity - PUBLISH_CHUNK` records; one
 * that falls further behind has lost the oldest ones, and `read` reports how
 * many it skipped.
 */
import { type RecordBatch } from "../../harness/data/record.ts";
import { RECORD_BYTES, RECORD_WORDS } from "../../harness/abi.ts";
import { copyRecord, recordRange, Word, wordOf, wordStart } from "../../harness/record-view.ts";

const HEADER_BYTES = 64;

/** `Atomics.waitAsync` (Node ≥ 16; typed only in lib es2024, which this project's tsconfig predates). */
type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
/** Most records written before they are published (see the module comment). */
export const PUBLISH_CHUNK = 1024;

export class TickRing {
  readonly capacity: number;
  readonly words: BigInt64Array;
  private readonly head64: BigInt64Array;
  private readonly seq: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.capacity = (buffer.byteLength - HEADER_BYTES) / RECORD_BYTES;
    if (!Number.isInteger(this.capacity) || this.capacity < 2 * PUBLISH_CHUNK) throw new RangeError("TickRing: buffer has the wrong size");
    this.head64 = new BigInt64Array(buffer, 0, 1);
    this.seq = new Int32Array(buffer, 8, 1);
    this.words = new BigInt64Array(buffer, HEADER_BYTES, this.capacity * RECORD_WORDS);
  }

  static create(capacity: number): TickRing {
    return new TickRing(new SharedArrayBuffer(HEADER_BYTES + capacity * RECORD_BYTES));
  }

  /** Records published so far. */
  head(): number {
    return Number(Atomics.load(this.head64, 0));
  }

  // ---- writer (one thread) ----

  private pending = 0;

  /** Writes record j of `src`, with `ts` in place of its time; visible after `publish`. */
  write(src: BigInt64Array, j: number, ts: bigint): void {
    const slot = (Number(this.head64[0]) + this.pending++) % this.capacity;
    copyRecord(this.words, slot, src, j);
    this.words[wordStart(slot) + Word.Ts] = ts;
    if (this.pending >= PUBLISH_CHUNK) this.publish();
  }

  /** Makes written records visible and wakes waiting readers. */
  publish(): void {
    if (this.pending === 0) return;
    Atomics.add(this.head64, 0, BigInt(this.pending));
    this.pending = 0;
    Atomics.add(this.seq, 0, 1);
    Atomics.notify(this.seq, 0);
  }

  /** Record `index` (must be within the last `capacity`), field `w`: for the writer's own history queries. */
  word(index: number, w: Word): bigint {
    return wordOf(this.words, index % this.capacity, w);
  }

  // ---- readers (any thread) ----

  /**
   * Copies up to `max` records from `cursor` into `batch` (cleared first).
   * Returns the new cursor and how many records were lost to overwriting.
   */
  read(cursor: number, max: number, batch: RecordBatch): { cursor: number; skipped: number; count: number } {
    batch.clear();
    const window = this.capacity - PUBLISH_CHUNK;
    let head = this.head();
    let skipped = 0;
    if (head - cursor > window) {
      skipped = head - window - cursor;
      cursor = head - window;
    }
    const n = Math.min(max, batch.capacity, head - cursor);
    if (n <= 0) return { cursor, skipped, count: 0 };
    const start = cursor % this.capacity;
    const first = Math.min(n, this.capacity - start);
    batch.words.set(recordRange(this.words, start, start + first), 0);
    if (first < n) batch.words.set(recordRange(this.words, 0, n - first), wordStart(first));
    // The writer may have lapped us while we copied: drop what it overwrote.
    head = this.head();
    const lost = head - window - cursor;
    if (lost > 0) {
      if (lost >= n) return { cursor: head - window, skipped: skipped + lost, count: 0 };
      batch.words.copyWithin(0, wordStart(lost), wordStart(n));
      batch.length = n - lost;
      return { cursor: cursor + n, skipped: skipped + lost, count: n - lost };
    }
    batch.length = n;
    return { cursor: cursor + n, skipped, count: n };
  }

  /** Resolves when something is published after `head` was read, or after `timeoutMs`, or when `signal` aborts. */
  async waitForMore(cursor: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const seen = Atomics.load(this.seq, 0);
    if (this.head() > cursor || signal?.aborted) return;
    const waited = waitAsync(this.seq, 0, seen, timeoutMs);
    if (!waited.async) return;
    if (!signal) {
      await waited.value;
      return;
    }
    let onAbort: (() => void) | undefined;
    await Promise.race([
      waited.value,
      new Promise<void>((resolve) => {
        onAbort = resolve;
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
