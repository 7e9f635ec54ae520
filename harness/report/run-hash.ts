/**
 * A run's identity: SHA-256 of the module's bytes, of the data's content, and
 * of both with the deterministic result (which holds every setting: params,
 * venue models, statistics settings). The same module, data and settings give
 * the same hash on any machine; where the data file lies (its path) is no part
 * of it.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { toExactJson } from "./json.ts";
import type { BacktestResult } from "./report.ts";

export interface RunIdentity {
  module_sha256: string;
  data_sha256: string;
  /** SHA-256 over a version tag, the two hashes above and the result's exact JSON (fill log and logs included). */
  run_sha256: string;
}

const TAG = "sequence-algo backtest run v1\n";

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** SHA-256 of a file's bytes, streamed (data files can be large). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

export function runIdentity(moduleBytes: Uint8Array, dataSha256: string, result: BacktestResult): RunIdentity {
  const module_sha256 = sha256(moduleBytes);
  const run_sha256 = sha256(`${TAG}module ${module_sha256}\ndata ${dataSha256}\n${toExactJson(result, 0)}`);
  return { module_sha256, data_sha256: dataSha256, run_sha256 };
}
