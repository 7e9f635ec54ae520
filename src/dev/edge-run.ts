/**
 * One deployment on one edge: its status, its counters (carried + live, see
 * totals.ts), what its last run left resting, and — while it runs — the
 * worker thread that hosts its engine (edge-worker.ts).
 *
 * A run ends in one of three ways:
 * - stopped: the worker was asked to stop; the engine's on_stop ran; orders
 *   still resting are kept as the run left them ("left resting", below);
 * - faulted: the module trapped, the engine failed, the worker died, or the
 *   watchdog terminated it because a batch of callbacks outran the budget;
 * - shutdown: the emulator is closing; on_stop runs, but the status stays
 *   "running" in the state file so the next start resumes it.
 *
 * Left resting: the emulator's venue lives inside the engine, so after a stop
 * the orders it still held are frozen — reported (metrics `resting_orders`),
 * persisted, not matched any more, and not cancelled. The next start runs a
 * fresh engine that cannot see them: they are cancelled then, as they are on
 * undeploy, each time with a log line saying so.
 */
import { Worker } from "node:worker_threads";
import type { EdgeSpec } from "./edges.ts";
import type { EdgeFeed } from "./feed.ts";
import type { VenueSettings } from "../../harness/venue/settings.ts";
import type { EdgeWorkerInit, FromWorker, RestingOrder, RunSnapshot, WorkerFill, WorkerLog } from "./protocol.ts";
import type { EdgeRow, EdgeStatus } from "./store.ts";
import { figures, fold, zeroTotals, type EdgeFigures, type Totals } from "./totals.ts";

export interface EdgeRunEnv {
  workerUrl: URL;
  /** The venue's settings for this edge's engines (edges.ts edgeVenueSettings). */
  settings: VenueSettings;
  budgetMs: number;
  eventsPerSecond: number;
  listener: EdgeRunListener;
}

export interface EdgeRunListener {
  onEvents(run: EdgeRun, logs: WorkerLog[], fills: WorkerFill[], droppedLogs: number, droppedFills: number): void;
  /** A run began or ended; `note` says what happened, for the log. */
  onStatus(run: EdgeRun, note: string, level: "info" | "warn" | "error"): void;
}

/** V8 heap limits per engine; a module's linear memory is capped by its declared maximum instead (upload.ts). */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, codeRangeSizeMb: 32, stackSizeMb: 4 };
/** How long a stop may take beyond the budget before the worker is terminated. */
const STOP_GRACE_MS = 1000;
/** A worker thread that has not instantiated the module by then is given up (machine overloaded?). */
const START_TIMEOUT_MS = 20_000;

export class EdgeRun {
  status: EdgeStatus;
  faultReason: string | null;
  base: Totals;
  live: RunSnapshot | undefined;
  resting: RestingOrder[];
  /** Counters changed since the last checkpoint. */
  dirty = false;
  /** Wall time (ms) the current run started. */
  startedAt: number | undefined;

  private worker: Worker | undefined;
  private busy: BigInt64Array | undefined;
  private ended: (() => void)[] = [];
  /** The engine reported that it instantiated the module and waits for ticks. */
  private started = false;
  private closing = false;

  constructor(
    readonly deploymentId: string,
    readonly spec: EdgeSpec,
    readonly feed: EdgeFeed,
    private readonly env: EdgeRunEnv,
    row?: EdgeRow,
  ) {
    this.status = row?.status ?? "deployed";
    this.faultReason = row?.faultReason ?? null;
    this.base = row?.totals ?? zeroTotals();
    this.resting = row?.resting ?? [];
  }

  get edgeId(): string {
    return this.spec.edgeId;
  }

  get active(): boolean {
    return this.worker !== undefined;
  }

  figures(): EdgeFigures {
    return figures(this.base, this.live, this.feed.mark);
  }

  /** What the state file keeps: the live run folded into the carried totals. */
  row(): EdgeRow {
    return {
      deploymentId: this.deploymentId,
      edgeId: this.edgeId,
      symbol: this.spec.symbol,
      venue: this.spec.venue,
      status: this.status,
      faultReason: this.faultReason,
      totals: fold(this.base, this.live),
      resting: this.resting,
    };
  }

