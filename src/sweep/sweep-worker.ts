/**
 * A worker thread of a sweep: compiles a module once (kept by its SHA-256),
 * then runs what the pool sends, one at a time, publishing each call into the
 * module in the shared CallbackWatch the pool's watchdog reads (pool.ts). A
 * local sweep gives its module and settings at start; a queue worker sends
 * them with each run. Bundled to dist/sweep-worker.mjs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CallbackWatch } from "../../harness/callback-watch.ts";
import { runOne, type RunRequest } from "./run-one.ts";
import type { RunSettings } from "./settings.ts";

const port = parentPort;
if (!port) throw new Error("sweep-worker runs as a worker thread");
const init = workerData as { moduleBytes?: Uint8Array; settings?: RunSettings; watch: SharedArrayBuffer };
const watch = new CallbackWatch(init.watch);
const own = init.moduleBytes ? new WebAssembly.Module(init.moduleBytes as Uint8Array<ArrayBuffer>) : undefined;
const compiled = new Map<string, WebAssembly.Module>();

port.on("message", (request: RunRequest) => {
  const job = request.job;
  let module = own;
  let bytes = init.moduleBytes;
  let settings = init.settings;
  if (job) {
    module = compiled.get(job.moduleSha256);
    if (!module) compiled.set(job.moduleSha256, (module = new WebAssembly.Module(job.moduleBytes as Uint8Array<ArrayBuffer>)));
    bytes = job.moduleBytes;
    settings = job.settings;
  }
  if (!module || !bytes || !settings) throw new Error("sweep-worker: a run without a module or settings");
  void runOne(module, bytes, settings, request, watch).then((outcome) => port.postMessage(outcome));
});
