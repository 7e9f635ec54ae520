/**
 * Runs `algo backtest`'s engine in a worker thread (backtest-worker.ts) under
 * a per-callback time budget: the module runs on the worker, and this thread
 * checks the shared CallbackWatch every WATCH_MS. A call into the module that
 * outruns the budget has the worker terminated and the run fails with the
 * callback's name (exit 1) — an endless loop cannot be interrupted otherwise.
 *
 * A batched call delivers many records; if one outruns the budget, the same
 * deterministic replay is run again one callback per call (exact latency), so
 * the error names the callback that hung, and a batch that was merely long
 * (each callback within budget) completes.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { CallbackWatch, type WatchedCall } from "../../harness/callback-watch.ts";
import { isoNs } from "../../harness/data/time.ts";
import { ParamError } from "../../harness/params.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import type { SeriesPoint } from "../../harness/report/run-series.ts";
import type { TimeRange } from "../../harness/data/time-range.ts";
import { TOOLKIT_ROOT } from "../paths.ts";
import type { EngineFlags } from "./backtest-settings.ts";
import { BacktestFailure } from "./errors.ts";

/** How often the watchdog looks; an overrun is caught within budget + WATCH_MS. */
const WATCH_MS = 25;
/** The default per-callback budget: generous for a shared CI machine, instant for an endless loop. */
export const DEFAULT_CALLBACK_BUDGET_MS = 1000;

export interface BacktestWorkerInit {
  module: WebAssembly.Module;
  /** The --data spec, resolved again in the worker (sources do not cross threads). */
  data: string;
  /** `--from`/`--to`. */
  range?: TimeRange;
  params: Record<string, string>;
  /** The engine's flags (backtest-settings.ts): plain strings, built into models in the worker. */
  flags: EngineFlags;
  /** Where the worker writes the round trips (`--trades`). */
  tradesFile?: string;
  /** The results folder's copy of the round trips (src/results/). */
  roundTripsFile?: string;
  /** Gather the equity and position series (harness/report/run-series.ts) for the results folder. */
  series?: boolean;
  progress: boolean;
  watch: SharedArrayBuffer;
}

export type FromBacktestWorker =
  | { t: "progress"; ticks: number }
  | { t: "done"; report: BacktestReport; tradeRows?: number; points?: SeriesPoint[] }
  | { t: "error"; name: string; message: string; stack?: string };

export interface WatchedRunOptions {
  budgetMs: number;
  onProgress?: (ticks: number) => void;
}

export interface WatchedRun {
  report: BacktestReport;
  /** Round trips written to the --trades file. */
  tradeRows?: number;
  /** The equity and position series, when asked for. */
  points?: SeriesPoint[];
}

export async function runBacktestWatched(init: Omit<BacktestWorkerInit, "watch" | "progress">, options: WatchedRunOptions): Promise<WatchedRun> {
  const first = await runOnce({ ...init, progress: options.onProgress !== undefined, watch: new SharedArrayBuffer(24) }, options);
  if (first.t === "done") return first;
  // A batch outran the budget: replay one callback per call to learn whether one callback did.
  const exact = await runOnce({ ...init, flags: { ...init.flags, exactLatency: true }, progress: options.onProgress !== undefined, watch: new SharedArrayBuffer(24) }, options);
  if (exact.t === "done") return exact;
  throw new Error("a one-callback call reported a batch overrun"); // cannot happen: exact runs deliver one record per call
}

/** The report, or a batched call over budget; errors (traps, bad data, a callback over budget) reject. */
type Outcome = ({ t: "done" } & WatchedRun) | { t: "batch-overrun" };

function runOnce(init: BacktestWorkerInit, options: WatchedRunOptions): Promise<Outcome> {
  const watch = new CallbackWatch(init.watch);
  return new Promise((resolve, reject) => {
    const worker = new Worker(findBacktestWorker(), { workerData: init });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      fn();
    };
    const timer = setInterval(() => {
      const call = watch.current();
      if (!call) return;
      const ran = performance.timeOrigin + performance.now() - call.sinceMs;
      if (ran <= options.budgetMs) return;
      void worker.terminate();
      if (call.records > 1 && !init.flags.exactLatency) return settle(() => resolve({ t: "batch-overrun" }));
      settle(() => reject(new BacktestFailure(overBudget(call, options.budgetMs))));
    }, WATCH_MS);
    worker.on("message", (m: FromBacktestWorker) => {
      if (m.t === "progress") options.onProgress?.(m.ticks);
      else if (m.t === "done") settle(() => resolve({ t: "done", report: m.report, tradeRows: m.tradeRows, points: m.points }));
      else settle(() => reject(rebuild(m)));
    });
    worker.on("error", (e) => settle(() => reject(e)));
    worker.on("exit", (code) => settle(() => reject(new Error(`the backtest engine stopped unexpectedly (exit code ${code})`))));
  });
}

/** What a callback that outran its budget is told: which one, at which event. */
export function overBudget(call: WatchedCall, budgetMs: number): string {
  const when = call.ts > 0n ? ` (the event at ${isoNs(call.ts)})` : "";
  return `${call.callback}${when} ran for over ${budgetMs} ms, the per-callback budget: an endless loop or a very slow callback; the run was stopped (--callback-budget-ms sets the budget)`;
}

/** The worker's error as the CLI's own classes, so exit codes and messages stay as they were on one thread. */
function rebuild(m: { name: string; message: string; stack?: string }): Error {
  let e: Error;
  if (m.name === "ParamError") e = new ParamError(m.message);
  else if (m.name === "DataError" || m.name === "AlgoTrap" || m.name === "AlgoLoop" || m.name === "ModuleError") e = new BacktestFailure(m.message);
  else {
    e = new Error(m.message);
    e.name = m.name;
  }
  if (m.stack) e.stack = m.stack;
  return e;
}

/** The bundled worker: next to this module in dist/, else the toolkit's dist/. */
function findBacktestWorker(): URL {
  const here = new URL("./backtest-worker.mjs", import.meta.url);
  if (here.protocol === "file:" && existsSync(here)) return here;
  const built = path.join(TOOLKIT_ROOT, "dist", "backtest-worker.mjs");
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`the backtest engine is not built (${built} is missing): run \`npm run build\` in ${TOOLKIT_ROOT}`);
}
