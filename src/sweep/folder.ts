/**
 * A sweep's output folder:
 *   sweep.json     what was swept and how (the manifest; shard null when whole)
 *   results.jsonl  one run a line, ranked (rank.ts)
 *   results.csv    the same as a table
 *   table.txt      the ranked table as printed
 *   runs/<n>-<hash>/  each run's results folder, as `algo backtest` saves one
 *                  (report.json, report.txt, report.html, fills, round trips,
 *                  equity and position; src/results/): `algo report <it>` opens it
 * Everything in it is deterministic: the same sweep gives byte-identical files,
 * whether it ran on one machine or in shards merged afterwards.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
  /** As package.json's sequence.backtest (settings.ts describeSettings). */
  settings: Record<string, unknown>;
  module_sha256: string;
  data_id: string;
}

export function samplingOf(m: SweepManifest): Sampling {
  return m.sampling.kind === "grid" ? { kind: "grid" } : { kind: "random", count: m.sampling.count, seed: BigInt(m.sampling.seed) };
}

/** A run's folder under runs/: its position and the start of its run hash (the one `algo backtest` prints for the same run). */
export function runFolderName(run: number, runSha256: string): string {
  return `${String(run).padStart(6, "0")}-${runSha256.slice(0, 8)}`;
}

/** Writes a run's files into `dir` through a temporary folder, so a crash never leaves half a run under the real name. */
export function writeRunFolder(dir: string, files: Readonly<Record<string, string>>): void {
  const tmp = `${dir}.partial-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  mkdirSync(tmp, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(tmp, name), text);
  rmSync(dir, { recursive: true, force: true }); // a run left by an interrupted sweep in the same folder
  renameSync(tmp, dir);
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
    report: r.folder === undefined ? null : `runs/${r.folder}`,
  };
}

function csv(manifest: SweepManifest, ranked: readonly RankedRow[]): string {
  const metrics = Object.keys(METRICS).filter((m) => ranked.some((r) => r.metrics?.[m] !== undefined));
  const header = ["rank", "run", ...manifest.axes.map((a) => a.name), ...metrics, "misses", "error", "key", "report"];
  const lines = ranked.map((r) => [
    r.rank === null ? "" : String(r.rank),
    String(r.run),
    ...manifest.axes.map((a) => r.params[a.name]),
    ...metrics.map((m) => r.metrics?.[m] ?? ""),
    r.misses.join(" "),
    r.error ?? "",
    r.key,
    r.folder === undefined ? "" : `runs/${r.folder}`,
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
      const folder = typeof r.report === "string" ? r.report.replace(/^runs\//, "") : undefined;
      return { run: r.run, params: r.params, key: r.key, metrics: r.metrics, error: r.error, folder };
    } catch (e) {
      throw new UsageError(`${rowsFile}:${i + 1}: not a sweep result row (${(e as Error).message})`);
    }
  });
  return { manifest, rows };
}
