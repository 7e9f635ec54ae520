// A sweep's output folder as one object (file path → text), to compare two sweeps' folders byte for byte.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export async function readSweepFolder(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of ["sweep.json", "results.jsonl", "results.csv", "table.txt"]) out[f] = await readFile(path.join(root, f), "utf8");
  for (const run of (await readdir(path.join(root, "runs"))).sort())
    for (const f of (await readdir(path.join(root, "runs", run))).sort()) out[`runs/${run}/${f}`] = await readFile(path.join(root, "runs", run, f), "utf8");
  return out;
}
