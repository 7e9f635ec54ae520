/** `algo worker --queue redis://…`: takes the runs of `algo sweep --queue` from BullMQ and runs them on this machine's cores. */
import os from "node:os";
import type { Command } from "@commander-js/extra-typings";
import { redisUrl } from "../sweep/redis-url.ts";
import { UsageError } from "./errors.ts";
import { wholeOption } from "./options.ts";

export async function workerCommand(opts: { queue?: string; jobs: number }): Promise<void> {
  if (!opts.queue) throw new UsageError("--queue is required: the Redis URL the sweep uses, e.g. --queue redis://127.0.0.1:6379");
  const { startQueueWorker } = await import("../sweep/queue.ts");
  const worker = await startQueueWorker({ url: opts.queue, jobs: opts.jobs, baseDir: process.cwd(), log: (line) => console.error(line) });
  console.error(`worker: taking sweep runs from ${opts.queue} on ${opts.jobs} thread${opts.jobs === 1 ? "" : "s"}; data is read from ${process.cwd()} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  console.error("worker: stopping after the runs in hand");
  await worker.close();
}

export function register(program: Command): void {
  program
    .command("worker")
    .description("run the runs of 'algo sweep --queue' from a Redis queue (BullMQ) on this machine's cores, until stopped")
    .option("--queue <url>", "the Redis URL, e.g. redis://10.0.0.5:6379", redisUrl)
    .addOption(wholeOption("-j, --jobs <n>", "threads to run on", { min: 1 }).default(os.availableParallelism()))
    .addHelpText("after", "\nRun it where the sweep's data is (the same file, or synthetic/sp500 data).\n\nExample:\n  $ algo worker --queue redis://10.0.0.5:6379")
    .action(async (opts) => workerCommand(opts));
}
