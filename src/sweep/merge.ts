/**
 * `algo sweep merge`: the folders of a sweep's shards → one folder, ranked
 * exactly as if the sweep had run on one machine. Refuses folders of
 * different sweeps, a shard given twice and a missing shard.
 */
import { cp, mkdir } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../cli/errors.ts";
import { readFolder, type SweepManifest } from "./folder.ts";
import type { RunRow } from "./rank.ts";

export interface Merged {
  manifest: SweepManifest;
  rows: RunRow[];
  /** The shard folder each run came from. */
  shardOf: Map<number, string>;
}

export async function mergeFolders(dirs: readonly string[]): Promise<Merged> {
  if (dirs.length === 0) throw new UsageError("sweep merge: name the shards' output folders");
  const parts = await Promise.all(dirs.map(async (dir) => ({ dir, ...(await readFolder(dir)) })));
  const identity = (m: SweepManifest) => JSON.stringify({ ...m, shard: null });
  const first = parts[0];
  for (const p of parts.slice(1))
    if (identity(p.manifest) !== identity(first.manifest))
      throw new UsageError(`${p.dir} is a shard of another sweep than ${first.dir} (params, sampling, settings, module or data differ)`);
  const count = first.manifest.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const index = p.manifest.shard?.index ?? 1;
    if ((p.manifest.shard?.count ?? 1) !== count) throw new UsageError(`${p.dir} is shard ${index}/${p.manifest.shard?.count ?? 1}, ${first.dir} is one of ${count}`);
    if (seen.has(index)) throw new UsageError(`shard ${index}/${count} is given twice: ${seen.get(index)} and ${p.dir}`);
    seen.set(index, p.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new UsageError(`shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} missing: merge needs every shard's folder`);

  const rows: RunRow[] = [];
  const shardOf = new Map<number, string>();
  for (const p of parts)
    for (const row of p.rows) {
      if (shardOf.has(row.run)) throw new UsageError(`run ${row.run} is in two folders (${shardOf.get(row.run)} and ${p.dir})`);
      shardOf.set(row.run, p.dir);
      rows.push(row);
    }
  if (rows.length !== first.manifest.runs) throw new UsageError(`the shards hold ${rows.length} runs; the sweep has ${first.manifest.runs}: a shard folder is incomplete`);
  return { manifest: { ...first.manifest, shard: null }, rows, shardOf };
}

/** Copies the runs' results folders into the merged folder: each stays openable (`algo report <dir>/runs/<run>`). */
export async function copyReports(merged: Merged, dir: string): Promise<void> {
  await mkdir(path.join(dir, "runs"), { recursive: true });
  for (const row of merged.rows)
    if (row.folder !== undefined) await cp(path.join(merged.shardOf.get(row.run)!, "runs", row.folder), path.join(dir, "runs", row.folder), { recursive: true, errorOnExist: false });
}
