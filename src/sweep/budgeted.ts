/**
 * A run on the pool under the per-callback budget, as `algo backtest` runs
 * one (cli/backtest-run.ts): a batched call (many records) that outran it is
 * run again one callback per call, so the error names the callback that hung
 * and a batch that was merely long completes. Never rejects: a thread that
 * died or a callback over budget is the run's error, marked transient (it
 * depends on the machine, not only on the run).
 */
import { overBudget } from "../cli/backtest-run.ts";
import { CallbackOverrun, type WorkerPool } from "./pool.ts";
import type { RunOutcome, RunRequest } from "./run-one.ts";

export async function runWithBudget(pool: WorkerPool<RunRequest, RunOutcome>, request: RunRequest, budgetMs: number): Promise<RunOutcome> {
  try {
    return await pool.run(request, budgetMs);
  } catch (e) {
    if (e instanceof CallbackOverrun && e.call.records > 1 && !request.exact) return runWithBudget(pool, { ...request, exact: true }, budgetMs);
    const error = e instanceof CallbackOverrun ? overBudget(e.call, budgetMs) : (e as Error).message;
    return { position: request.position, ok: false, error, transient: true };
  }
}
