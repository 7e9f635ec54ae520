/**
 * A worker thread of a local sweep: compiles the module once, then runs
 * what the pool sends, one at a time. Bundled to dist/sweep-worker.mjs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runOne, type RunRequest } from "./run-one.ts";
import type { RunSettings } from "./settings.ts";

const port = parentPort;
if (!port) throw new Error("sweep-worker runs as a worker thread");
const init = workerData as { moduleBytes: Uint8Array; settings: RunSettings };
const module = new WebAssembly.Module(init.moduleBytes as Uint8Array<ArrayBuffer>);
port.on("message", (request: RunRequest) => {
  void runOne(module, init.settings, request).then((outcome) => port.postMessage(outcome));
});