  /** Starts a fresh engine for `module` on this edge (no-op while one runs). */
  start(module: WebAssembly.Module, params: Record<string, string>, why: string): void {
    if (this.worker) return;
    if (this.resting.length > 0) {
      const n = this.resting.length;
      this.resting = [];
      this.env.listener.onStatus(this, `${n} order(s) left resting by the previous run were cancelled: a new run cannot see them`, "warn");
    }
    // The worker marks itself busy from just before it instantiates the module; its own start-up is not the module's time.
    const busy = new SharedArrayBuffer(8);
    this.busy = new BigInt64Array(busy);
    const init: EdgeWorkerInit = {
      module,
      edgeId: this.edgeId,
      venue: this.spec.venue,
      symbol: this.spec.symbol,
      ring: this.feed.ring.buffer,
      busy,
      settings: this.env.settings,
      params,
      eventsPerSecond: this.env.eventsPerSecond,
    };
    let worker: Worker;
    try {
      worker = new Worker(this.env.workerUrl, { workerData: init, resourceLimits: RESOURCE_LIMITS });
    } catch (e) {
      this.busy = undefined;
      this.status = "faulted";
      this.faultReason = `the edge's engine could not be started: ${(e as Error).message}`;
      this.dirty = true;
      this.env.listener.onStatus(this, `faulted: ${this.faultReason}`, "error");
      return;
    }
    this.worker = worker;
    this.status = "running";
    this.faultReason = null;
    this.live = undefined;
    this.startedAt = Date.now();
    this.closing = false;
    this.started = false;
    worker.on("message", (m: FromWorker) => this.onMessage(worker, m));
    worker.on("error", (e) => this.end(worker, "faulted", `the edge's engine failed: ${e.message}`));
    worker.on("exit", (code) => this.end(worker, "faulted", `the edge's engine exited unexpectedly (code ${code})`));
    this.env.listener.onStatus(this, `started (${why})`, "info");
  }

  private onMessage(worker: Worker, m: FromWorker): void {
    if (worker !== this.worker) return;
    switch (m.t) {
      case "running":
        this.started = true;
        return;
      case "snapshot":
        this.live = m.s;
        this.dirty = true;
        return;
      case "events":
        this.env.listener.onEvents(this, m.logs, m.fills, m.droppedLogs, m.droppedFills);
        return;
      case "stopped":
        this.live = m.s;
        this.resting = m.resting;
        this.end(worker, "stopped", m.resting.length > 0 ? `stopped: on_stop ran; ${m.resting.length} order(s) left resting` : "stopped: on_stop ran");
        return;
      case "fault":
        this.live = m.s;
        this.end(worker, "faulted", m.reason);
        return;
    }
  }

  /** Ends the current run (once): folds its counters, frees the worker, tells the listener. */
  private end(worker: Worker, status: "stopped" | "faulted", reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.busy = undefined;
    void worker.terminate();
    this.base = fold(this.base, this.live);
    this.live = undefined;
    this.dirty = true;
    const closing = this.closing;
    if (status === "faulted") {
      this.status = "faulted";
      this.faultReason = reason;
      this.env.listener.onStatus(this, `faulted: ${reason}`, "error");
    } else if (!closing) {
      this.status = "stopped";
      this.env.listener.onStatus(this, reason, "info");
    } else {
      this.env.listener.onStatus(this, `${reason} (emulator shutting down; resumes on restart)`, "info");
    }
    for (const f of this.ended.splice(0)) f();
  }

  /**
   * Asks the engine to stop (its on_stop runs) and resolves when the run has
   * ended; terminates it if it takes longer than the budget plus a grace period.
   * With `shutdown`, the status stays "running" for the next start.
   */
  stop(shutdown = false): Promise<void> {
    const worker = this.worker;
    if (!worker) {
      if (!shutdown && (this.status === "running" || this.status === "deployed")) {
        this.status = "stopped";
        this.dirty = true;
        this.env.listener.onStatus(this, "stopped", "info");
      }
      return Promise.resolve();
    }
    this.closing = shutdown;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => this.end(worker, "faulted", `did not stop within ${this.env.budgetMs + STOP_GRACE_MS} ms (on_stop never returned?); the edge's engine was terminated`),
        this.env.budgetMs + STOP_GRACE_MS,
      );
      this.ended.push(() => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ t: "stop" });
    });
  }

  /** Watchdog: terminates the engine if its current batch of callbacks has run longer than the budget. */
  checkBudget(nowMs: number): void {
    const worker = this.worker;
    if (!worker || !this.busy) return;
    if (!this.started && this.startedAt !== undefined && nowMs - this.startedAt > START_TIMEOUT_MS) {
      this.end(worker, "faulted", `the edge's engine did not start within ${START_TIMEOUT_MS / 1000} s`);
      return;
    }
    const since = Atomics.load(this.busy, 0);
    if (since === 0n) return;
    const ran = nowMs - Number(since);
    if (ran > this.env.budgetMs) {
      this.end(
        worker,
        "faulted",
        `exceeded the time budget: a batch of callbacks ran for over ${this.env.budgetMs} ms (an endless loop or a very slow callback); the edge's engine was terminated`,
      );
    }
  }

  /** Marks the edge undeployed; the caller stopped it first. Left-resting orders are cancelled. */
  undeploy(): number {
    const cancelled = this.resting.length;
    this.resting = [];
    this.status = "undeployed";
    this.dirty = true;
    return cancelled;
  }
}
