/** `algo sweep`: the backtest over a grid (or a random sample) of params, on every core; `algo sweep merge` joins shards. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { checkModule } from "../../harness/module-check.ts";
import { parseParamPairs } from "../../harness/params.ts";
import { loadProject } from "../project.ts";
import { mergeFolders, copyReports } from "../sweep/merge.ts";
import { MANIFEST_FORMAT, writeResults, type SweepManifest } from "../sweep/folder.ts";
import { runLocally } from "../sweep/local.ts";
import { METRICS, metricNamed, parseConstraint } from "../sweep/metrics.ts";
import { rankRows } from "../sweep/rank.ts";
import { combination, gridSize, parseAxes, parseShard, sampleIndices, shardPositions, type Sampling } from "../sweep/space.ts";
import { dataIdentity, describeSettings, runKey, sha256, type RunSettings } from "../sweep/settings.ts";
import { redisUrl } from "../sweep/redis-url.ts";
import { sweepTable } from "../sweep/table.ts";
import { buildProject } from "./build.ts";
import { DATA_HELP, resolveData } from "./data-spec.ts";
import { UsageError } from "./errors.ts";
import { collect, jsonOption, wholeOption } from "./options.ts";
import { callbackBudgetOption, dataInstrumentOf, engineFlagsOf, engineSettings, rangeFromFlags, withEngineOptions } from "./backtest-settings.ts";
import { withProjectSettings } from "./backtest-config.ts";
import { DEFAULT_CALLBACK_BUDGET_MS } from "./backtest-run.ts";
import { dataSha256 } from "./data-hash.ts";
import { eta } from "./progress.ts";

/** What `algo sweep` was given: its options as declared below. */
export type SweepCliOptions = ReturnType<ReturnType<typeof declareSweep>["opts"]>;

/**
 * `sharedParams` are the project's sequence.backtest.params: every run gets
 * them, but a swept `--param` of the same name wins.
 */
export async function sweepCommand(opts: SweepCliOptions, sharedParams: readonly string[] = []): Promise<void> {
  // Everything typed (or set in the project) is checked before anything is built or run.
  const axes = parseAxes(opts.param);
  metricNamed(opts.target, "--target");
  const constraints = opts.constraint.map(parseConstraint);
  // One --seed for every draw, as in a backtest: the sample's and the engine's.
  const sampleSeed = BigInt(opts.seed ?? "1");
  const sampling: Sampling = opts.random === undefined ? { kind: "grid" } : { kind: "random", count: opts.random, seed: sampleSeed };
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const jobs = opts.jobs;
  const indices = sampleIndices(axes, sampling);
  const flags = engineFlagsOf({ ...opts, queue: opts.fillQueue });
  engineSettings(flags); // a combination that makes no sense fails now
  const swept = new Set(axes.map((a) => a.name));
  const params = Object.fromEntries(Object.entries(parseParamPairs([...sharedParams])).filter(([name]) => !swept.has(name)));

  rangeFromFlags(opts.from, opts.to); // an empty range fails now
  let dataSpec = opts.data;
  if (!dataSpec && !opts.wasm && !opts.entry) dataSpec = (await loadProject()).data;
  if (!dataSpec) throw new UsageError(`--data is required (no "sequence.data" in package.json): ${DATA_HELP}`);
  const dataInstrument = dataInstrumentOf(await resolveData(dataSpec)); // a missing file or unknown format fails now, not in every run
  const { bytes: moduleBytes, callbacks } = await loadModule(opts);
  const dataId = await dataIdentity(dataSpec, process.cwd());
  const settings: RunSettings = {
    data: dataSpec,
    baseDir: process.cwd(),
    ...(opts.from === undefined ? {} : { from: opts.from }),
    ...(opts.to === undefined ? {} : { to: opts.to }),
    flags,
    params,
    budgetMs: opts.callbackBudgetMs,
    // The run hash's data hash, as `algo backtest` computes it (a file's is its identity's).
    dataSha256: dataId.startsWith("sha256:") ? dataId.slice("sha256:".length) : await dataSha256(dataSpec),
    callbacks,
    ...(dataInstrument ? { dataInstrument } : {}),
  };
  const manifest: SweepManifest = {
    format: MANIFEST_FORMAT,
    axes,
    sampling: sampling.kind === "grid" ? sampling : { kind: "random", count: sampling.count, seed: sampling.seed.toString() },
    runs: indices.length,
    shard: shard ?? null,
    target: opts.target,
    constraints: constraints.map((c) => c.text),
    settings: describeSettings(settings),
    module_sha256: sha256(moduleBytes),
    data_id: dataId,
  };
  const dir = path.resolve(opts.out ?? defaultOutDir(shard));
  if (existsSync(path.join(dir, "sweep.json"))) throw new UsageError(`-o ${opts.out ?? dir}: it already holds a sweep; choose another folder`);

  const runs = shardPositions(indices.length, shard).map((run) => {
    const params = combination(axes, indices[run]);
    return { run, params, key: runKey(manifest.module_sha256, manifest.data_id, settings, params) };
  });
  const threads = Math.min(jobs, Math.max(1, runs.length));
  const what = `${runs.length} run${runs.length === 1 ? "" : "s"}${shard ? ` (shard ${shard.index}/${shard.count} of ${indices.length})` : ""}`;
  const space = axes.map((a) => `${a.name} ${a.values.length}`).join(" × ");
  const where = opts.queue ? "through the queue" : `on ${threads} thread${threads === 1 ? "" : "s"}`;
  console.error(`sweep: ${what} of ${sampling.kind === "grid" ? "the grid" : `a random sample (seed ${sampleSeed}) of the grid`} ${space} = ${gridSize(axes)}, ${where}`);

  const bar = opts.progress !== false && !opts.json && process.stderr.isTTY === true ? progressBar(process.stderr) : undefined;
  const started = Date.now();
  const common = {
    moduleBytes,
    settings,
    runs,
    needs: [{ metric: opts.target, flag: "--target" }, ...constraints.map((c) => ({ metric: c.metric, flag: "--constraint" }))],
    dir,
    onProgress: (done: number, total: number) => bar?.update(done, total, Date.now() - started),
  };
  const rows = await (opts.queue
    ? import("../sweep/queue.ts").then(({ runOnQueue }) =>
        runOnQueue({
          ...common,
          url: opts.queue!,
          moduleSha256: manifest.module_sha256,
          dataId: manifest.data_id,
          onFirst: (ms) => console.error(`  the first run took ${eta(ms / 1000)}: about ${eta(((runs.length - 1) * ms) / 1000)} of work left, shared by the workers`),
          onNoWorker: () => console.error(`  no worker is listening yet: start 'algo worker --queue ${opts.queue}' where the data is`),
        }),
      )
    : runLocally({
        ...common,
        jobs: threads,
        // The first runs start together (one a thread): the estimate is the time of the first to finish, for every round of `threads` runs.
        onFirst: (ms) => console.error(`  the first run took ${eta(ms / 1000)}: about ${eta((Math.ceil(runs.length / threads) * ms) / 1000)} for all ${runs.length}`),
      })
  ).finally(() => bar?.clear());

  const ranked = rankRows(rows, manifest.target, constraints);
  const table = sweepTable(manifest, ranked, opts.top);
  await writeResults(dir, manifest, ranked, table);
  report(opts.json, dir, ranked, table);
  if (rows.some((r) => r.error !== undefined)) process.exitCode = 1;
}

