/**
 * `npm run bench` (first part): how long `algo build` of each template takes
 * as a whole process, the way a user runs it — `node bin/algo.mjs build` in a
 * fresh `algo init` project — cold (no build/, so it compiles) and cached
 * (nothing changed, so it reuses build/algo.wasm). Medians of several runs,
 * wall clock; the load average is printed because other work on the machine
 * shows up in these numbers.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TOOLKIT_ROOT } from "../src/paths.ts";

const RUNS = Number(process.env.BENCH_BUILD_RUNS ?? 5);
const TEMPLATES = (process.env.BENCH_TEMPLATES ?? "market-maker,mean-reversion,empty").split(",");
const BIN = path.join(TOOLKIT_ROOT, "bin", "algo.mjs");

function algo(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`algo ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US").padStart(6)} ms`;

console.log(`algo build as a whole process: median of ${RUNS} runs, Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}\n`);
console.log(`${"template".padEnd(16)} ${"cold".padStart(9)} ${"cached".padStart(9)} ${"--version".padStart(9)}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-build-"));
try {
  for (const template of TEMPLATES) {
    const project = path.join(dir, template);
    algo(["init", project, "--template", template], dir);
    const cold: number[] = [];
    const cached: number[] = [];
    const version: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      rmSync(path.join(project, "build"), { recursive: true, force: true });
      cold.push(algo(["build"], project));
      cached.push(algo(["build"], project));
      version.push(algo(["--version"], project));
    }
    console.log(`${template.padEnd(16)} ${fmt(median(cold))} ${fmt(median(cached))} ${fmt(median(version))}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\ncold: compile (assemblyscript -O2) + ABI check; cached: content hash of the sources, read and check build/algo.wasm; --version: Node + the CLI bundle.\n`);
