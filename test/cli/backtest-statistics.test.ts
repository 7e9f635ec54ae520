// `algo backtest` as the user runs it: the --trades CSV, the statistics in the
// report, and a run hash that does not depend on where the data file lies.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseLossless } from "lossless-json";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli, tempDir } from "./run.ts";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";

// The hand-worked backtest of test/harness/engine.test.ts (fills and fees are worked out there and
// in test/harness/statistics.test.ts): maker −1 bps, taker 5 bps.
const TICKS = HAND_WORKED_TICKS;
const FEES = ["--maker-bps", "-1", "--taker-bps", "5"];

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });

interface Out {
  result: { statistics: { round_trips: { count: unknown } } };
  run: { module_sha256: string; data_sha256: string; run_sha256: string };
  source: { description: string };
}

beforeAll(async () => {
  project = await makeProject("stats");
  await writeFile(path.join(project, "ticks.csv"), TICKS);
  const build = await algo(["build"]);
  expect(build.code, build.stderr).toBe(0);
}, 120_000);

describe("algo backtest statistics", () => {
  it("--trades writes each FIFO round trip with exact money", async () => {
    const r = await algo(["backtest", "--data", "ticks.csv", ...FEES, "--trades", "trips.csv"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("2 round trips written to trips.csv");
    // 0.4 then 0.6 of the 2 bought @ 100 at t=1000 (order 1) are sold @ 101 by order 2:
    // gross 0.40 and 0.60; fees 0.10 × 0.4/2 − 0.00404 = 0.01596 and 0.08 × 0.6/1.6 − 0.00606 = 0.02394.
    expect(await readFile(path.join(project, "trips.csv"), "utf8")).toBe(
      [
        "side,entry_time,exit_time,entry_ts_ns,exit_ts_ns,holding_ns,qty,entry_price,exit_price,gross_pnl,fees,net_pnl,entry_order_id,exit_order_id",
        "long,1970-01-01T00:00:00.000001000Z,1970-01-01T00:00:00.000003000Z,1000,3000,2000,0.4,100,101,0.4,0.01596,0.38404,1,2",
        "long,1970-01-01T00:00:00.000001000Z,1970-01-01T00:00:00.000004000Z,1000,4000,3000,0.6,100,101,0.6,0.02394,0.57606,1,2",
        "",
      ].join("\n"),
    );
    // The text report shows the statistics.
    expect(r.stdout).toMatch(/return +\+0\.21% of the max capital used, \$200\.00/);
    expect(r.stdout).toMatch(/max drawdown % +-1\.79% \(\$3\.58\), 3\.0 µs from the peak to the end \(not recovered\)/);
    expect(r.stdout).toMatch(/round trips +2: 2 won, 0 lost \(win rate 100\.0%\), profit factor -/);
    expect(r.stdout).toMatch(/fees \/ rebates +\$0\.10 paid, \$0\.02 rebated/);
    expect(r.stdout).toMatch(/run hash +[0-9a-f]{64}/);
  }, 120_000);

  it("gives the same run hash for the same module, data and settings wherever the data lies", async () => {
    const elsewhere = path.join(tempDir(), "copy");
    await mkdir(elsewhere);
    await copyFile(path.join(project, "ticks.csv"), path.join(elsewhere, "ticks.csv"));
    const a = parseLossless((await algo(["backtest", "--json", "--data", "ticks.csv", ...FEES])).stdout) as Out;
    const b = parseLossless((await algo(["backtest", "--json", "--data", path.join(elsewhere, "ticks.csv"), ...FEES])).stdout) as Out;
    expect(a.source.description).not.toBe(b.source.description); // the paths differ…
    expect(b.run).toEqual(a.run); // …the run does not
    expect(a.run.run_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(a.result)).not.toContain(project); // no path in the deterministic part
    expect(Number(a.result.statistics.round_trips.count)).toBe(2);

    // A different setting, or different data, is a different run.
    const fees = parseLossless((await algo(["backtest", "--json", "--data", "ticks.csv", "--maker-bps", "-2", "--taker-bps", "5"])).stdout) as Out;
    expect(fees.run.data_sha256).toBe(a.run.data_sha256);
    expect(fees.run.run_sha256).not.toBe(a.run.run_sha256);
    await writeFile(path.join(elsewhere, "ticks.csv"), TICKS.replace("6000,trade,,,,,99.00", "6000,trade,,,,,99.01"));
    const data = parseLossless((await algo(["backtest", "--json", "--data", path.join(elsewhere, "ticks.csv"), ...FEES])).stdout) as Out;
    expect(data.run.module_sha256).toBe(a.run.module_sha256);
    expect(data.run.data_sha256).not.toBe(a.run.data_sha256);
  }, 120_000);

  it("refuses a --trades file it cannot write, and a bad --sample, as usage errors", async () => {
    const r = await algo(["backtest", "--data", "ticks.csv", "--trades", "no/such/dir/trips.csv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--trades no\/such\/dir\/trips\.csv: the folder \S+no\/such\/dir does not exist; create it first/);
    const s = await algo(["backtest", "--data", "ticks.csv", "--sample", "3 days"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("expected a positive whole number and a unit (ms, s, m, h, d)");
  }, 120_000);
});
