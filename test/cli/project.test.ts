// The path a user walks (issue 3): init a project from a template, build it,
// backtest it, as a user runs it: through bin/algo.mjs in a child process.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseLossless, isInteger } from "lossless-json";
import { writeSyntheticCsv } from "../../harness/data/index.ts";
import { runCli } from "./run.ts";

let dir: string;
let project: string;
let ticks: string;

const algo = (args: string[], cwd = project) => runCli(args, { cwd, timeoutMs: 60_000 });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "algo-cli-"));
  ticks = path.join(dir, "ticks.csv");
  await writeSyntheticCsv(ticks, { seed: 11, count: 50_000 });
  const init = await algo(["init", "my-mm", "--template", "market-maker"], dir);
  expect(init.code, init.stderr).toBe(0);
  project = path.join(dir, "my-mm");
}, 60_000);

describe("algo init → build → backtest", () => {
  it("writes a standalone project that pins no path of this machine (test/e2e/install.test.ts moves one)", async () => {
    expect(existsSync(path.join(project, "assembly", "algo.ts"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules"))).toBe(false);
    expect(await readFile(path.join(project, "package.json"), "utf8")).not.toMatch(/sequence-algo"|file:/);
  });

  it("refuses to init over a non-empty folder and names the templates on a typo", async () => {
    expect((await algo(["init", "my-mm"], dir)).stderr).toMatch(/exists and is not empty/);
    const typo = await algo(["init", "x", "--template", "market-makr"], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown template "market-makr"; choose one of: .*market-maker/);
  });

  it("builds and prints size and callbacks", async () => {
    const { stdout, stderr, code } = await algo(["build"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/built build\/algo\.wasm: [\d,]+ bytes, ABI v1\.3/);
    expect(stdout).toMatch(/callbacks: .*on_quote/);
    expect(existsSync(path.join(project, "build", "algo.wasm"))).toBe(true);
  }, 60_000);

  it("backtests with --json: exact integers, byte-identical across runs", async () => {
    const args = ["backtest", "--data", ticks, "--json", "--maker-bps", "-1", "--taker-bps", "5", "--param", "half_spread_bps=0"];
    const a = await algo(args);
    expect(a.code, a.stderr).toBe(0);
    const b = await algo(args);
    expect(b.stdout).toBe(a.stdout);
    // Parsed losslessly, every fixed-point field is an integer literal (never a float, never a string).
    const report = parseLossless(a.stdout) as { result: { pnl: Record<string, unknown>; fills: { count: unknown }; data: { ticks: unknown } } };
    for (const [key, value] of Object.entries(report.result.pnl)) expect(isInteger(String(value)), key).toBe(true);
    expect(Number(String(report.result.data.ticks))).toBe(50_000);
    expect(Number(String(report.result.fills.count))).toBeGreaterThan(0);
  }, 60_000);

  it("prints a human report with PnL, fees, fills, drawdown and speed", async () => {
    const { stdout, code } = await algo(["backtest", "--data", ticks, "--no-progress"]);
    expect(code).toBe(0);
    for (const label of ["realized PnL", "unrealized PnL", "fees", "max drawdown", "final position", "fills", "ticks replayed", "ticks/s", "callback latency"])
      expect(stdout).toContain(label);
    expect(stdout).toMatch(/SYNTHETIC/);
  }, 60_000);

  it("backtests with feed, entry and response latency: the report states them, and a seed repeats the run", async () => {
    const flags = ["--feed-latency", "uniform:100000:300000", "--entry-latency", "250000", "--response-latency", "lognormal:200000:0.5"];
    const text = await algo(["backtest", "--data", ticks, "--no-progress", ...flags, "--seed", "9"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("latency feed uniform:100000:300000 / entry 250000 / response lognormal:200000:0.5 ns, seed 9");
    const json = (seed: string) => algo(["backtest", "--data", ticks, "--json", ...flags, "--seed", seed]);
    const [a, b, c] = [await json("9"), await json("9"), await json("10")];
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    expect(a.stdout).toContain('"latency_seed": "9"');
  }, 60_000);

  it("runs the project's own tests with algo test", async () => {
    const { code, stdout, stderr } = await runCli(["test"], { cwd: project, timeoutMs: 120_000 });
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toMatch(/Tests\s+\d+ passed/);
  }, 150_000);

  it("fails on a bad row with the file, the line and what was expected", async () => {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "ts_ns,price,qty,side\n1000,100.5,1,buy\n2000,abc,1,sell\n");
    const { stderr, code } = await algo(["backtest", "--data", bad]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.csv:3: .*price.*expected/);
  }, 60_000);

  it("says what is wrong with a bad flag, param or data path (exit 2)", async () => {
    const missing = await algo(["backtest", "--data", "nope.csv"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--data nope\.csv: no such file/);
    const param = await algo(["backtest", "--data", ticks, "--param", "size=abc"]);
    expect(param.code).toBe(2);
    expect(param.stderr).toMatch(/param size=abc: expected a decimal number/);
  }, 60_000);
});
