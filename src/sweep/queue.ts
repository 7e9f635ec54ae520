/**
 * A sweep spread over machines through BullMQ (Redis): `algo sweep --queue
 * redis://…` puts each run on the queue as a job whose id is the run's
 * content address (settings.ts runKey), and `algo worker --queue redis://…`
 * on any number of machines takes jobs and runs them on its threads.
 *
 * The same run added twice (a sweep repeated, a coordinator restarted) is one
 * job: BullMQ ignores an id it already holds, so a finished run's result is
 * reused and an unfinished one is waited for. A job that failed (a worker
 * died) is retried. The module travels through Redis once, under its
 * SHA-256; the data does not: each worker reads its own copy, and refuses a
 * job whose data has another identity than the sweep's (a different file).
 * A job carries every setting of the run (settings.ts); its result carries
 * the run's files, which the sweep writes into its runs/ folder. report.html
 * travels without the uPlot it inlines (the same ~50 KB in every run): the
 * sweep puts it back.
 */
import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import os from "node:os";
import { NetworkError } from "../cli/errors.ts";
import { RUN_FILES } from "../results/run-folder.ts";
import { uplotAssets } from "../results/html.ts";
import { runWithBudget } from "./budgeted.ts";
import { collectRuns, type Outcome, type PlannedRun, type SweepRuns } from "./collect.ts";
import { sweepWorkerUrl, WorkerPool } from "./pool.ts";
import type { RunRow } from "./rank.ts";
import type { RunOutcome, RunRequest } from "./run-one.ts";
import { dataIdentity, type RunSettings } from "./settings.ts";
import { decodeSettingsData, type SharedRecords } from "./shared-data.ts";

export const QUEUE_NAME = "algo-sweep";
const MODULE_KEY = (sha: string) => `algo-sweep:module:${sha}`;
/** Finished runs are kept this long, so a repeated sweep reuses them. */
const KEEP_SECONDS = 7 * 24 * 3600;

/** What a job carries: everything a worker needs but the data and the module's bytes. */
export interface RunJob {
  moduleSha256: string;
  dataId: string;
  /** Without baseDir: the worker reads the data relative to its own folder. */
  settings: Omit<RunSettings, "baseDir">;
  params: Record<string, string>;
}

/** The outcome as stored in Redis (a job's return value). */
type JobResult = Outcome;

/** A connection to the Redis server of `url`; an unreachable server is an error, not a hang. */
export async function connectRedis(url: string): Promise<Redis> {
  // A first connection is tried a few times; once up, ioredis reconnects for as long as it takes.
  let connected = false;
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : times > 5 ? null : times * 200) });
  let lastError = "";
  redis.on("error", (e: Error) => (lastError = e.message));
  await redis.connect().catch((e: Error) => {
    redis.disconnect();
    throw new NetworkError(`--queue ${url}: cannot reach Redis (${lastError || e.message})`);
  });
  connected = true;
  return redis;
}

export interface QueueSweep extends SweepRuns {
  url: string;
  moduleBytes: Uint8Array;
  moduleSha256: string;
  dataId: string;
  settings: RunSettings;
  /** Told when no worker is listening, once. */
  onNoWorker?(): void;
}

/** Puts the runs on the queue and collects their results as they finish; same rows and files as a local sweep. */
export async function runOnQueue(sweep: QueueSweep): Promise<RunRow[]> {
  if (sweep.runs.length === 0) return [];
  const redis = await connectRedis(sweep.url);
  // BullMQ leaves connections it is given open: they are closed in `finally`.
  const connections = [redis.duplicate(), redis.duplicate()];
  const queue = new Queue<RunJob, JobResult>(QUEUE_NAME, { connection: connections[0] });
  queue.setMaxListeners(0); // every run waiting for its job listens for the queue closing
  const events = new QueueEvents(QUEUE_NAME, { connection: connections[1] });
  try {
    await events.waitUntilReady();
    await redis.set(MODULE_KEY(sweep.moduleSha256), Buffer.from(sweep.moduleBytes), "EX", KEEP_SECONDS);
    if ((await queue.getWorkersCount()) === 0) sweep.onNoWorker?.();
    const { baseDir: _here, ...settings } = sweep.settings;
    const submit = async (r: PlannedRun): Promise<JobResult> => {
      const data: RunJob = { moduleSha256: sweep.moduleSha256, dataId: sweep.dataId, settings, params: r.params };
      const job = await queue.add("run", data, {
        jobId: `run-${r.key}`,
        attempts: 3,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { age: KEEP_SECONDS },
        removeOnFail: { age: KEEP_SECONDS },
      });
      if ((await job.getState()) === "failed") await job.retry("failed");
      try {
        return withUplot(await job.waitUntilFinished(events));
      } catch (e) {
        return { ok: false, error: `the queue's workers could not run it: ${(e as Error).message}` };
      }
    };
    return await collectRuns(sweep, submit);
  } finally {
    await events.close();
    await queue.close();
    for (const c of [redis, ...connections]) c.disconnect();
  }
}

