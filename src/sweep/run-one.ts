/**
 * One run of a sweep: the module (compiled once per thread) over the data
 * with one set of params and the sweep's settings, built into the engine's
 * options exactly as `algo backtest` builds them (cli/backtest-settings.ts),
 * and saved as `algo backtest` saves a run (src/results/): written into the
 * sweep's runs/ folder by the thread that ran it, or sent back as files (a
 * queue worker on another machine). The same code runs in a local worker
 * thread and in `algo worker` taking jobs from a queue.
 */
import path from "node:path";
import type { CallbackWatch } from "../../harness/callback-watch.ts";
import { runBacktest } from "../../harness/engine.ts";
import { Params, paramsOfModule } from "../../harness/params.ts";
import { RunSeries } from "../../harness/report/run-series.ts";
import { TRADES_CSV_HEADER, tradeCsvRow } from "../../harness/report/trades-csv.ts";
import { withinTimeRange } from "../../harness/data/time-range.ts";
import { resolveData } from "../cli/data-spec.ts";
import { engineSettings, rangeFromFlags, withDataInstrument } from "../cli/backtest-settings.ts";
import { RUN_FILES, runFiles } from "../results/run-folder.ts";
import { savedRunOf } from "../results/saved-run.ts";
import { runFolderName, writeRunFolder } from "./folder.ts";
import { readMetrics } from "./metrics.ts";
import { sharedSource, type SharedRecords } from "./shared-data.ts";
import type { RunSettings } from "./settings.ts";

export interface RunRequest {
  /** The run's position in the sweep's run list. */
  position: number;
  /** The swept params of this run (over the settings' params, over the module's sequence.params). */
  params: Record<string, string>;
  /** Write the run's folder here (a local sweep's runs/); without it, the files come back in the outcome. */
  saveIn?: string;
  /** The sweep's data, decoded once (shared-data.ts); without it the run reads the data itself. */
  records?: SharedRecords;
  /** Deliver one record per call (after a batched call outran the budget: did one callback?). */
  exact?: boolean;
  /** Another module and settings than the thread's own (a queue worker serves many sweeps). */
  job?: { moduleSha256: string; moduleBytes: Uint8Array; settings: RunSettings };
}

export type RunOutcome =
  | {
      position: number;
      ok: true;
      metrics: Record<string, string>;
      /** Params given but never read by the algo. */
      unused: string[];
      /** The run hash, as `algo backtest` prints it for the same run. */
      runSha256: string;
      /** The run's folder under runs/, when the thread wrote it (saveIn). */
      folder?: string;
      /** The run's files, when it did not. */
      files?: Record<string, string>;
      ticks: number;
      elapsedNs: number;
    }
  | {
      position: number;
      ok: false;
      error: string;
      /** Not the run's own doing (a callback over budget on a busy machine, a thread that died): another try may succeed. */
      transient?: true;
    };

export async function runOne(module: WebAssembly.Module, moduleBytes: Uint8Array, settings: RunSettings, request: RunRequest, watch?: CallbackWatch): Promise<RunOutcome> {
  const started = process.hrtime.bigint();
  try {
    const engine = withDataInstrument(engineSettings(request.exact ? { ...settings.flags, exactLatency: true } : settings.flags), settings.dataInstrument);
    const series = new RunSeries();
    let roundTrips = TRADES_CSV_HEADER + "\n";
    const report = await runBacktest({
      module,
      source: request.records ? sharedSource(request.records) : withinTimeRange(await resolveData(settings.data, settings.baseDir), rangeFromFlags(settings.from, settings.to)),
      params: new Params({ ...paramsOfModule(module), ...settings.params, ...request.params }),
      ...engine,
      stats: { ...engine.stats, series, onRoundTrip: (trip) => (roundTrips += tradeCsvRow(trip) + "\n") },
      watch,
    });
    const result = report.result;
    if (result.data.ticks === 0) throw new Error(`${report.source.description}: no ticks to replay; nothing was backtested`);
    // The title names the params only: a queue reuses a finished run's files in any sweep that has it, at any position.
    const title = `sweep run with ${Object.entries(request.params).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    const saved = savedRunOf({ report, moduleBytes, dataSha256: settings.dataSha256, callbacks: settings.callbacks, title, points: series.points() });
    const files = { ...runFiles(saved), [RUN_FILES.roundTrips]: roundTrips };
    const folder = runFolderName(request.position, saved.run.run_sha256);
    if (request.saveIn) writeRunFolder(path.join(request.saveIn, folder), files);
    return {
      position: request.position,
      ok: true,
      metrics: readMetrics(result),
      unused: result.unused_params,
      runSha256: saved.run.run_sha256,
      ...(request.saveIn ? { folder } : { files }),
      ticks: result.data.ticks,
      elapsedNs: Number(process.hrtime.bigint() - started),
    };
  } catch (e) {
    return { position: request.position, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