async function mergeCommand(dirs: string[], opts: { out?: string; json?: boolean; top: number }): Promise<void> {
  const merged = await mergeFolders(dirs);
  const constraints = merged.manifest.constraints.map(parseConstraint);
  const ranked = rankRows(merged.rows, merged.manifest.target, constraints);
  const table = sweepTable(merged.manifest, ranked, opts.top);
  if (opts.out) {
    const dir = path.resolve(opts.out);
    if (existsSync(path.join(dir, "sweep.json"))) throw new UsageError(`-o ${opts.out}: it already holds a sweep; choose another folder`);
    await copyReports(merged, dir);
    await writeResults(dir, merged.manifest, ranked, table);
  }
  report(opts.json, opts.out ? path.resolve(opts.out) : undefined, ranked, table);
  if (merged.rows.some((r) => r.error !== undefined)) process.exitCode = 1;
}

function report(json: boolean | undefined, dir: string | undefined, ranked: ReturnType<typeof rankRows>, table: string): void {
  if (json) {
    console.log(JSON.stringify({ dir: dir ?? null, runs: ranked.length, results: ranked }, null, 2));
    return;
  }
  console.log(table);
  if (!dir) return;
  const where = path.relative(process.cwd(), dir) || ".";
  const best = ranked.find((r) => r.rank === 1)?.folder;
  console.log(`\nresults: ${where}/ (results.jsonl, results.csv, a results folder per run in runs/)`);
  if (best) console.log(`  the best run: algo report ${path.join(where, "runs", best)} (--open for its report.html)`);
}

async function loadModule(opts: SweepCliOptions): Promise<{ bytes: Uint8Array; callbacks: string[] }> {
  if (opts.wasm) {
    const file = path.resolve(opts.wasm);
    const bytes = new Uint8Array(
      await readFile(file).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`--wasm ${opts.wasm}: cannot read it (${e.code ?? e.message})`);
      }),
    );
    return { bytes, callbacks: (await checkModule(bytes, path.basename(file))).callbacks };
  }
  // Built once (or reused from build/ through the build cache); every run gets the same bytes and its params at run time.
  const built = await buildProject({ entry: opts.entry });
  return { bytes: built.wasm, callbacks: built.callbacks };
}

