/** `algo backtest`: replay data through the algo against the simulated venue and report. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { runBacktest } from "../../harness/engine.ts";
import { checkModule } from "../../harness/module-check.ts";
import { Params } from "../../harness/params.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { ConstantLatency } from "../../harness/venue/latency.ts";
import { QUEUE_MODELS, type QueueModel, type QueueModelName } from "../../harness/venue/queue.ts";
import { loadProject } from "../project.ts";
import { buildProject } from "./build.ts";
import { DATA_HELP, resolveData } from "./data-spec.ts";
import { UsageError } from "./errors.ts";
import { formatReport } from "./format.ts";

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
}

export async function backtestCommand(opts: BacktestCliOptions, title?: string): Promise<BacktestReport> {
  let module: WebAssembly.Module;
  let dataSpec = opts.data;
  let label: string;
  if (opts.wasm) {
    const file = path.resolve(opts.wasm);
    module = (await checkModule(new Uint8Array(await readFile(file)), path.basename(file))).module;
    label = path.basename(file);
  } else {
    const built = await buildProject({ entry: opts.entry });
    module = built.module;
    label = path.relative(process.cwd(), built.outFile);
    if (!dataSpec && !opts.entry) dataSpec = (await loadProject()).data;
  }
  if (!dataSpec) throw new UsageError(`--data is required (no "sequence.data" in package.json): ${DATA_HELP}`);
  if (!/^\d+$/.test(opts.latencyNs)) throw new UsageError(`--latency-ns ${opts.latencyNs}: expected whole nanoseconds`);

  const source = await resolveData(dataSpec);
  const showProgress = opts.progress ?? (process.stderr.isTTY && !opts.json);
  const report = await runBacktest({
    module,
    source,
    params: Params.parse(opts.param),
    fees: new BpsFees(opts.makerBps, opts.takerBps),
    latency: new ConstantLatency(BigInt(opts.latencyNs)),
    queue: queueModel(opts.queue ?? "through"),
    exactLatency: opts.exactLatency,
    onProgress: showProgress ? throttledProgress() : undefined,
  });
  if (showProgress) process.stderr.write("\r\x1b[K");

  if (opts.json) {
    const result = opts.fills ? report.result : { ...report.result, fill_log: undefined };
    console.log(toExactJson(opts.timings ? { result, timing: report.timing } : { result }));
  } else {
    console.log(formatReport(report, title ?? `backtest of ${label}`));
  }
  return report;
}

function queueModel(name: string): QueueModel {
  if (!(name in QUEUE_MODELS)) throw new UsageError(`--queue ${name}: expected one of ${Object.keys(QUEUE_MODELS).join(", ")}`);
  return new QUEUE_MODELS[name as QueueModelName]();
}

/** Progress on stderr at most 5 times a second, overwriting one line. */
function throttledProgress(): (ticks: number) => void {
  let last = 0;
  return (ticks) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    process.stderr.write(`\r  replayed ${ticks.toLocaleString("en-US")} ticks`);
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command("backtest")
    .description("replay market data through the algo against the simulated venue and print a report")
    .option("-d, --data <spec>", DATA_HELP)
    .option("--wasm <file>", "a built module instead of building the project")
    .option("--entry <file>", "an algo source file instead of the project's entry")
    .option("-p, --param <name=value>", "set an algo parameter (repeatable)", collect, [])
    .option("--maker-bps <bps>", "maker fee in basis points (negative = rebate)", "0")
    .option("--taker-bps <bps>", "taker fee in basis points", "0")
    .option("--latency-ns <ns>", "order entry latency in nanoseconds", "0")
    .option("--queue <model>", "fills at a resting order's own price: through (never; default) or risk-averse (after the displayed queue ahead trades)", "through")
    .option("--json", "print the report as JSON (exact integers); deterministic unless --timings")
    .option("--timings", "with --json: include wall-clock speed and callback latency")
    .option("--fills", "with --json: include every fill")
    .option("--exact-latency", "time each callback on its own (slower replay)")
    .option("--no-progress", "do not show progress")
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo backtest --data sp500\n  $ algo backtest --data ticks.csv --param half_spread_bps=8 --maker-bps -1 --taker-bps 5\n  $ algo backtest --data synthetic:7:1000000 --json",
    )
    .action(async (opts: BacktestCliOptions) => {
      await backtestCommand(opts);
    });
}
