/**
 * A fixed set of worker threads, each running one job at a time; jobs wait
 * in order for a free thread. A thread that dies fails its job and is
 * replaced. Each thread publishes the call into the algo it is in (a
 * CallbackWatch in shared memory, given as `workerData.watch`); a job run
 * with a budget whose callback outruns it has its thread stopped and fails
 * with a CallbackOverrun (an endless loop cannot be interrupted otherwise).
 * Small on purpose: a sweep needs nothing more.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { CallbackWatch, type WatchedCall } from "../../harness/callback-watch.ts";
import { TOOLKIT_ROOT } from "../paths.ts";

/** How often the watchdog looks; an overrun is caught within budget + WATCH_MS. */
const WATCH_MS = 25;

/** A job's call into the algo ran longer than its budget; its thread was stopped. */
export class CallbackOverrun extends Error {
  constructor(
    readonly call: WatchedCall,
    readonly budgetMs: number,
  ) {
    super(`${call.callback} ran for over ${budgetMs} ms`);
    this.name = "CallbackOverrun";
  }
}

interface Busy {
  resolve(value: unknown): void;
  reject(error: Error): void;
  budgetMs?: number;
}

interface Slot {
  worker: Worker;
  watch: CallbackWatch;
  busy?: Busy;
  /** Being stopped: takes no job. */
  stopping?: boolean;
}

export class WorkerPool<In, Out> {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<{ input: In; busy: Busy }> = [];
  private closed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly url: URL,
    readonly size: number,
    private readonly workerData: Record<string, unknown>,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
    this.timer = setInterval(() => this.watchdog(), WATCH_MS);
    this.timer.unref();
  }

  /** Runs `input` on the next free thread; with `budgetMs`, no call into the algo may run longer. */
  run(input: In, budgetMs?: number): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, busy: { resolve: resolve as (v: unknown) => void, reject, budgetMs } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const w of this.waiting.splice(0)) w.busy.reject(new Error("the pool was closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const buffer = new SharedArrayBuffer(24);
    const slot: Slot = { worker: new Worker(this.url, { workerData: { ...this.workerData, watch: buffer } }), watch: new CallbackWatch(buffer) };
    slot.worker.on("message", (out: Out) => this.settle(slot, (b) => b.resolve(out)));
    slot.worker.on("error", (error) => this.settle(slot, (b) => b.reject(error)));
    slot.worker.on("exit", (code) => {
      if (this.closed) return;
      this.settle(slot, (b) => b.reject(new Error(`a sweep worker thread exited (code ${code})`)));
      this.slots[this.slots.indexOf(slot)] = this.spawn();
      this.dispatch();
    });
    return slot;
  }

  private watchdog(): void {
    const now = performance.timeOrigin + performance.now();
    for (const slot of this.slots) {
      const budget = slot.busy?.budgetMs;
      if (budget === undefined || slot.stopping) continue;
      const call = slot.watch.current();
      if (!call || now - call.sinceMs <= budget) continue;
      slot.stopping = true; // replaced when it has exited
      this.settle(slot, (b) => b.reject(new CallbackOverrun(call, budget)));
      void slot.worker.terminate();
    }
  }

  private settle(slot: Slot, how: (busy: Busy) => void): void {
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) how(busy);
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.busy || slot.stopping || this.waiting.length === 0) continue;
      const job = this.waiting.shift()!;
      slot.busy = job.busy;
      slot.worker.postMessage(job.input);
    }
  }
}

/** The bundled sweep worker: next to this module in dist/, else the toolkit's dist/ (tests run the sources). */
export function sweepWorkerUrl(): URL {
  const here = new URL("./sweep-worker.mjs", import.meta.url);
  if (here.protocol === "file:" && existsSync(here)) return here;
  const built = path.join(TOOLKIT_ROOT, "dist", "sweep-worker.mjs");
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`the sweep worker is not built (${built} is missing): run \`npm run build\` in ${TOOLKIT_ROOT}`);
}
