/** `algo sweep`: the backtest over a grid (or a random sample) of params, on every core; `algo sweep merge` joins shards. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { checkModule } from "../../harness/module-check.ts";
import { QUEUE_MODELS, type QueueModelName } from "../../harness/venue/queue.ts";
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
import { bps, collect, oneOf, timeBound, usdAmount, whole } from "./option-values.ts";
import { rangeFromFlags } from "./backtest-settings.ts";
import { eta } from "./progress.ts";

export interface SweepCliOptions {
  param: string[];
  target: string;
  constraint: string[];
  jobs: string;
  out?: string;
  json?: boolean;
  random?: string;
  seed: string;
  shard?: string;
  top: string;
  data?: string;
  wasm?: string;
  entry?: string;
  makerBps: string;
  takerBps: string;
  latencyNs: string;
  fillQueue: string;
  capital?: string;
  from?: string;
  to?: string;
  progress?: boolean;
  queue?: string;
}

export async function sweepCommand(opts: SweepCliOptions): Promise<void> {
  // Everything typed is checked before anything is built or run.
  const axes = parseAxes(opts.param);
  metricNamed(opts.target, "--target");
  const constraints = opts.constraint.map(parseConstraint);
  const sampling: Sampling = opts.random === undefined ? { kind: "grid" } : { kind: "random", count: positive(opts.random, "--random"), seed: BigInt(opts.seed) };
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const jobs = positive(opts.jobs, "-j");
  const indices = sampleIndices(axes, sampling);

  rangeFromFlags(opts.from, opts.to); // an empty range fails now
  let dataSpec = opts.data;
  if (!dataSpec && !opts.wasm && !opts.entry) dataSpec = (await loadProject()).data;
  if (!dataSpec) throw new UsageError(`--data is required (no "sequence.data" in package.json): ${DATA_HELP}`);
  await resolveData(dataSpec); // a missing file or unknown format fails now, not in every run
  const moduleBytes = await loadModuleBytes(opts);
  const settings: RunSettings = {
    data: dataSpec,
    baseDir: process.cwd(),
    makerBps: opts.makerBps,
    takerBps: opts.takerBps,
    latencyNs: opts.latencyNs,
    fillQueue: opts.fillQueue as QueueModelName,
    ...(opts.capital === undefined ? {} : { capital: opts.capital }),
    ...(opts.from === undefined ? {} : { from: opts.from }),
    ...(opts.to === undefined ? {} : { to: opts.to }),
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
    data_id: await dataIdentity(dataSpec, process.cwd()),
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
  console.error(`sweep: ${what} of ${sampling.kind === "grid" ? "the grid" : `a random sample (seed ${opts.seed}) of the grid`} ${space} = ${gridSize(axes)}, ${where}`);

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
        onFirst: (ms) => {
          const rest = Math.ceil((runs.length - 1) / threads) * ms;
          console.error(`  the first run took ${eta(ms / 1000)}: about ${eta((ms + rest) / 1000)} for all ${runs.length}`);
        },
      })
  ).finally(() => bar?.clear());

  const ranked = rankRows(rows, manifest.target, constraints);
  const table = sweepTable(manifest, ranked, positive(opts.top, "--top"));
  await writeResults(dir, manifest, ranked, table);
  report(opts.json, dir, ranked, table);
  if (rows.some((r) => r.error !== undefined)) process.exitCode = 1;
}

async function mergeCommand(dirs: string[], opts: { out?: string; json?: boolean; top: string }): Promise<void> {
  const merged = await mergeFolders(dirs);
  const constraints = merged.manifest.constraints.map(parseConstraint);
  const ranked = rankRows(merged.rows, merged.manifest.target, constraints);
  const table = sweepTable(merged.manifest, ranked, positive(opts.top, "--top"));
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
  if (dir) console.log(`\nresults: ${path.relative(process.cwd(), dir) || "."}/ (results.jsonl, results.csv, runs/<n>.json)`);
}

async function loadModuleBytes(opts: SweepCliOptions): Promise<Uint8Array> {
  if (opts.wasm) {
    const file = path.resolve(opts.wasm);
    const bytes = new Uint8Array(
      await readFile(file).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`--wasm ${opts.wasm}: cannot read it (${e.code ?? e.message})`);
      }),
    );
    await checkModule(bytes, path.basename(file));
    return bytes;
  }
  // Built once (or reused from build/ through the build cache); every run gets the same bytes and its params at run time.
  const built = await buildProject({ entry: opts.entry });
  return new Uint8Array(await readFile(built.outFile));
}

function positive(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag} ${text}: expected a whole number ≥ 1`);
  return Number(text);
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

export function register(program: Command): void {
  const sweep = program
    .command("sweep")
    .description("backtest every combination of params (or a random sample) on every core, and rank the runs")
    .option("-p, --param <name=spec>", "a param to sweep: start:end:step (end included), a,b,c or one value (repeatable)", collect, [])
    .option("--target <figure>", `what to rank by: ${Object.keys(METRICS).join(", ")}`, "net_pnl")
    .option("--constraint <expr>", "keep only runs that meet it, e.g. 'max_dd_pct<20' or 'fills>=10' (repeatable)", collect, [])
    .option("-j, --jobs <n>", "threads to run on", String(os.availableParallelism()))
    .option("-o, --out <dir>", "output folder (default sweeps/<time>)")
    .option("--json", "print the ranked runs as JSON")
    .option("--random <n>", "run a seeded random sample of n combinations instead of the whole grid")
    .option("--seed <s>", "seed of --random", whole, "1")
    .option("--shard <i/n>", "run only slice i of n (1-based), for a CI matrix or an indexed job; join with 'algo sweep merge'")
    .option("--top <n>", "rows of the ranked table", "20")
    .option("-d, --data <spec>", DATA_HELP)
    .option("--wasm <file>", "a built module instead of building the project")
    .option("--entry <file>", "an algo source file instead of the project's entry")
    .option("--maker-bps <bps>", "maker fee in basis points (negative = rebate)", bps, "0")
    .option("--taker-bps <bps>", "taker fee in basis points", bps, "0")
    .option("--latency-ns <ns>", "order entry latency in nanoseconds", whole, "0")
    .option("--fill-queue <model>", "fills at a resting order's own price (as backtest --queue): through or risk-averse", oneOf(Object.keys(QUEUE_MODELS)), "through")
    .option("--capital <usd>", "starting cash of every run (returns in % of it; orders it cannot pay for are refused)", usdAmount)
    .option("--from <time>", "every run replays only from this UTC date, instant or ns on (as backtest --from)", timeBound)
    .option("--to <time>", "every run replays only up to this date (the whole day), instant or ns (as backtest --to)", timeBound)
    .option("--no-progress", "do not show progress")
    .option("--queue <url>", "put the runs on a Redis queue (BullMQ) for 'algo worker --queue <url>' on any machine, instead of running them here", redisUrl)
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo sweep --param half_spread_bps=0.5:5:0.5 --param size=1,2\n  $ algo sweep -p half_spread_bps=1:50:1 -p skew_bps=0:10:0.5 --random 200 --seed 7 --constraint 'fills>=10'\n  $ algo sweep -p half_spread_bps=0.5:5:0.5 --shard 2/4 -o out/2   # then: algo sweep merge out/*",
    )
    .action(async (opts: SweepCliOptions) => sweepCommand(opts));
  sweep
    .command("merge")
    .description("join the output folders of a sweep's shards into one ranked table, as if it had run on one machine")
    .argument("<dirs...>", "the shards' output folders")
    .option("-o, --out <dir>", "write the merged folder here")
    .option("--json", "print the ranked runs as JSON")
    .option("--top <n>", "rows of the ranked table", "20")
    // The parent `sweep` shares -o, --json and --top, and commander hands them to it: read them with the parent's.
    .action(async (dirs: string[], _opts: unknown, command: Command) => mergeCommand(dirs, command.optsWithGlobals()));
}
