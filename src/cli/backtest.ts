/** `algo backtest`: replay data through the algo against the simulated venue and report. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { checkModule } from "../../harness/module-check.ts";
import { paramsOfModule, parseParamPairs } from "../../harness/params.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { runIdentity } from "../../harness/report/run-hash.ts";
import type { SeriesPoint } from "../../harness/report/run-series.ts";
import { loadProject } from "../project.ts";
import { buildProject } from "./build.ts";
import { DATA_HELP, resolveData } from "./data-spec.ts";
import { EmptyReplayError, UsageError } from "./errors.ts";
import { formatReport } from "./format.ts";
import { collect, jsonOption, outputFile } from "./options.ts";
import { withinTimeRange } from "../../harness/data/time-range.ts";
import { DEFAULT_CALLBACK_BUDGET_MS, runBacktestWatched } from "./backtest-run.ts";
import { callbackBudgetOption, engineFlagsOf, engineSettings, rangeFromFlags, withEngineOptions } from "./backtest-settings.ts";
import { knownTickCount, progressLine, wantsProgress } from "./progress.ts";
import { dataSha256 } from "./data-hash.ts";
import { ResultsRecorder } from "../results/recorder.ts";
import { withProjectSettings } from "./backtest-config.ts";
import { replayWarnings, savedJson, withoutTiming } from "../results/saved-run.ts";

export { replayWarnings };

/** What `algo backtest` was given: its options as declared below (`algo demo` fills them in itself). */
export type BacktestCliOptions = ReturnType<ReturnType<typeof declareBacktest>["opts"]>;

/**
 * Everything the user typed is checked before anything is compiled: flag
 * values (by commander, see options.ts), params, the data spec and the
 * data file's format. A typo costs a fraction of a second, not a build.
 */
export async function backtestCommand(opts: BacktestCliOptions, title?: string): Promise<BacktestReport> {
  // Checked here, before anything is compiled; the engine's worker builds its own from the same flags.
  engineSettings(opts);
  const tradesFile = opts.trades === undefined ? undefined : outputFile("--trades", opts.trades);
  const runParams = parseParamPairs(opts.param);
  let dataSpec = opts.data;
  if (!dataSpec && !opts.wasm && !opts.entry) dataSpec = (await loadProject()).data;
  if (!dataSpec) throw new UsageError(`--data is required (no "sequence.data" in package.json): ${DATA_HELP}`);
  const range = rangeFromFlags(opts.from, opts.to);
  const source = withinTimeRange(await resolveData(dataSpec), range);

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
  const results = opts.save === true ? await ResultsRecorder.open() : undefined;
  let report: BacktestReport;
  let tradeRows: number | undefined;
  let points: SeriesPoint[] | undefined;
  try {
    // In a worker thread, so that a callback over budget can be stopped (backtest-run.ts).
    ({ report, tradeRows, points } = await runBacktestWatched(
      {
        module,
        data: dataSpec,
        range,
        // A run-time --param beats the module's sequence.params section, which beats the algo's default.
        params: { ...paramsOfModule(module), ...runParams },
        flags: engineFlagsOf(opts),
        tradesFile,
        roundTripsFile: results?.roundTripsFile,
        series: results !== undefined,
      },
      { budgetMs: opts.callbackBudgetMs, onProgress: progress?.update },
    ));
  } catch (e) {
    results?.discard();
    throw e;
  } finally {
    progress?.clear();
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
  const saved = savedJson(report, run, warnings);
  if (opts.json) {
    const result = opts.fills ? report.result : saved.result;
    const out = { result, run, source: report.source, warnings };
    console.log(toExactJson(opts.timings ? { ...out, timing: report.timing } : out));
  } else {
    console.log(text);
  }
  const folder = results?.finish({ json: saved, text: withoutTiming(text), title: heading, report, run, warnings, points: points ?? [] });
  // With --json on stderr: stdout stays the same bytes for the same run.
  if (folder !== undefined && opts.json) console.error(`saved in ${folder}/`);
  else if (folder !== undefined) console.log(`\n  saved in ${folder}/ (algo report; open report.html)`);
  if (tradeRows !== undefined) console.error(`${tradeRows.toLocaleString("en-US")} round trips written to ${opts.trades}`);
  for (const w of warnings) console.error(`warning: ${w}`);
  return report;
}

/** The verb and its flags: the run's settings are `withEngineOptions`, declared once (also for `algo sweep`). */
function declareBacktest(program: Command) {
  const command = program
    .command("backtest")
    .description("replay market data through the algo against the simulated venue and print a report")
    .option("-d, --data <spec>", DATA_HELP)
    .option("--wasm <file>", "a built module instead of building the project")
    .option("--entry <file>", "an algo source file instead of the project's entry")
    .option("-p, --param <name=value>", "set an algo parameter (repeatable)", collect, []);
  return withEngineOptions(command)
    .addOption(jsonOption("print the report as JSON (exact integers); deterministic unless --timings"))
    .option("--timings", "with --json: include wall-clock speed and callback latency")
    .option("--fills", "with --json: include every fill")
    .option("--trades <file.csv>", "write every round trip (FIFO-matched entry and exit) to a CSV file")
    .addOption(callbackBudgetOption(DEFAULT_CALLBACK_BUDGET_MS))
    .option("--no-save", "do not save the run in backtests/<time>-<hash>/ (report, fills, round trips, series, report.html)")
    .option("--no-progress", "do not show progress");
}

export function register(program: Command): void {
  declareBacktest(program)
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo backtest --data sp500\n  $ algo backtest --data ticks.csv --param half_spread_bps=8 --maker-bps -1 --taker-bps 5\n  $ algo backtest --data synthetic:7:1000000 --json",
    )
    .action(async (opts, command) => {
      await backtestCommand(await withProjectSettings(opts, command));
    });
}
