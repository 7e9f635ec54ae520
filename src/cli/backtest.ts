/** `algo backtest`: replay data through the algo against the simulated venue and report. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { runBacktest } from "../../harness/engine.ts";
import { checkModule } from "../../harness/module-check.ts";
import { Params, paramsOfModule, parseParamPairs } from "../../harness/params.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { runIdentity } from "../../harness/report/run-hash.ts";
import { TradesCsvWriter } from "../../harness/report/trades-csv.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { DEFAULT_LATENCY_SEED, Latencies } from "../../harness/venue/latency.ts";
import { QUEUE_MODELS, type QueueModel, type QueueModelName } from "../../harness/venue/queue.ts";
import { loadProject } from "../project.ts";
import { buildProject } from "./build.ts";
import { DATA_HELP, resolveData } from "./data-spec.ts";
import { EmptyReplayError, UsageError } from "./errors.ts";
import { formatReport } from "./format.ts";
import { bps, collect, delay, oneOf, whole } from "./option-values.ts";
import { knownTickCount, progressLine, wantsProgress } from "./progress.ts";
import { dataSha256 } from "./data-hash.ts";
import { annualPct, periodsPerYear, samplingInterval } from "./stats-options.ts";
import { bothRoundTrips, ResultsRecorder } from "../results/recorder.ts";

export interface BacktestCliOptions {
  data?: string;
  wasm?: string;
  entry?: string;
  param: string[];
  makerBps: string;
  takerBps: string;
  /** The old name of --entry-latency (whole ns). */
  latencyNs?: string;
  feedLatency?: string;
  entryLatency?: string;
  responseLatency?: string;
  seed?: string;
  queue?: string;
  json?: boolean;
  timings?: boolean;
  fills?: boolean;
  exactLatency?: boolean;
  progress?: boolean;
  trades?: string;
  sample?: string;
  periodsPerYear?: string;
  riskFree?: string;
  /** false with --no-save; undefined (no folder) when called by another verb. */
  save?: boolean;
}

/**
 * Everything the user typed is checked before anything is compiled: flag
 * values (by commander, see option-values.ts), params, the data spec and the
 * data file's format. A typo costs a fraction of a second, not a build.
 */
