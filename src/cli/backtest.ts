/** `algo backtest`: replay data through the algo against the simulated venue and report. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { checkModule } from "../../harness/module-check.ts";
import { Params, paramsOfModule, parseParamPairs } from "../../harness/params.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { QUEUE_MODELS, type QueueModel, type QueueModelName } from "../../harness/venue/queue.ts";
import { loadProject } from "../project.ts";
import { buildProject } from "./build.ts";
import { DATA_HELP, resolveData } from "./data-spec.ts";
import { EmptyReplayError, UsageError } from "./errors.ts";
import { formatReport } from "./format.ts";
import { bps, collect, oneOf, positiveWhole, whole } from "./option-values.ts";
import { DEFAULT_CALLBACK_BUDGET_MS, runBacktestWatched } from "./backtest-run.ts";
import { knownTickCount, progressLine, wantsProgress } from "./progress.ts";

export interface BacktestCliOptions {
  data?: string;
  wasm?: string;
  entry?: string;
  param: string[];
  makerBps: string;
  takerBps: string;
  latencyNs: string;
  queue?: string;
  json?: boolean;
  timings?: boolean;
  fills?: boolean;
  exactLatency?: boolean;
  progress?: boolean;
  callbackBudgetMs?: string;
}

/**
 * Everything the user typed is checked before anything is compiled: flag
 * values (by commander, see option-values.ts), params, the data spec and the
 * data file's format. A typo costs a fraction of a second, not a build.
 */
export async function backtestCommand(opts: BacktestCliOptions, title?: string): Promise<BacktestReport> {
  // Checked here, before anything is compiled; the engine's worker builds its own from the same values.
  new BpsFees(opts.makerBps, opts.takerBps);
  queueModel(opts.queue ?? "through"); // --latency-ns is checked by its option parser (option-values.ts)
  const runParams = parseParamPairs(opts.param);
  let dataSpec = opts.data;
  if (!dataSpec && !opts.wasm && !opts.entry) dataSpec = (await loadProject()).data;
  if (!dataSpec) throw new UsageError(`--data is required (no "sequence.data" in package.json): ${DATA_HELP}`);
  const source = await resolveData(dataSpec);

  let module: WebAssembly.Module;
  let callbacks: string[];
  let label: string;
  if (opts.wasm) {
    const file = path.resolve(opts.wasm);
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`--wasm ${opts.wasm}: cannot read it (${e.code ?? e.message})`);
    });
    ({ module, callbacks } = await checkModule(new Uint8Array(bytes), path.basename(file)));
    label = path.basename(file);
  } else {
    const built = await buildProject({ entry: opts.entry });
    ({ module, callbacks } = built);
    label = path.relative(process.cwd(), built.outFile);
    if (built.upToDate && !opts.json) console.error(`${label} is up to date`);
  }

  const progress = wantsProgress(opts, process.stderr.isTTY) ? progressLine(process.stderr, knownTickCount(source)) : undefined;
  let report: BacktestReport;
  try {
    // In a worker thread, so that a callback over budget can be stopped (backtest-run.ts).
    report = await runBacktestWatched(
      {
        module,
        data: dataSpec,
        // A run-time --param beats the module's sequence.params section, which beats the algo's default.
        params: { ...paramsOfModule(module), ...runParams },
        makerBps: opts.makerBps,
        takerBps: opts.takerBps,
        latencyNs: opts.latencyNs,
        queue: opts.queue ?? "through",
        exactLatency: opts.exactLatency ?? false,
      },
      { budgetMs: Number(opts.callbackBudgetMs ?? DEFAULT_CALLBACK_BUDGET_MS), onProgress: progress?.update },
    );
  } finally {
    progress?.clear();
  }

  const data = report.result.data;
  if (data.ticks === 0) throw new EmptyReplayError(`${data.description}: no ticks to replay; nothing was backtested`);
  const warnings = replayWarnings(callbacks, data);
  if (opts.json) {
    const result = opts.fills ? report.result : { ...report.result, fill_log: undefined };
    console.log(toExactJson(opts.timings ? { result, warnings, timing: report.timing } : { result, warnings }));
  } else {
    console.log(formatReport(report, title ?? `backtest of ${label}`));
  }
  for (const w of warnings) console.error(`warning: ${w}`);
  return report;
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
    .option("--latency-ns <ns>", "order entry latency in nanoseconds", whole, "0")
    .option("--queue <model>", "fills at a resting order's own price: through (never; default) or risk-averse (after the displayed queue ahead trades)", oneOf(Object.keys(QUEUE_MODELS)), "through")
    .option("--json", "print the report as JSON (exact integers); deterministic unless --timings")
    .option("--timings", "with --json: include wall-clock speed and callback latency")
    .option("--fills", "with --json: include every fill")
    .option("--exact-latency", "time each callback on its own (slower replay)")
    .option("--callback-budget-ms <ms>", "stop the run when one callback runs longer than this (an endless loop)", positiveWhole, String(DEFAULT_CALLBACK_BUDGET_MS))
    .option("--no-progress", "do not show progress")
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo backtest --data sp500\n  $ algo backtest --data ticks.csv --param half_spread_bps=8 --maker-bps -1 --taker-bps 5\n  $ algo backtest --data synthetic:7:1000000 --json",
    )
    .action(async (opts: BacktestCliOptions) => {
      await backtestCommand(opts);
    });
}
