/**
 * `npm run bench:sweep`: a sweep's throughput on 2 threads against 1.
 *
 * 16 runs of the market-maker template (half_spread_bps 5, 10, …, 80) over
 * the same synthetic ticks, through the pool `algo sweep` uses; each case is
 * timed from the first job sent to the last result, the threads already
 * started and the module compiled (what a long sweep's throughput is made of).
 * The target: 2 cores ≥ 1.8× the runs per second of 1.
 */
import os from "node:os";
import path from "node:path";
import { compileAlgo } from "../src/build/compile.ts";
import { TEMPLATES_DIR } from "../src/paths.ts";
import { sweepWorkerUrl, WorkerPool } from "../src/sweep/pool.ts";
import type { RunOutcome, RunRequest } from "../src/sweep/run-one.ts";
import type { RunSettings } from "../src/sweep/settings.ts";
import { dataSha256 } from "../src/cli/data-hash.ts";

const RUNS = 16;
// Runs of about a second each: long enough that thread hand-offs do not dominate, as in a real sweep.
const TICKS = Number(process.env.BENCH_TICKS ?? 2_000_000);

const compiled = await compileAlgo(path.join(TEMPLATES_DIR, "market-maker", "assembly", "algo.ts"));
const data = `synthetic:7:${TICKS}`;
const settings: RunSettings = {
  data,
  baseDir: process.cwd(),
  flags: { makerBps: "-1", takerBps: "5" },
  params: {},
  budgetMs: 60_000,
  dataSha256: await dataSha256(data),
  callbacks: compiled.callbacks,
};
const requests: RunRequest[] = Array.from({ length: RUNS }, (_, i) => ({ position: i, params: { half_spread_bps: String(5 * (i + 1)) } }));

async function runsPerSecond(threads: number): Promise<number> {
  const pool = new WorkerPool<RunRequest, RunOutcome>(sweepWorkerUrl(), threads, { moduleBytes: compiled.wasm, settings });
  try {
    // One run per thread first: thread start-up and the JIT's warm-up are not a sweep's steady state.
    await Promise.all(requests.slice(0, threads).map((r) => pool.run(r)));
    const started = process.hrtime.bigint();
    const outcomes = await Promise.all(requests.map((r) => pool.run(r)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) throw new Error(`run ${failed.position} failed: ${failed.error}`);
    return RUNS / seconds;
  } finally {
    await pool.close();
  }
}

console.log(`sweep bench: ${RUNS} runs of the market-maker template over ${TICKS.toLocaleString("en-US")} synthetic ticks each; ${os.availableParallelism()} cores available`);
const one = await runsPerSecond(1);
console.log(`  1 thread : ${one.toFixed(2)} runs/s`);
const two = await runsPerSecond(2);
console.log(`  2 threads: ${two.toFixed(2)} runs/s`);
const ratio = two / one;
console.log(`  throughput ratio ${ratio.toFixed(2)}× (target ≥ 1.8×${ratio >= 1.8 ? ", met" : ", NOT met on this machine now"})`);
// Other processes on the cores take from the second thread first: say how busy the machine was.
const [load] = os.loadavg();
if (load > 1) console.log(`  note: load average ${load.toFixed(1)} on ${os.availableParallelism()} cores while measuring; on a busy machine the ratio says little`);
