/**
 * A fixed set of worker threads, each running one job at a time; jobs wait
 * in order for a free thread. A thread that dies fails its job and is
 * replaced. Small on purpose: a sweep needs nothing more.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { TOOLKIT_ROOT } from "../paths.ts";

interface Slot {
  worker: Worker;
  busy?: { resolve(value: unknown): void; reject(error: Error): void };
}

export class WorkerPool<In, Out> {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<{ input: In; resolve(value: Out): void; reject(error: Error): void }> = [];
  private closed = false;

  constructor(
    private readonly url: URL,
    readonly size: number,
    private readonly workerData: unknown,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error("the pool was closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.url, { workerData: this.workerData }) };
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

  private settle(slot: Slot, how: (busy: NonNullable<Slot["busy"]>) => void): void {
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) how(busy);
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.busy || this.waiting.length === 0) continue;
      const job = this.waiting.shift()!;
      slot.busy = { resolve: job.resolve as (v: unknown) => void, reject: job.reject };
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
