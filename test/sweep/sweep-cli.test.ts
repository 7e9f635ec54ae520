// `algo sweep` as a user runs it (bin/algo.mjs in a fresh market-maker
// project): params reach each run at run time, shards merged equal one
// machine's run byte for byte, threads do not change the results, and bad
// input is one line naming what was expected.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli, tempDir } from "../cli/run.ts";

let project: string;
const DATA = "synthetic:7:20000";
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });
const GRID = ["--data", DATA, "--param", "half_spread_bps=2:6:2", "--param", "size=1,2", "--maker-bps", "-1", "--taker-bps", "5"];
const FILES = ["sweep.json", "results.jsonl", "results.csv", "table.txt"];

async function folder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of FILES) out[f] = await readFile(path.join(project, dir, f), "utf8");
  for (const run of (await readdir(path.join(project, dir, "runs"))).sort())
    for (const f of (await readdir(path.join(project, dir, "runs", run))).sort()) out[`runs/${run}/${f}`] = await readFile(path.join(project, dir, "runs", run, f), "utf8");
  return out;
}

beforeAll(async () => {
  const dir = tempDir();
  const init = await runCli(["init", "mm", "--template", "market-maker"], { cwd: dir });
  expect(init.code, init.stderr).toBe(0);
  project = path.join(dir, "mm");
  const build = await runCli(["build"], { cwd: project, timeoutMs: 120_000 });
  expect(build.code, build.stderr).toBe(0);
}, 180_000);

