/**
 * Runs a sweep's runs on this machine's cores: the first run alone (its time
 * gives the estimate, and its report shows a misspelt param or a figure the
 * report lacks before the other runs start), then the rest on every thread.
 */
import path from "node:path";
import { UsageError } from "../cli/errors.ts";
import { runFileOf, writeAtomic } from "./folder.ts";
import { MissingMetricError } from "./metrics.ts";
import { sweepWorkerUrl, WorkerPool } from "./pool.ts";
import type { RunRow } from "./rank.ts";
import type { RunOutcome, RunRequest } from "./run-one.ts";
import type { RunSettings } from "./settings.ts";

export interface LocalSweep {
  moduleBytes: Uint8Array;
  settings: RunSettings;
  /** The runs to do, as positions in the sweep's list, with their params and content address. */
  runs: Array<{ run: number; params: Record<string, string>; key: string }>;
  /** Figures the ranking needs (target and constraints): checked on the first run. */
  needs: Array<{ metric: string; flag: string }>;
  jobs: number;
  /** The output folder; each run's report goes to runs/<n>.json as it finishes. */
  dir: string;
  /** After the first run: how long it took. */
  onFirst?(elapsedMs: number): void;
  /** After each run. */
  onProgress?(done: number, total: number): void;
}

export async function runLocally(sweep: LocalSweep): Promise<RunRow[]> {
  if (sweep.runs.length === 0) return [];
  const threads = Math.max(1, Math.min(sweep.jobs, sweep.runs.length));
  const pool = new WorkerPool<RunRequest, RunOutcome>(sweepWorkerUrl(), threads, { moduleBytes: sweep.moduleBytes, settings: sweep.settings });
  const rows: RunRow[] = [];
  let done = 0;
  const byPosition = new Map(sweep.runs.map((r) => [r.run, r]));
  const finish = async (outcome: RunOutcome): Promise<void> => {
    const run = byPosition.get(outcome.position)!;
    if (outcome.ok) {
      await writeAtomic(path.join(sweep.dir, runFileOf(run.run)), outcome.report + "\n");
      rows.push({ ...run, metrics: outcome.metrics });
    } else rows.push({ ...run, error: outcome.error });
    sweep.onProgress?.(++done, sweep.runs.length);
  };
  const request = (r: (typeof sweep.runs)[number]) => pool.run({ position: r.run, params: r.params });
  try {
    const first = await request(sweep.runs[0]);
    if (first.ok) {
      const unread = Object.keys(sweep.runs[0].params).filter((name) => first.unused.includes(name));
      if (unread.length) throw new UsageError(`--param ${unread.join(", ")}: the algo never reads ${unread.length === 1 ? "it" : "them"} (a typo?); nothing was swept`);
      for (const need of sweep.needs) if (first.metrics[need.metric] === undefined) throw new MissingMetricError(need.metric, need.flag, Object.keys(first.metrics));
      sweep.onFirst?.(first.elapsedNs / 1e6);
    }
    await finish(first);
    await Promise.all(sweep.runs.slice(1).map((r) => request(r).then(finish)));
  } finally {
    await pool.close();
  }
  return rows;
}
