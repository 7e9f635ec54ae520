// `algo data import … -o x.parquet` and `algo backtest --data x.parquet` as the
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

describe("algo data import -o x.parquet", () => {
  it("writes a Parquet file that backtests exactly like its CSV", async () => {
    const exp = await algo(["data", "import", "ticks.csv", "-o", "ticks.parquet", "--symbol", "BTC-USD", "--venue", "SIM"]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toMatch(/^wrote ticks\.parquet: 6 records of BTC-USD \(symbol from --symbol\), venue SIM\n/);
    const csv = parseLossless((await algo(["backtest", "--json", "--no-save", "--data", "ticks.csv", ...FEES])).stdout) as Out;
    const pq = parseLossless((await algo(["backtest", "--json", "--no-save", "--data", "ticks.parquet", ...FEES])).stdout) as Out;
    expect(pq.source.description).toMatch(new RegExp(`^quotes\\+trades Parquet ${path.join(project, "ticks.parquet")} \\(BTC-USD\\.SIM, from quotes\\+trades CSV .*ticks\\.csv\\)$`));
    expect(JSON.stringify(pq.result)).toBe(JSON.stringify(csv.result));
    expect(pq.run.module_sha256).toBe(csv.run.module_sha256);
    const info = await algo(["data", "info", "ticks.parquet", "--json"]);
    expect(JSON.parse(info.stdout)).toMatchObject({ format: "parquet (quotes+trades)", symbol: "BTC-USD", venue: "SIM", records: 6 });
    const back = await algo(["data", "import", "ticks.parquet", "-o", "back.ticks", "--json"]);
    expect(JSON.parse(back.stdout)).toMatchObject({ symbol: "BTC-USD", symbol_from: "the Parquet metadata", venue: "SIM", records: 6 });
    // The run hash covers the data file's bytes, and these are two different files.
    expect(pq.run.data_sha256).not.toBe(csv.run.data_sha256);
  }, 120_000);

  it("refuses what it cannot do as usage errors, and bad data as a failure, writing nothing", async () => {
    const noFile = await algo(["data", "import", "missing.csv", "-o", "x.parquet"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/missing\.csv/);
    const notParquet = await algo(["data", "import", "ticks.csv", "-o", "x.csv"]);
    expect([notParquet.code, notParquet.stderr]).toEqual([2, "error: -o x.csv: expected a file name ending in .ticks or .parquet, e.g. btc.ticks\n"]);
    await writeFile(path.join(project, "bad.csv"), "ts_ns,price,qty\n1,100,1\n2,abc,1\n");
    const bad = await algo(["data", "import", "bad.csv", "-o", "bad.parquet"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.csv:3: column 2 \(price\): expected a decimal price/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(existsSync(path.join(project, "bad.parquet"))).toBe(false);
  }, 120_000);
});