function defaultOutDir(shard: { index: number; count: number } | undefined): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  return path.join("sweeps", stamp + (shard ? `-shard-${shard.index}-of-${shard.count}` : ""));
}

/** `  [########------------]  8/20 runs · ETA 6.1 s`, rewritten in place on a terminal. */
function progressBar(stream: NodeJS.WriteStream): { update(done: number, total: number, elapsedMs: number): void; clear(): void } {
  let shown = false;
  return {
    update(done, total, elapsedMs) {
      shown = true;
      const width = 20;
      const filled = Math.round((done / total) * width);
      const left = done > 0 ? ((total - done) * elapsedMs) / done / 1000 : 0;
      stream.write(`\r  [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} runs · ETA ${eta(left)}\x1b[K`);
    },
    clear() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}

const AT_LEAST_ONE = { min: 1 } as const;

/** The verb and its flags: every run's settings are `algo backtest`'s (`withEngineOptions`), declared once. */
function declareSweep(program: Command) {
  const sweep = program
    .command("sweep")
    .description("backtest every combination of params (or a random sample) on every core, and rank the runs")
    .option("-p, --param <name=spec>", "a param to sweep: start:end:step (end included), a,b,c or one value (repeatable)", collect, [])
    .option("--target <figure>", `what to rank by: ${Object.keys(METRICS).join(", ")}`, "net_pnl")
    .option("--constraint <expr>", "keep only runs that meet it, e.g. 'max_dd_pct<20' or 'fills>=10' (repeatable)", collect, [])
    .addOption(wholeOption("-j, --jobs <n>", "threads to run on", AT_LEAST_ONE).default(os.availableParallelism()))
    .option("-o, --out <dir>", "output folder (default sweeps/<time>)")
    .addOption(jsonOption("print the ranked runs as JSON"))
    .addOption(wholeOption("--random <n>", "run a seeded random sample of n combinations (drawn with --seed, default 1) instead of the whole grid", AT_LEAST_ONE))
    .option("--shard <i/n>", "run only slice i of n (1-based), for a CI matrix or an indexed job; join with 'algo sweep merge'")
    .addOption(wholeOption("--top <n>", "rows of the ranked table", AT_LEAST_ONE).default(20))
    .option("-d, --data <spec>", DATA_HELP)
    .option("--wasm <file>", "a built module instead of building the project")
    .option("--entry <file>", "an algo source file instead of the project's entry");
  return withEngineOptions(sweep, "--fill-queue", "; in a sweep also --random's sample")
    .addOption(callbackBudgetOption(DEFAULT_CALLBACK_BUDGET_MS))
    .option("--no-progress", "do not show progress")
    .option("--queue <url>", "put the runs on a Redis queue (BullMQ) for 'algo worker --queue <url>' on any machine, instead of running them here", redisUrl);
}

export function register(program: Command): void {
  const sweep = declareSweep(program)
    .addHelpText(
      "after",
      "\nEvery run's settings come from package.json's sequence.backtest (as for algo backtest); a flag overrides one, a swept --param overrides its param.\nThe fill queue model is --fill-queue here (backtest's --queue): --queue is the Redis queue.\n\nExamples:\n  $ algo sweep --param half_spread_bps=0.5:5:0.5 --param size=1,2\n  $ algo sweep -p half_spread_bps=1:50:1 -p skew_bps=0:10:0.5 --random 200 --seed 7 --constraint 'fills>=10'\n  $ algo sweep -p half_spread_bps=0.5:5:0.5 --shard 2/4 -o out/2   # then: algo sweep merge out/*",
    )
    .action(async (opts, command) => {
      // The project's params come first in `param` (a flag's later): split them off, to lie under the swept ones.
      const configured = await withProjectSettings(opts, command, { queue: "fill-queue" });
      const shared = configured.param.slice(0, configured.param.length - opts.param.length);
      await sweepCommand({ ...configured, param: opts.param }, shared);
    });
  sweep
    .command("merge")
    .description("join the output folders of a sweep's shards into one ranked table, as if it had run on one machine")
    .argument("<dirs...>", "the shards' output folders")
    .option("-o, --out <dir>", "write the merged folder here")
    .addOption(jsonOption("print the ranked runs as JSON"))
    .addOption(wholeOption("--top <n>", "rows of the ranked table", AT_LEAST_ONE).default(20))
    // The parent `sweep` shares -o, --json and --top, and commander hands them to it: read them with the parent's.
    .action(async (dirs, _opts, command) => mergeCommand(dirs, command.optsWithGlobals()));
}
