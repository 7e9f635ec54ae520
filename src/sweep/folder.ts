/**
 * A sweep's output folder:
 *   sweep.json     what was swept and how (the manifest; shard null when whole)
 *   results.jsonl  one run a line, ranked (rank.ts)
 *   results.csv    the same as a table
 *   table.txt      the ranked table as printed
 *   runs/<n>.json  each run's report (the deterministic part, as `algo backtest --json`)
 * Everything in it is deterministic: the same sweep gives byte-identical files,
 * whether it ran on one machine or in shards merged afterwards.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../cli/errors.ts";
import type { Shard, ParamAxis, Sampling } from "./space.ts";
import type { RankedRow, RunRow } from "./rank.ts";
import { METRICS } from "./metrics.ts";

export const MANIFEST_FORMAT = 1;

export interface SweepManifest {
  format: number;
  axes: ParamAxis[];
  sampling: { kind: "grid" } | { kind: "random"; count: number; seed: string };
  /** Runs in the whole sweep (all shards). */
  runs: number;
  shard: Shard | null;
  target: string;
  constraints: string[];
  settings: Record<string, string>;
  module_sha256: string;
  data_id: string;
}

export function samplingOf(m: SweepManifest): Sampling {
  return m.sampling.kind === "grid" ? { kind: "grid" } : { kind: "random", count: m.sampling.count, seed: BigInt(m.sampling.seed) };
}

export function runFileOf(run: number): string {
  return path.join("runs", `${String(run).padStart(6, "0")}.json`);
}

/** Writes a file through a temporary name, so a crash never leaves half a file under the real one. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export async function writeResults(dir: string, manifest: SweepManifest, ranked: readonly RankedRow[], table: string): Promise<void> {
  await writeAtomic(path.join(dir, "results.jsonl"), ranked.map((r) => JSON.stringify(jsonRow(r)) + "\n").join(""));
  await writeAtomic(path.join(dir, "results.csv"), csv(manifest, ranked));
  await writeAtomic(path.join(dir, "table.txt"), table + "\n");
  // The manifest last: a folder with a sweep.json is a finished one (merge reads only those).
  await writeAtomic(path.join(dir, "sweep.json"), JSON.stringify(manifest, null, 2) + "\n");
}

function jsonRow(r: RankedRow): Record<string, unknown> {
  return {
    rank: r.rank,
    run: r.run,
    params: r.params,
    ...(r.metrics ? { metrics: r.metrics } : {}),
    ...(r.misses.length ? { misses: r.misses } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    key: r.key,
    report: r.error === undefined ? runFileOf(r.run) : null,
  };
}

function csv(manifest: SweepManifest, ranked: readonly RankedRow[]): string {
  const metrics = Object.keys(METRICS).filter((m) => ranked.some((r) => r.metrics?.[m] !== undefined));
  const header = ["rank", "run", ...manifest.axes.map((a) => a.name), ...metrics, "misses", "error", "key"];
  const lines = ranked.map((r) => [
    r.rank === null ? "" : String(r.rank),
    String(r.run),
    ...manifest.axes.map((a) => r.params[a.name]),
    ...metrics.map((m) => r.metrics?.[m] ?? ""),
    r.misses.join(" "),
    r.error ?? "",
    r.key,
  ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(",")).join("\n") + "\n";
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A finished sweep folder: its manifest and rows (for `algo sweep merge`). */
export async function readFolder(dir: string): Promise<{ manifest: SweepManifest; rows: RunRow[] }> {
  const manifestFile = path.join(dir, "sweep.json");
  const text = await readFile(manifestFile, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${dir}: not a finished sweep folder (cannot read ${manifestFile}: ${e.code ?? e.message})`);
  });
  let manifest: SweepManifest;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${manifestFile}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== MANIFEST_FORMAT) throw new UsageError(`${manifestFile}: expected a sweep manifest of format ${MANIFEST_FORMAT}`);
  const rowsFile = path.join(dir, "results.jsonl");
  const lines = (await readFile(rowsFile, "utf8")).split("\n").filter((l) => l !== "");
  const rows = lines.map((line, i): RunRow => {
    try {
      const r = JSON.parse(line);
      if (typeof r.run !== "number" || typeof r.key !== "string" || typeof r.params !== "object") throw new Error("expected run, params and key");
      return { run: r.run, params: r.params, key: r.key, metrics: r.metrics, error: r.error };
    } catch (e) {
      throw new UsageError(`${rowsFile}:${i + 1}: not a sweep result row (${(e as Error).message})`);
    }
  });
  return { manifest, rows };
}
