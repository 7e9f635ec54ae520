// `algo data export … -o x.parquet` and `algo backtest --data x.parquet` as the
// user runs them: the Parquet run gives the CSV run's result, to the byte.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseLossless } from "lossless-json";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "./run.ts";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";

const FEES = ["--maker-bps", "-1", "--taker-bps", "5"];
let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });

interface Out {
  result: unknown;
  run: { module_sha256: string; data_sha256: string; run_sha256: string };
  source: { description: string };
}

beforeAll(async () => {
  project = await makeProject("parquet");
  await writeFile(path.join(project, "ticks.csv"), HAND_WORKED_TICKS);
  const build = await algo(["build"]);
  expect(build.code, build.stderr).toBe(0);
}, 120_000);

describe("algo data export", () => {
  it("writes a Parquet file that backtests exactly like its CSV", async () => {
    const exp = await algo(["data", "export", "ticks.csv", "-o", "ticks.parquet", "--symbol", "BTC-USD", "--venue", "SIM"]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toBe("wrote ticks.parquet: 6 records as a quotes+trades table (1 row group)\n");
    const csv = parseLossless((await algo(["backtest", "--json", "--no-save", "--data", "ticks.csv", ...FEES])).stdout) as Out;
    const pq = parseLossless((await algo(["backtest", "--json", "--no-save", "--data", "ticks.parquet", ...FEES])).stdout) as Out;
    expect(pq.source.description).toBe(`quotes+trades Parquet ${path.join(project, "ticks.parquet")} (BTC-USD.SIM, from quotes+trades CSV ${path.join(project, "ticks.csv")})`);
    expect(JSON.stringify(pq.result)).toBe(JSON.stringify(csv.result));
    expect(pq.run.module_sha256).toBe(csv.run.module_sha256);
    // The run hash covers the data file's bytes, and these are two different files.
    expect(pq.run.data_sha256).not.toBe(csv.run.data_sha256);
  }, 120_000);

  it("refuses what it cannot do as usage errors, and bad data as a failure, writing nothing", async () => {
    const noFile = await algo(["data", "export", "missing.csv", "-o", "x.parquet"]);
    expect([noFile.code, noFile.stderr]).toEqual([2, "error: missing.csv: no such file\n"]);
    const notParquet = await algo(["data", "export", "ticks.csv", "-o", "x.csv"]);
    expect([notParquet.code, notParquet.stderr]).toEqual([2, "error: --out x.csv: expected a .parquet file name\n"]);
    await writeFile(path.join(project, "bad.csv"), "ts_ns,price,qty\n1,100,1\n2,abc,1\n");
    const bad = await algo(["data", "export", "bad.csv", "-o", "bad.parquet"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.csv:3: column 2 \(price\): expected a decimal price/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(existsSync(path.join(project, "bad.parquet"))).toBe(false);
  }, 120_000);
});
