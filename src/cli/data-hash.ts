/** The content hash of a `--data` spec, for the run hash (harness/report/run-hash.ts). */
import path from "node:path";
import { sp500Path } from "../../harness/data/index.ts";
import { sha256, sha256File } from "../../harness/report/run-hash.ts";

/**
 * A file (and the bundled sp500 CSV): SHA-256 of its bytes. Synthetic data is
 * a function of its seed and count, so it is the hash of the normalised spec.
 * Call after resolveData accepted the spec.
 */
export function dataSha256(spec: string, baseDir = process.cwd()): Promise<string> {
  if (spec === "sp500") return sha256File(sp500Path());
  if (spec === "synthetic" || spec.startsWith("synthetic:")) {
    const [, seed = "1", count = "1000000"] = spec.split(":");
    return Promise.resolve(sha256(`synthetic:${BigInt(seed)}:${BigInt(count)}`));
  }
  return sha256File(path.resolve(baseDir, spec));
}
