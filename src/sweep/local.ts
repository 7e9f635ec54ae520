/** Runs a sweep's runs on this machine's cores, one worker thread per job (pool.ts), over the data decoded once, each writing its run's folder. */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { runWithBudget } from "./budgeted.ts";
import { collectRuns, type SweepRuns } from "./collect.ts";
import { sweepWorkerUrl, WorkerPool } from "./pool.ts";
import { decodeSettingsData } from "./shared-data.ts";
import type { RunRow } from "./rank.ts";
import type { RunOutcome, RunRequest } from "./run-one.ts";
import type { RunSettings } from "./settings.ts";

export interface LocalSweep extends SweepRuns {
  moduleBytes: Uint8Array;
  settings: RunSettings;
  /** Threads. */
  jobs: number;
}

export async function runLocally(sweep: LocalSweep): Promise<RunRow[]> {
  if (sweep.runs.length === 0) return [];
  const threads = Math.max(1, Math.min(sweep.jobs, sweep.runs.length));
  const pool = new WorkerPool<RunRequest, RunOutcome>(sweepWorkerUrl(), threads, { moduleBytes: sweep.moduleBytes, settings: sweep.settings });
  const saveIn = path.join(sweep.dir, "runs");
  // What this sweep made, removed if it stops early: its folder, or the runs/ in a folder that was there.
  const made = existsSync(sweep.dir) ? (existsSync(saveIn) ? undefined : saveIn) : sweep.dir;
  let finished = false;
  try {
    // Decoded once while the threads start and compile the module; shared by every run.
    const records = await decodeSettingsData(sweep.settings);
    const rows = await collectRuns(
      sweep,
      async (run) => {
        const { position: _position, ...outcome } = await runWithBudget(pool, { position: run.run, params: run.params, saveIn, records }, sweep.settings.budgetMs);
        return outcome;
      },
      threads,
    );
    finished = true;
    return rows;
  } finally {
    await pool.close();
    // A sweep stopped early (a typo in a param, a data error) leaves no run folders it made behind.
    if (!finished && made) await rm(made, { recursive: true, force: true });
  }
}
