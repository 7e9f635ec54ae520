/**
 * `npm run bench` (first part): how long `algo build` of each template takes
 * as a whole process, the way a user runs it — `node bin/algo.mjs build` in a
 * fresh `algo init` project — cold (no build/, so it compiles) and cached
 * (nothing changed, so it reuses build/algo.wasm). Medians of several runs:
 * wall clock, and CPU time (user + system, all threads) of the process, which
 * moves less when other work shares the machine; the load average is printed
 * because that work shows up in these numbers.
 *
 * BENCH_BASE=<another toolkit folder> (built with `npm run build`) times that
 * toolkit's cold build too, alternating run by run with this one, and prints
 * the ratios: the way to compare two versions on a busy machine.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TOOLKIT_ROOT } from "../src/paths.ts";

const RUNS = Number(process.env.BENCH_BUILD_RUNS ?? 5);
const TEMPLATES = (process.env.BENCH_TEMPLATES ?? "market-maker,mean-reversion,empty").split(",");
const BIN = path.join(TOOLKIT_ROOT, "bin", "algo.mjs");
const BASE_BIN = process.env.BENCH_BASE ? path.join(path.resolve(process.env.BENCH_BASE), "bin", "algo.mjs") : undefined;
// Loaded before the CLI: prints the process's own CPU time as it exits.
const CPU_PROBE = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nbench-cpu-us "+(u.user+u.system)+"\\n")})`;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function algo(bin: string, args: string[], cwd: string): Timing {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", CPU_PROBE, bin, ...args], { cwd, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`algo ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
  const cpu = /bench-cpu-us (\d+)/.exec(r.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) / 1000 : NaN };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fmt = (ms: number) => `${Math.round(ms).toLocaleString("en-US").padStart(6)} ms`;
const both = (ts: Timing[]) => `${fmt(median(ts.map((t) => t.wallMs)))} ${fmt(median(ts.map((t) => t.cpuMs)))}`;

console.log(`algo build as a whole process: median of ${RUNS} runs, Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
if (BASE_BIN) console.log(`base: ${BASE_BIN} (cold builds alternate with this toolkit's)`);
console.log(`\n${"template".padEnd(16)} ${"cold wall".padStart(9)} ${"cold cpu".padStart(9)} ${"cached".padStart(9)} ${"--version".padStart(9)}${BASE_BIN ? ` ${"base wall".padStart(9)} ${"base cpu".padStart(9)}  ratio wall, cpu` : ""}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-build-"));
try {
  for (const template of TEMPLATES) {
    const project = path.join(dir, template);
    algo(BIN, ["init", project, "--template", template], dir);
    // One build first: it writes the compiler's code cache (compiler-loader.ts), as a user's first build does.
    algo(BIN, ["build", "--force"], project);
    if (BASE_BIN) algo(BASE_BIN, ["build", "--force"], project);
    const cold: Timing[] = [];
    const base: Timing[] = [];
    const cached: Timing[] = [];
    const version: Timing[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (BASE_BIN) base.push(algo(BASE_BIN, ["build", "--force"], project));
      rmSync(path.join(project, "build"), { recursive: true, force: true });
      cold.push(algo(BIN, ["build"], project));
      cached.push(algo(BIN, ["build"], project));
      version.push(algo(BIN, ["--version"], project));
    }
    let line = `${template.padEnd(16)} ${both(cold)} ${fmt(median(cached.map((t) => t.wallMs)))} ${fmt(median(version.map((t) => t.wallMs)))}`;
    if (BASE_BIN) {
      const ratio = (pick: (t: Timing) => number) => (median(cold.map(pick)) / median(base.map(pick))).toFixed(2);
      line += ` ${both(base)}  ${ratio((t) => t.wallMs)}, ${ratio((t) => t.cpuMs)}`;
    }
    console.log(line);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\ncold: compile (assemblyscript -O2 passes, pass-list.ts) + ABI check; cached: content hash of the sources, read and check build/algo.wasm; --version: Node + the CLI bundle.\n`);