describe("algo sweep", () => {
  it("runs every combination with its params at run time, and each run's report is what backtest reports", async () => {
    const module = path.join(project, "build", "algo.wasm");
    const before = (await stat(module)).mtimeMs;
    const r = await algo(["sweep", ...GRID, "-o", "one", "-j", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(module)).mtimeMs).toBe(before); // built once, before: no recompile per run
    expect(r.stderr).toMatch(/^sweep: 6 runs of the grid half_spread_bps 3 × size 2 = 6, on 2 threads\n {2}the first run took .+: about .+ for all 6\n$/);
    expect(r.stderr).not.toMatch(/\r/); // no progress bar on a pipe

    const rows = (await readFile(path.join(project, "one", "results.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((x) => x.params).sort((a, b) => (a.half_spread_bps + a.size).localeCompare(b.half_spread_bps + b.size))).toEqual([
      { half_spread_bps: "2", size: "1" },
      { half_spread_bps: "2", size: "2" },
      { half_spread_bps: "4", size: "1" },
      { half_spread_bps: "4", size: "2" },
      { half_spread_bps: "6", size: "1" },
      { half_spread_bps: "6", size: "2" },
    ]);
    expect(rows.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    const pnl = rows.map((x) => Number(x.metrics.net_pnl));
    expect(pnl).toEqual([...pnl].sort((a, b) => b - a));
    expect(new Set(rows.map((x) => x.metrics.fills)).size).toBeGreaterThan(1); // the params changed what the algo did
    expect(new Set(rows.map((x) => x.key)).size).toBe(6);

    // Run 3 is half_spread_bps=4, size=2 (the grid's 4th combination): the same figures as a backtest with those params.
    const three = rows.find((x) => x.run === 3);
    expect(three.params).toEqual({ half_spread_bps: "4", size: "2" });
    const bt = await algo(["backtest", "--data", DATA, "--param", "half_spread_bps=4", "--param", "size=2", "--maker-bps", "-1", "--taker-bps", "5", "--json"]);
    expect(bt.code, bt.stderr).toBe(0);
    // Its results folder holds what `algo backtest` saves for that run: the same report, the same run hash.
    const saved = JSON.parse(await readFile(path.join(project, "one", three.report, "report.json"), "utf8"));
    expect(saved).toEqual(JSON.parse(bt.stdout));
    expect(three.report).toBe(`runs/000003-${saved.run.run_sha256.slice(0, 8)}`);
    expect(three.metrics.net_pnl).toBe(stripZeros(saved.result.pnl.net_pnl_1e9));
    expect((await readdir(path.join(project, "one", three.report))).sort()).toEqual(["equity.csv", "fills.csv", "position.csv", "report.html", "report.json", "report.txt", "round-trips.csv"]);
    const opened = await algo(["report", path.join("one", three.report)]);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(/^one\/runs\/000003-[0-9a-f]{8}\n\nsweep run with half_spread_bps=4 size=2\n/);
    // Sweep runs stay in the sweep's folder: `algo results` lists the project's backtests only.
    expect((await algo(["results"])).stdout).not.toContain("000003-");

    const csv = (await readFile(path.join(project, "one", "results.csv"), "utf8")).split("\n");
    expect(csv[0]).toMatch(/^rank,run,half_spread_bps,size,net_pnl,.*,key,report$/);
    expect(csv[1]).toMatch(/,runs\/\d{6}-[0-9a-f]{8}$/);
    expect(csv).toHaveLength(8); // header, 6 runs, final newline

    const table = await readFile(path.join(project, "one", "table.txt"), "utf8");
    expect(r.stdout.startsWith(table)).toBe(true);
    expect(table).toMatch(/^6 runs by net_pnl \(higher is better\)\n\n {2}rank +run {2}half_spread_bps {2}size {2}net_pnl ▼/);
    expect(table).toContain(` ${rows[0].report.slice("runs/".length)} `); // the best run's folder
    expect(r.stdout).toContain(`\n  the best run: algo report ${path.join("one", rows[0].report)} (--open for its report.html)\n`);
  }, 180_000);

  it("gives byte-identical folders on 1 thread, and as 3 shards merged", async () => {
    const one = await folder("one"); // from the test above, on 2 threads
    const single = await algo(["sweep", ...GRID, "-o", "single", "-j", "1"]);
    expect(single.code, single.stderr).toBe(0);
    expect(await folder("single")).toEqual(one);

    for (const i of [1, 2, 3]) {
      const s = await algo(["sweep", ...GRID, "--shard", `${i}/3`, "-o", `shard${i}`]);
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toMatch(new RegExp(`^sweep: 2 runs \\(shard ${i}/3 of 6\\)`));
    }
    const merged = await algo(["sweep", "merge", "shard1", "shard2", "shard3", "-o", "merged"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(await folder("merged")).toEqual(one);
    expect(merged.stdout).toBe(single.stdout.replaceAll("single/", "merged/"));

    // The shards in any order; and a missing or repeated shard, or another sweep's, is refused.
    const reordered = await algo(["sweep", "merge", "shard3", "shard1", "shard2", "--json"]);
    expect(JSON.parse(reordered.stdout).results.map((x: { run: number }) => x.run)).toEqual(one["results.jsonl"].trim().split("\n").map((l) => JSON.parse(l).run));
    const missing = await algo(["sweep", "merge", "shard1", "shard3"]);
    expect([missing.code, missing.stderr]).toEqual([2, "error: shard 2/3 missing: merge needs every shard's folder\n"]);
    const twice = await algo(["sweep", "merge", "shard1", "shard1", "shard2", "shard3"]);
    expect([twice.code, twice.stderr]).toEqual([2, "error: shard 1/3 is given twice: shard1 and shard1\n"]);
    const other = await algo(["sweep", "--data", DATA, "--param", "half_spread_bps=2:6:2", "--param", "size=1,2", "--shard", "2/3", "-o", "other2"]);
    expect(other.code, other.stderr).toBe(0);
    const mixed = await algo(["sweep", "merge", "shard1", "other2", "shard3"]);
    expect([mixed.code, mixed.stderr]).toEqual([2, "error: other2 is a shard of another sweep than shard1 (params, sampling, settings, module or data differ)\n"]);
  }, 300_000);

  it("samples --random N with a seed: the same seed, the same runs", async () => {
    const args = ["sweep", "--data", DATA, "--param", "half_spread_bps=1:20:1", "--param", "size=1,2,3", "--random", "4", "--seed", "9", "--json"];
    const a = await algo([...args, "-o", "rand-a"]);
    const b = await algo([...args, "-o", "rand-b"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/^sweep: 4 runs of a random sample \(seed 9\) of the grid half_spread_bps 20 × size 3 = 60/);
    const params = (out: string) => JSON.parse(out).results.map((x: { params: unknown }) => x.params);
    expect(params(a.stdout)).toHaveLength(4);
    expect(params(b.stdout)).toEqual(params(a.stdout));
    expect(await readFile(path.join(project, "rand-b", "results.jsonl"), "utf8")).toBe(await readFile(path.join(project, "rand-a", "results.jsonl"), "utf8"));
  }, 180_000);

  it("keeps runs that meet --constraint in the ranking and lists the others after them", async () => {
    const r = await algo(["sweep", ...GRID, "--constraint", "fills>=1000000", "--target", "fees", "-o", "constrained", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results.every((x: { rank: null; misses: string[] }) => x.rank === null && x.misses[0] === "fills>=1000000")).toBe(true);
    expect(await readFile(path.join(project, "constrained", "table.txt"), "utf8")).toMatch(/no run meets the constraints\n {2}6 runs missed a constraint\n$/);
  }, 180_000);

  it("records a run that fails (the algo traps) with its error, ranks the others, and exits 1", async () => {
    const r = await algo(["sweep", "--data", DATA, "--param", "tick=0,0.01", "-o", "trapped"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\n {2}run 0 failed: algo trapped: market-maker: tick must be > 0 \(at assembly\/algo\.ts:\d+:\d+ in onStart/);
    const rows = (await readFile(path.join(project, "trapped", "results.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.run, x.rank, x.report])).toEqual([
      [1, 1, expect.stringMatching(/^runs\/000001-[0-9a-f]{8}$/)],
      [0, null, null],
    ]);
    expect(rows[1].error).toMatch(/^algo trapped: market-maker: tick must be > 0/);
  }, 180_000);

  // util-linux `script` gives the CLI a terminal; skipped where it is missing.
  it.skipIf(!existsSync("/usr/bin/script"))("draws a progress bar with an ETA on a terminal only", async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} sweep --data ${DATA} -p half_spread_bps=1:4:1 -o tty`;
    const { stdout } = await promisify(execFile)("/usr/bin/script", ["-qec", command, "/dev/null"], { cwd: project, timeout: 120_000 });
    expect(stdout).toMatch(/\r {2}\[#+-*\] 1\/4 runs · ETA [\d.]+ s/);
    expect(stdout).toMatch(/\r {2}\[#{20}\] 4\/4 runs · ETA 0\.0 s/);
    expect(stdout).toMatch(/4 runs by net_pnl/);
  }, 180_000);

  it("--capital and --from/--to reach every run: returns in % of the capital, only the range replayed", async () => {
    // synthetic data starts 2024-01-02T14:30:00Z, one record per ms: --from 14:30:05 skips the first 5,000 records
    const r = await algo(["sweep", "--data", DATA, "--param", "half_spread_bps=2,4", "--capital", "10000", "--from", "2024-01-02T14:30:05Z", "--target", "return_pct", "-o", "cap", "-j", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(project, "cap", "sweep.json"), "utf8"));
    expect(JSON.stringify(manifest)).toContain('"capital":"10000"');
    for (const f of await readdir(path.join(project, "cap", "runs"))) {
      const report = JSON.parse(await readFile(path.join(project, "cap", "runs", f, "report.json"), "utf8")).result;
      expect(report.account.capital_1e9).toBe(10_000_000_000_000); // 10,000 USD at 1e9
      expect(report.data.ticks).toBe(15_000);
      expect(report.statistics.settings.capital_base).toBe("capital");
    }
  });

  it("refuses bad input in one line (exit 2) before running anything", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--param", "half_spread=1,2"], /^sweep: .*\nerror: --param half_spread: the algo never reads it \(a typo\?\); nothing was swept\n$/],
      [["--param", "half_spread_bps=1:5"], /^error: --param half_spread_bps=1:5: expected start:end:step with decimal numbers, e.g. 0.5:5:0.5\n$/],
      [["--param", "size=1", "--target", "pnl"], /^error: --target pnl: unknown figure; expected one of net_pnl, realized_pnl, .*max_dd_pct/],
      [["--param", "size=1", "--target", "profit_factor"], /error: --target profit_factor: this backtest report has no gross profit \/ gross loss; it has net_pnl, /],
      [["--param", "size=1", "--shard", "4/3"], /^error: --shard 4\/3: expected i\/n with 1 ≤ i ≤ n, e.g. 1\/4\n$/],
      [["--param", "size=1", "-j", "0"], /^error: -j 0: expected a whole number ≥ 1\n$/],
      [["--param", "size=1", "--data", "nope.csv"], /^error: --data nope.csv: no such file/],
    ];
    for (const [args, expected] of cases) {
      const r = await algo(["sweep", "--data", DATA, ...args, "-o", "bad"]); // a second --data wins
      expect([r.code, r.stderr], args.join(" ")).toEqual([2, expect.stringMatching(expected)]);
    }
    await expect(stat(path.join(project, "bad", "sweep.json"))).rejects.toThrow();
    await expect(stat(path.join(project, "bad"))).rejects.toThrow(); // the runs done before the typo was seen are removed, and the folder
    expect((await algo(["sweep", "--data", DATA, "--param", "size=1", "-o", "dup"])).code).toBe(0);
    const again = await algo(["sweep", "--data", DATA, "--param", "size=1", "-o", "dup"]);
    expect([again.code, again.stderr]).toEqual([2, "error: -o dup: it already holds a sweep; choose another folder\n"]);
  }, 180_000);
});

function stripZeros(units1e9: number | string): string {
  const v = BigInt(units1e9);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return (neg ? "-" : "") + (a / 1_000_000_000n).toString() + (frac ? "." + frac : "");
}
