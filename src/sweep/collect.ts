/**
 * The part of a sweep that is the same wherever its runs execute (threads
 * here, or workers behind a queue): the first runs (as many as run at once),
 * the first of them to finish checked (first-run.ts) and timed for the
 * estimate, then the rest; each outcome a row, each run's results folder in
 * runs/ (written by the thread that ran it, or here from the files a queue
 * worker sent back).
 */
import path from "node:path";
import { runFolderName, writeRunFolder } from "./folder.ts";
import { checkFirstRun, type FigureNeed } from "./first-run.ts";
import type { RunRow } from "./rank.ts";
import type { RunOutcome } from "./run-one.ts";

export interface PlannedRun {
  /** Position in the sweep's run list. */
  run: number;
  params: Record<string, string>;
  /** Content address (settings.ts runKey). */
  key: string;
}

export interface SweepRuns {
  runs: PlannedRun[];
  /** Figures the ranking needs (target and constraints). */
  needs: FigureNeed[];
  /** The output folder. */
  dir: string;
  /** After the first run: how long it took. */
  onFirst?(elapsedMs: number): void;
  /** After each run. */
  onProgress?(done: number, total: number): void;
}

/** An outcome without its position (the caller knows which run it asked for). */
export type Outcome = Omit<Extract<RunOutcome, { ok: true }>, "position"> | { ok: false; error: string };

/**
 * Runs `sweep.runs` through `execute`, `startAtOnce` of them before the first
 * check (the threads' count locally: no core waits for the first run; 1 on a
 * queue, where a typo should not reach every machine). `execute` never rejects.
 */
export async function collectRuns(sweep: SweepRuns, execute: (run: PlannedRun) => Promise<Outcome>, startAtOnce = 1): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  if (sweep.runs.length === 0) return rows;
  const finish = (run: PlannedRun, outcome: Outcome): void => {
    if (outcome.ok) {
      const folder = outcome.folder ?? runFolderName(run.run, outcome.runSha256);
      if (outcome.files) writeRunFolder(path.join(sweep.dir, "runs", folder), outcome.files);
      rows.push({ ...run, metrics: outcome.metrics, folder });
    } else rows.push({ ...run, error: outcome.error });
    sweep.onProgress?.(rows.length, sweep.runs.length);
  };
  const head = sweep.runs.slice(0, Math.max(1, startAtOnce));
  const started = head.map((run) => execute(run).then((outcome) => ({ run, outcome })));
  const first = await Promise.race(started);
  if (first.outcome.ok) {
    checkFirstRun(first.run.params, first.outcome, sweep.needs);
    sweep.onFirst?.(first.outcome.elapsedNs / 1e6);
  }
  await Promise.all([
    ...started.map(async (p) => {
      const { run, outcome } = await p;
      finish(run, outcome);
    }),
    ...sweep.runs.slice(head.length).map(async (run) => finish(run, await execute(run))),
  ]);
  return rows;
}