export interface QueueWorkerOptions {
  url: string;
  /** Threads, and jobs taken at once. */
  jobs: number;
  /** Where the data specs of jobs are read from. */
  baseDir: string;
  /** One line per run done. */
  log(line: string): void;
}

export interface RunningQueueWorker {
  close(): Promise<void>;
}

/** Takes runs from the queue until closed. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<RunningQueueWorker> {
  const redis = await connectRedis(options.url);
  const pool = new WorkerPool<RunRequest, RunOutcome>(sweepWorkerUrl(), options.jobs, {});
  const modules = new Map<string, Uint8Array>();
  const dataIds = new Map<string, Promise<string>>();
  // The data of the sweep being served, decoded once for all its runs (shared-data.ts); one sweep's at a time.
  let decoded: { key: string; records: Promise<SharedRecords | undefined> } | undefined;
  const recordsOf = (settings: RunSettings, dataId: string): Promise<SharedRecords | undefined> => {
    const key = JSON.stringify([dataId, settings.data, settings.from, settings.to]);
    if (decoded?.key !== key) decoded = { key, records: decodeSettingsData(settings) };
    return decoded.records;
  };
  let position = 0;

  const moduleOf = async (sha: string): Promise<Uint8Array> => {
    let bytes = modules.get(sha);
    if (bytes) return bytes;
    const stored = await redis.getBuffer(MODULE_KEY(sha));
    if (!stored) throw new Error(`module ${sha} is not in Redis any more (kept ${KEEP_SECONDS / 86400} days): run the sweep again`);
    modules.set(sha, (bytes = new Uint8Array(stored)));
    return bytes;
  };

  const perform = async (job: Job<RunJob, JobResult>): Promise<JobResult> => {
    const { moduleSha256, dataId, settings, params } = job.data;
    let here = dataIds.get(settings.data);
    if (!here) dataIds.set(settings.data, (here = dataIdentity(settings.data, options.baseDir)));
    // Failures of this machine, not of the run, fail the job (BullMQ retries it; a later sweep retries it again) instead of being kept as its result.
    if ((await here) !== dataId)
      throw new Error(`the worker on ${os.hostname()} reads other data for ${settings.data} (${await here}) than the sweep (${dataId}); start it in a folder with the same data`);
    const started = Date.now();
    const local = { ...settings, baseDir: options.baseDir };
    const records = await recordsOf(local, dataId).catch(() => undefined); // a data error: the run reads the data itself and reports it
    const outcome = await runWithBudget(pool, { position: position++, params, records, job: { moduleSha256, moduleBytes: await moduleOf(moduleSha256), settings: local } }, settings.budgetMs);
    const what = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(" ");
    options.log(`ran ${job.id} (${what}) in ${((Date.now() - started) / 1000).toFixed(1)} s${outcome.ok ? "" : `: ${outcome.error}`}`);
    if (!outcome.ok && outcome.transient) throw new Error(outcome.error);
    const { position: _p, ...result } = outcome;
    return withoutUplot(result);
  };

  const connection = redis.duplicate();
  const worker = new Worker<RunJob, JobResult>(QUEUE_NAME, perform, { connection, concurrency: options.jobs });
  worker.on("error", (e) => options.log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await pool.close();
      redis.disconnect();
      connection.disconnect();
    },
  };
}

const UPLOT_JS = "<!--algo-sweep:uplot.js-->";
const UPLOT_CSS = "<!--algo-sweep:uplot.css-->";

/** report.html without uPlot's script and stylesheet (the same in every run), for the trip through Redis. */
function withoutUplot(outcome: Outcome): Outcome {
  const html = outcome.ok ? outcome.files?.[RUN_FILES.html] : undefined;
  if (!outcome.ok || html === undefined) return outcome;
  const { js, css } = uplotAssets();
  return { ...outcome, files: { ...outcome.files, [RUN_FILES.html]: html.split(js).join(UPLOT_JS).split(css).join(UPLOT_CSS) } };
}

/** report.html with uPlot put back. */
function withUplot(outcome: Outcome): Outcome {
  const html = outcome.ok ? outcome.files?.[RUN_FILES.html] : undefined;
  if (!outcome.ok || html === undefined) return outcome;
  const { js, css } = uplotAssets();
  return { ...outcome, files: { ...outcome.files, [RUN_FILES.html]: html.split(UPLOT_JS).join(js).split(UPLOT_CSS).join(css) } };
}
