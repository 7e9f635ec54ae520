/**
 * Several tick files of one instrument as one stream in time order (a day
 * per file, or trades and quotes apart): a k-way merge over the inputs'
 * batches.
 *
 * - Stable: records with equal timestamps come in input order, then in each
 *   input's own order, so a run of records at one time (a bar's prints, an L2
 *   update) stays together and the output is the same for the same inputs.
 * - Checked: each input runs its own reader and RecordCheck, so a bad row is
 *   still named by its file and line.
 * - Constant memory: an input is opened only when the merge reaches its first
 *   timestamp (found by a first pass that reads one record and closes the
 *   file) and closed when it ends. A year of daily files, one after another,
 *   keeps one or two open, not 365; files that truly overlap in time are open
 *   together, one read chunk and one batch each.
 *
 * Runs are copied in blocks: while one input's records all come before every
 * other input's next record, they are copied with one `set`, or handed on as
 * the input's own batch when a whole batch qualifies.
 */
import { batchSizeOf } from "./batching.ts";
import { RecordBatch } from "./record.ts";
import { recordRange, tsOf, wordStart } from "../record-view.ts";
import type { TickSource } from "./source.ts";

/** Where the merge stands in one input. */
interface Cursor {
  readonly input: number;
  readonly firstTs: bigint;
  iterator?: AsyncIterator<RecordBatch>;
  batch?: RecordBatch;
  /** Next record of `batch` to take. */
  at: number;
}

const NO_LIMIT = { ts: (1n << 63n) - 1n, input: Number.MAX_SAFE_INTEGER };

export class MergedSource implements TickSource {
  /** Records taken from each input by the current (or last) pass, in input order. */
  readonly taken: number[];

  constructor(
    readonly inputs: readonly TickSource[],
    readonly description: string,
  ) {
    this.taken = inputs.map(() => 0);
  }

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const size = batchSizeOf(batchSize);
    this.taken.fill(0);
    // Inputs not opened yet, by first timestamp then input order; empty inputs are left out.
    const pending: Cursor[] = [];
    for (let i = 0; i < this.inputs.length; i++) {
      const firstTs = await firstTimestamp(this.inputs[i]);
      if (firstTs !== undefined) pending.push({ input: i, firstTs, at: 0 });
    }
    pending.sort((a, b) => (a.firstTs < b.firstTs ? -1 : a.firstTs > b.firstTs ? 1 : a.input - b.input));
    const active: Cursor[] = [];
    const out = new RecordBatch(size);
    try {
      for (;;) {
        if (active.length === 0) {
          const next = pending.shift();
          if (next === undefined) break;
          if (await this.advance(next, size)) active.push(next);
          continue;
        }
        const best = earliest(active);
        const ts = best.batch!.ts(best.at);
        // An input that starts at or before this record must be opened before it goes out.
        if (pending.length > 0 && pending[0].firstTs <= ts) {
          const due = pending.shift()!;
          if (await this.advance(due, size)) active.push(due);
          continue;
        }
        const limit = limitFor(best, active, pending);
        const batch = best.batch!;
        const end = runEnd(batch, best.at, best.input, limit);
        if (best.at === 0 && end === batch.length && out.length === 0) {
          // The whole batch goes out as it is: no copy.
          this.taken[best.input] += batch.length;
          best.at = end;
          yield batch;
        } else {
          const n = Math.min(end - best.at, out.capacity - out.length);
          out.words.set(recordRange(batch.words, best.at, best.at + n), wordStart(out.length));
          out.length += n;
          best.at += n;
          this.taken[best.input] += n;
          if (out.full) {
            yield out;
            out.clear();
          }
        }
        // Records were copied out (or the consumer is done with the batch): the input may reuse it now.
        if (best.at === batch.length && !(await this.advance(best, size))) active.splice(active.indexOf(best), 1);
      }
      if (out.length > 0) yield out;
    } finally {
      // Stopped early (an error, or the consumer stopped): close every open input.
      for (const c of active) await c.iterator?.return?.();
    }
  }

  /** Moves `c` to its next non-empty batch, opening the input at first; false at its end. */
  private async advance(c: Cursor, size: number): Promise<boolean> {
    c.iterator ??= this.inputs[c.input].batches(size)[Symbol.asyncIterator]();
    for (;;) {
      const next = await c.iterator.next();
      if (next.done) {
        c.batch = undefined;
        return false;
      }
      if (next.value.length > 0) {
        c.batch = next.value;
        c.at = 0;
        return true;
      }
    }
  }
}

/** The timestamp of a source's first record (undefined when it has none), reading as little as the reader allows. */
async function firstTimestamp(source: TickSource): Promise<bigint | undefined> {
  const it = source.batches(1)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) return undefined;
      if (next.value.length > 0) return next.value.ts(0);
    }
  } finally {
    await it.return?.();
  }
}

/** The cursor whose next record goes first: the smallest timestamp, then the first input. */
function earliest(active: readonly Cursor[]): Cursor {
  let best = active[0];
  let bestTs = best.batch!.ts(best.at);
  for (let k = 1; k < active.length; k++) {
    const c = active[k];
    const ts = c.batch!.ts(c.at);
    if (ts < bestTs || (ts === bestTs && c.input < best.input)) {
      best = c;
      bestTs = ts;
    }
  }
  return best;
}

/** The first (timestamp, input) of any other input: `best` may emit records that sort before it. */
function limitFor(best: Cursor, active: readonly Cursor[], pending: readonly Cursor[]): { ts: bigint; input: number } {
  let limit = NO_LIMIT;
  const consider = (ts: bigint, input: number) => {
    if (ts < limit.ts || (ts === limit.ts && input < limit.input)) limit = { ts, input };
  };
  for (const c of active) if (c !== best) consider(c.batch!.ts(c.at), c.input);
  if (pending.length > 0) consider(pending[0].firstTs, pending[0].input); // pending is sorted: its head is its least
  return limit;
}

/** End (exclusive) of the run of `batch` from `at` that sorts before `limit`. */
function runEnd(batch: RecordBatch, at: number, input: number, limit: { ts: bigint; input: number }): number {
  const w = batch.words;
  const tieGoesFirst = input < limit.input;
  const last = tsOf(w, batch.length - 1); // a batch is in time order: check its end first
  if (last < limit.ts || (last === limit.ts && tieGoesFirst)) return batch.length;
  let i = at;
  while (i < batch.length) {
    const ts = tsOf(w, i);
    if (ts > limit.ts || (ts === limit.ts && !tieGoesFirst)) break;
    i++;
  }
  return i;
}
