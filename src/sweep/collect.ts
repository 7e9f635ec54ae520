/**
 * The part of a sweep that is the same wherever its runs execute (threads
 * here, or workers behind a queue): the first run alone (its time gives the
 * estimate; first-run.ts checks it), then the rest at once; each report
 * written to runs/<n>.json as it comes, each outcome a row.
 */
import path from "node:path";
import { runFileOf, writeAtomic } from "./folder.ts";
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

export async function collectRuns(sweep: SweepRuns, execute: (run: PlannedRun) => Promise<Outcome>): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  if (sweep.runs.length === 0) return rows;
  const finish = async (run: PlannedRun, outcome: Outcome): Promise<void> => {
    if (outcome.ok) {
      await writeAtomic(path.join(sweep.dir, runFileOf(run.run)), outcome.report + "\n");
      rows.push({ ...run, metrics: outcome.metrics });
    } else rows.push({ ...run, error: outcome.error });
    sweep.onProgress?.(rows.length, sweep.runs.length);
  };
  const [first, ...rest] = sweep.runs;
  const outcome = await execute(first);
  if (outcome.ok) {
    checkFirstRun(first.params, outcome, sweep.needs);
    sweep.onFirst?.(outcome.elapsedNs / 1e6);
  }
  await finish(first, outcome);
  await Promise.all(rest.map(async (run) => finish(run, await execute(run))));
  return rows;
}