export async function backtestCommand(opts: BacktestCliOptions, title?: string): Promise<BacktestReport> {
  const fees = new BpsFees(opts.makerBps, opts.takerBps);
  const latency = latencies(opts); // values checked by the option parsers (option-values.ts)
  const queue = queueModel(opts.queue ?? "through");
  const runParams = parseParamPairs(opts.param);
  let dataSpec = opts.data;
  if (!dataSpec && !opts.wasm && !opts.entry) dataSpec = (await loadProject()).data;
  if (!dataSpec) throw new UsageError(`--data is required (no "sequence.data" in package.json): ${DATA_HELP}`);
  const source = await resolveData(dataSpec);

  const dataHash = dataSha256(dataSpec); // read alongside the replay
  dataHash.catch(() => undefined); // awaited below; an early usage error must not leave it unhandled
  let module: WebAssembly.Module;
  let moduleBytes: Uint8Array;
  let callbacks: string[];
  let label: string;
  if (opts.wasm) {
    const file = path.resolve(opts.wasm);
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`--wasm ${opts.wasm}: cannot read it (${e.code ?? e.message})`);
    });
    moduleBytes = new Uint8Array(bytes);
    ({ module, callbacks } = await checkModule(moduleBytes, path.basename(file)));
    label = path.basename(file);
  } else {
    const built = await buildProject({ entry: opts.entry });
    ({ module, callbacks, wasm: moduleBytes } = built);
    label = path.relative(process.cwd(), built.outFile);
    if (built.upToDate && !opts.json) console.error(`${label} is up to date`);
  }

  const progress = wantsProgress(opts, process.stderr.isTTY) ? progressLine(process.stderr, knownTickCount(source)) : undefined;
  let trades: TradesCsvWriter | undefined;
  if (opts.trades) {
    try {
      trades = new TradesCsvWriter(path.resolve(opts.trades));
    } catch (e) {
      throw new UsageError(`--trades ${opts.trades}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  const results = opts.save === true ? await ResultsRecorder.open() : undefined;
  let report: BacktestReport;
  try {
    report = await runBacktest({
      module,
      source,
      // A run-time --param beats the module's sequence.params section, which beats the algo's default.
      params: new Params({ ...paramsOfModule(module), ...runParams }),
      fees,
      latency,
      queue,
      exactLatency: opts.exactLatency,
      onProgress: progress?.update,
      stats: {
        sampleNs: opts.sample === undefined ? undefined : BigInt(opts.sample), // checked by the option parsers (stats-options.ts)
        periodsPerYear: opts.periodsPerYear === undefined ? undefined : Number(opts.periodsPerYear),
        riskFreePct: opts.riskFree === undefined ? undefined : Number(opts.riskFree),
        onRoundTrip: bothRoundTrips(trades?.write, results?.onRoundTrip),
        series: results?.series,
      },
    });
  } catch (e) {
    results?.discard();
    throw e;
  } finally {
    progress?.clear();
    trades?.close();
  }

  const data = report.result.data;
  if (data.ticks === 0) {
    results?.discard();
    throw new EmptyReplayError(`${report.source.description}: no ticks to replay; nothing was backtested`);
  }
  const warnings = replayWarnings(callbacks, data);
  const run = runIdentity(moduleBytes, await dataHash, report.result); // over the whole result, fill log included
  const heading = title ?? `backtest of ${label}`;
  const text = formatReport(report, heading, run);
  const saved = { result: { ...report.result, fill_log: undefined }, run, source: report.source, warnings };
  if (opts.json) {
    const result = opts.fills ? report.result : saved.result;
    const out = { result, run, source: report.source, warnings };
    console.log(toExactJson(opts.timings ? { ...out, timing: report.timing } : out));
  } else {
    console.log(text);
  }
  const folder = results?.finish({ json: saved, text: withoutTiming(text), title: heading, report, run, warnings });
  // With --json on stderr: stdout stays the same bytes for the same run.
  if (folder !== undefined && opts.json) console.error(`saved in ${folder}/`);
  else if (folder !== undefined) console.log(`\n  saved in ${folder}/ (algo report; open report.html)`);
  if (trades) console.error(`${trades.rows.toLocaleString("en-US")} round trips written to ${opts.trades}`);
  for (const w of warnings) console.error(`warning: ${w}`);
  return report;
}

/** The text report without its last block (speed, callback latency): what is saved is the same for the same run. */
function withoutTiming(text: string): string {
  const end = text.lastIndexOf("\n\n  speed ");
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Callbacks the algo implements whose events never came: a market maker that
 * listens to quotes, replayed on trades only, did nothing and would otherwise
 * print an empty success.
 */
export function replayWarnings(callbacks: readonly string[], data: { quotes: number; trades: number }): string[] {
  const out: string[] = [];
  if (callbacks.includes("on_quote") && data.quotes === 0)
    out.push("the algo listens to quotes (onQuote) but the data has none: onQuote never ran; use quote data (bid/ask columns) or synthetic:<seed>:<count>");
  if (callbacks.includes("on_trade") && data.trades === 0)
    out.push("the algo listens to trades (onTrade) but the data has none: onTrade never ran; use trade data (price/qty columns)");
  return out;
}

function latencies(opts: BacktestCliOptions): Latencies {
  if (opts.latencyNs !== undefined && opts.entryLatency !== undefined)
    throw new UsageError("--latency-ns is the old name of --entry-latency: give one of them");
  return new Latencies({
    feed: opts.feedLatency,
    entry: opts.entryLatency ?? opts.latencyNs,
    response: opts.responseLatency,
    seed: opts.seed === undefined ? DEFAULT_LATENCY_SEED : BigInt(opts.seed),
  });
}

function queueModel(name: string): QueueModel {
  if (!(name in QUEUE_MODELS)) throw new UsageError(`--queue ${name}: expected one of ${Object.keys(QUEUE_MODELS).join(", ")}`);
  return new QUEUE_MODELS[name as QueueModelName]();
}

export function register(program: Command): void {
  program
    .command("backtest")
    .description("replay market data through the algo against the simulated venue and print a report")
    .option("-d, --data <spec>", DATA_HELP)
    .option("--wasm <file>", "a built module instead of building the project")
    .option("--entry <file>", "an algo source file instead of the project's entry")
    .option("-p, --param <name=value>", "set an algo parameter (repeatable)", collect, [])
    .option("--maker-bps <bps>", "maker fee in basis points (negative = rebate)", bps, "0")
    .option("--taker-bps <bps>", "taker fee in basis points", bps, "0")
    .option("--feed-latency <delay>", "exchange time → the algo sees a market event: ns, or uniform:<min>:<max>, normal:<mean>:<sd>, lognormal:<median>:<sigma> (default 0)", delay)
    .option("--entry-latency <delay>", "the algo's place/cancel → the venue (same forms; default 0)", delay)
    .option("--response-latency <delay>", "the venue → the algo hears of the ack, fill, cancel or reject (same forms; default 0)", delay)
    .option("--seed <n>", `seed of the latency draws (default ${DEFAULT_LATENCY_SEED})`, whole)
    .option("--latency-ns <ns>", "order entry latency in whole ns (the old name of --entry-latency)", whole)
    .option("--queue <model>", "fills at a resting order's own price: through (never; default) or risk-averse (after the displayed queue ahead trades)", oneOf(Object.keys(QUEUE_MODELS)), "through")
    .option("--json", "print the report as JSON (exact integers); deterministic unless --timings")
    .option("--timings", "with --json: include wall-clock speed and callback latency")
    .option("--fills", "with --json: include every fill")
    .option("--trades <file.csv>", "write every round trip (FIFO-matched entry and exit) to a CSV file")
    .option("--sample <interval>", "sampling interval of the returns behind Sharpe and Sortino: 1d (default), 4h, 15m, 30s, 500ms", samplingInterval)
    .option("--periods-per-year <n>", "annualisation: periods per year (default 252 with 1d sampling, else a 365-day year of intervals)", periodsPerYear)
    .option("--risk-free <pct>", "annual risk-free rate in percent for Sharpe and Sortino (default 0)", annualPct)
    .option("--exact-latency", "time each callback on its own (slower replay)")
    .option("--no-save", "do not save the run in backtests/<time>-<hash>/ (report, fills, round trips, series, report.html)")
    .option("--no-progress", "do not show progress")
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo backtest --data sp500\n  $ algo backtest --data ticks.csv --param half_spread_bps=8 --maker-bps -1 --taker-bps 5\n  $ algo backtest --data synthetic:7:1000000 --json",
    )
    .action(async (opts: BacktestCliOptions) => {
      await backtestCommand(opts);
    });
}
