/**
 * `algo backtest`'s engine, in a worker thread so that the main thread can
 * stop a callback that never returns (backtest-run.ts). It runs the same
 * `runBacktest` as everything else, publishing each call into the module in
 * the shared CallbackWatch; it posts progress, then the report or the error.
 *
 * Bundled to dist/backtest-worker.mjs (scripts/bundle.mjs).
 */
import { parentPort, workerData } from "node:worker_threads";
import { CallbackWatch } from "../../harness/callback-watch.ts";
import { runBacktest } from "../../harness/engine.ts";
import { Params } from "../../harness/params.ts";
import type { RoundTrip } from "../../harness/report/round-trips.ts";
import { RunSeries } from "../../harness/report/run-series.ts";
import { TradesCsvWriter } from "../../harness/report/trades-csv.ts";
import type { BacktestWorkerInit, FromBacktestWorker } from "./backtest-run.ts";
import { dataInstrumentOf, engineSettings, withDataInstrument } from "./backtest-settings.ts";
import { withinTimeRange } from "../../harness/data/time-range.ts";
import { resolveData } from "./data-spec.ts";

const PROGRESS_MS = 100;

const port = parentPort;
if (!port) throw new Error("backtest-worker runs as a worker thread");
const init = workerData as BacktestWorkerInit;
const post = (m: FromBacktestWorker) => port.postMessage(m);

let lastProgress = 0;
let trades: TradesCsvWriter | undefined;
let saved: TradesCsvWriter | undefined;
try {
  const data = await resolveData(init.data);
  const settings = withDataInstrument(engineSettings(init.flags), dataInstrumentOf(data));
  trades = init.tradesFile === undefined ? undefined : new TradesCsvWriter(init.tradesFile);
  saved = init.roundTripsFile === undefined ? undefined : new TradesCsvWriter(init.roundTripsFile);
  const writers = [trades, saved].filter((w) => w !== undefined);
  const series = init.series ? new RunSeries() : undefined;
  const report = await runBacktest({
    module: init.module,
    source: withinTimeRange(data, init.range ?? {}),
    params: new Params(init.params),
    ...settings,
    stats: {
      ...settings.stats,
      onRoundTrip: writers.length === 0 ? undefined : (trip: RoundTrip) => writers.forEach((w) => w.write(trip)),
      series,
    },
    watch: new CallbackWatch(init.watch),
    onProgress: init.progress
      ? (ticks) => {
          const now = performance.now();
          if (now - lastProgress < PROGRESS_MS) return;
          lastProgress = now;
          post({ t: "progress", ticks });
        }
      : undefined,
  });
  trades?.close();
  saved?.close();
  post({ t: "done", report, tradeRows: trades?.rows, points: series?.points() });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  post({ t: "error", name: err.name, message: err.message, stack: err.stack });
} finally {
  trades?.close();
  saved?.close();
  port.close();
}
