// What `algo backtest` says about the run itself, through bin/algo.mjs: the
// build is reused when nothing changed, an empty replay fails, an algo whose
// events never come is warned about, and progress never reaches a pipe.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, stat, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, makeProject, runCli } from "./run.ts";

const run = promisify(execFile);

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });
const QUOTES_ONLY_WARNING = "the algo listens to quotes (onQuote) but the data has none: onQuote never ran";

beforeAll(async () => {
  project = await makeProject("replay"); // the scripted fixture: it implements onQuote, onFill, onOrder, onStop
  await writeFile(path.join(project, "trades.csv"), "ts_ns,price,qty,side\n1000,100.5,1,buy\n2000,100.6,1,sell\n");
  await writeFile(path.join(project, "empty.csv"), "ts_ns,price,qty,side\n");
  // The bars and the all-equity algo of test/harness/bars.test.ts, where the figures are worked out.
  await writeFile(path.join(project, "bars.csv"), "date,open,high,low,close,volume\n2024-01-02,100,105,95,102,1000\n2024-01-03,103,108,99,101,2000.5\n2024-01-04,101,104,97,103,1500\n");
  await copyFile(path.join(__dirname, "../fixtures/all-equity-algo.ts"), path.join(project, "assembly", "all-equity.ts"));
  await writeFile(path.join(project, "empty.json"), '{"symbol":"X","points":[]}');
}, 60_000);

describe("algo backtest", () => {
  it("builds once, then says the module is up to date and leaves it alone", async () => {
    const first = await algo(["build"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^built build\/algo\.wasm: /);
    const module = path.join(project, "build", "algo.wasm");
    const before = await stat(module);

    const again = await algo(["build"]);
    expect(again.stdout).toMatch(/^up to date build\/algo\.wasm: /);
    const bt = await algo(["backtest", "--data", "synthetic:3:2000"]);
    expect(bt.code, bt.stderr).toBe(0);
    expect(bt.stderr).toMatch(/build\/algo\.wasm is up to date/);
    expect((await stat(module)).mtimeMs).toBe(before.mtimeMs);
  }, 120_000);

  it("never writes progress to a redirected stderr, with or without --json", async () => {
    for (const extra of [[], ["--json"]]) {
      const r = await algo(["backtest", "--data", "synthetic:3:300000", ...extra]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/\r|replayed/);
    }
  }, 120_000);

  // util-linux `script` gives the CLI a terminal; skipped where it is missing.
  it.skipIf(!existsSync("/usr/bin/script"))("draws progress with count, % and rate on a terminal", async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} backtest --data synthetic:3:600000`;
    const { stdout } = await run("/usr/bin/script", ["-qec", command, "/dev/null"], { cwd: project, timeout: 90_000 });
    // Drawn at the first batch, so even a fast run shows it (the ETA needs some time to have passed).
    expect(stdout).toMatch(/\r {2}replayed [\d,]+ of 600,000 ticks \(\d+%\) · [\d.]+[kMG]? ticks\/s/);
    expect(stdout).toMatch(/ticks replayed/); // and the report after it
  }, 120_000);

  it("fails (exit 1) when the data holds no tick, and prints no report", async () => {
    for (const extra of [[], ["--json"]]) {
      const r = await algo(["backtest", "--data", "empty.json", ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/empty\.json.*: no ticks to replay; nothing was backtested/);
      expect(r.stdout).toBe("");
    }
    // A CSV header with no rows is refused when the file is opened, before anything is built.
    const csv = await algo(["backtest", "--data", "empty.csv"]);
    expect(csv.code).toBe(1);
    expect(csv.stderr.trim()).toMatch(/^error: .*empty\.csv:1: expected data rows after the header, got none \(a header alone is not a run of 0 ticks\)$/);
    expect(csv.stdout).toBe("");
  }, 60_000);

  it("warns when the algo listens to quotes and the data has only trades, in text and in the JSON report", async () => {
    const human = await algo(["backtest", "--data", "trades.csv"]);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain(`warning: ${QUOTES_ONLY_WARNING}`);

    const json = await algo(["backtest", "--data", "trades.csv", "--json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { warnings: string[]; result: { data: { quotes: number } } };
    expect(report.result.data.quotes).toBe(0);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain(QUOTES_ONLY_WARNING);
  }, 60_000);

  it("has no warnings when the algo's events are in the data", async () => {
    const r = await algo(["backtest", "--data", "synthetic:3:2000", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
    expect(r.stderr).not.toMatch(/warning/);
  }, 60_000);
});

describe("a module that cannot be written", () => {
  it("is one error line naming the file, exit 1, no stack", async () => {
    const dir = await makeProject("unwritable");
    await writeFile(path.join(dir, "build"), "a file where the build folder goes\n");
    const r = await runCli(["build"], { cwd: dir, timeoutMs: 90_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*build/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  }, 120_000);
});

describe("algo backtest --capital", () => {
  it("--capital: the account refuses what it cannot pay for and the report gives the return in % of capital", async () => {
    const bt = await algo(["backtest", "--entry", "assembly/all-equity.ts", "--data", "bars.csv", "--capital", "1000"]);
    expect(bt.code, bt.stderr).toBe(0);
    // −1.941748 % (bars.test.ts) → −1.94 at 2 decimals; equity = cash = $980.58252428.
    expect(bt.stdout).toMatch(/^ {2}return {17}-1\.94 % of \$1,000\.00 \(equity \$980\.58, cash \$980\.58\)$/m);
    const json = await algo(["backtest", "--entry", "assembly/all-equity.ts", "--data", "bars.csv", "--capital", "1000", "--param", "at_open=false", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const { result } = JSON.parse(json.stdout); // these integers are below 2^53: exact as JSON numbers
    expect(result.orders.rejected).toEqual({ insufficient_funds: 1 });
    expect(result.account).toEqual({ capital_1e9: 1_000_000_000_000, cash_1e9: 910, equity_1e9: 1_019_801_980_180, return_pct_1e6: 1_980_198 });
  }, 120_000);
});

describe("algo backtest --from/--to", () => {
  it("replays only the range: 2010 of the S&P 500 is its 252 trading days, each bar whole", async () => {
    const r = await algo(["backtest", "--data", "sp500", "--from", "2010-01-01", "--to", "2010-12-31", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const { result, source } = JSON.parse(r.stdout);
    // 2010-01-04 (the year's first session) at 14:30 UTC, to 2010-12-31 at 21:00 UTC (bar times: docs/backtesting.md)
    expect(result.data).toMatchObject({ bars: 252, trades: 252 * 4 });
    expect(r.stdout).toMatch(/"first_ts_ns": ?1262615400000000000,/);
    expect(r.stdout).toMatch(/"last_ts_ns": ?1293829200000000000\b/);
    expect(source.description).toMatch(/; only from 2010-01-01T00:00:00(\.0+)?Z, before 2011-01-01T00:00:00(\.0+)?Z$/);
  }, 60_000);

  it("refuses a bound that is not a date and an empty range, before compiling (exit 2, one line)", async () => {
    const bad = await algo(["backtest", "--data", "sp500", "--from", "2010-02-30"]);
    expect([bad.code, bad.stderr.trim().split("\n").length]).toEqual([2, 2]); // the error and the usage hint
    expect(bad.stderr).toContain('"2010-02-30" is not a calendar date');
    const empty = await algo(["backtest", "--data", "sp500", "--from", "2011-01-01", "--to", "2010-12-31"]);
    expect([empty.code, empty.stderr]).toEqual([2, "error: --from 2011-01-01 --to 2010-12-31: the range is empty; --from must come before --to\n"]);
  });
});
