/**
 * The harness's TickSource over an edge's TickRing: what a hosted engine
 * replays. It starts at the ring's head (the live edge, from now on), yields
 * whatever the market has published since the last batch, and waits when
 * there is nothing new, so the harness's unchanged replay loop runs live.
 *
 * It also tells the watchdog when the engine is busy: from handing out a
 * batch until the engine asks for the next one (and from the end of the
 * stream through on_stop), the `onBusy` hook is called; while it waits for
 * ticks, `onIdle`.
 */
import { RecordBatch } from "../../harness/data/record.ts";
import type { TickSource } from "../../harness/data/source.ts";
import type { TickRing } from "./ring.ts";

export interface RingSourceHooks {
  signal: AbortSignal;
  /** Largest batch handed to the engine (bounds the time one watched batch may take). */
  maxBatch: number;
  onStart(): void;
  onBusy(): void;
  onIdle(): void;
}

/** Hand control back to the event loop (messages, timers) at least this often, in ms. */
const YIELD_MS = 20;
const WAIT_MS = 100;

export class RingSource implements TickSource {
  /** Records lost because this engine fell more than the ring behind. */
  skipped = 0;

  constructor(
    private readonly ring: TickRing,
    readonly description: string,
    private readonly hooks: RingSourceHooks,
  ) {}

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const h = this.hooks;
    const batch = new RecordBatch(Math.max(1, Math.min(batchSize ?? h.maxBatch, h.maxBatch)));
    let cursor = this.ring.head();
    let lastBreak = performance.now();
    h.onStart();
    try {
      while (!h.signal.aborted) {
        const r = this.ring.read(cursor, batch.capacity, batch);
        cursor = r.cursor;
        this.skipped += r.skipped;
        if (r.count === 0) {
          h.onIdle();
          await this.ring.waitForMore(cursor, WAIT_MS, h.signal);
          lastBreak = performance.now();
          continue;
        }
        h.onBusy();
        yield batch;
        if (performance.now() - lastBreak > YIELD_MS) {
          // A lagging engine never waits for ticks: let stop messages and timers in.
          h.onIdle();
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastBreak = performance.now();
        }
      }
    } finally {
      h.onBusy(); // the engine's last settle and on_stop follow
    }
  }
}
