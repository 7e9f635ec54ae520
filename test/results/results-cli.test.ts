// `algo backtest` saves each run; `algo results` lists them; `algo report` shows one again.
// The run is the hand-worked backtest of test/harness/engine.test.ts (maker −1 bps, taker 5 bps).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseLossless } from "lossless-json";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "../cli/run.ts";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";

const TICKS = HAND_WORKED_TICKS;
const FEES = ["--maker-bps", "-1", "--taker-bps", "5"];

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });
const saved = () => readdirSync(path.join(project, "backtests")).filter((n) => !n.startsWith("."));

beforeAll(async () => {
  project = await makeProject("results");
  await writeFile(path.join(project, "ticks.csv"), TICKS);
  const build = await algo(["build"]);
  expect(build.code, build.stderr).toBe(0);
}, 120_000);

describe("saved results", () => {
  let first: string;

  it("algo backtest writes backtests/<UTC time>-<run hash>/ with the report, fills, round trips and series", async () => {
    const r = await algo(["backtest", "--data", "ticks.csv", ...FEES]);
    expect(r.code, r.stderr).toBe(0);
    const hash = /run hash +([0-9a-f]{64})/.exec(r.stdout)![1];
    [first] = saved();
    expect(first).toMatch(new RegExp(`^\\d{8}T\\d{6}\\.\\d{3}Z-${hash.slice(0, 8)}$`));
    expect(r.stdout).toContain(`saved in backtests/${first}/`);
    const file = (name: string) => readFileSync(path.join(project, "backtests", first, name), "utf8");
    expect(readdirSync(path.join(project, "backtests", first)).sort()).toEqual(
      ["equity.csv", "fills.csv", "position.csv", "report.html", "report.json", "report.txt", "round-trips.csv"],
    );
    // The fills of engine.test.ts: taker fee 2 × 100 × 5 bps = 0.1; rebates 0.4 × 101, 0.6 × 101, 1 × 98.5 at 1 bps.
    expect(file("fills.csv")).toBe(
      [
        "time,ts_ns,order_id,side,price,qty,fee,liquidity",
        "1970-01-01T00:00:00.000001000Z,1000,1,buy,100,2,0.1,taker",
        "1970-01-01T00:00:00.000003000Z,3000,2,sell,101,0.4,-0.00404,maker",
        "1970-01-01T00:00:00.000004000Z,4000,2,sell,101,0.6,-0.00606,maker",
        "1970-01-01T00:00:00.000005000Z,5000,3,buy,98.5,1,-0.00985,maker",
        "",
      ].join("\n"),
    );
    // One point per µs bucket, equity at its end (net PnL, marked at the quote mid or the last trade):
    // 1000: 2 × 99.5 (mid) − 200 − 0.1 fee = −1.1
    // 2000: 2 × 100.5 − 200 − 0.1 = 0.9
    // 3000: realized 0.4 + 1.6 × (101.25 − 100) − 0.1 + 0.00404 = 2.30404
    // 4000: realized 1 + 1 × (101.2 mid − 100) − 0.1 + 0.0101 = 2.1101
    // 5000: realized 1 + (2 × 98.2 mid − 198.5) − 0.08005 = −1.18005
    // 6000: realized 1 + (2 × 99 − 198.5) − 0.08005 = 0.41995 (the report's net PnL)
    // Drawdown from the running peak (0, 0.9, 2.30404): −1.1, 0, 0, −0.19394, −3.48409, −1.88409.
    expect(file("equity.csv").split("\n").slice(1).map((l) => l.split(",").slice(1).join(","))).toEqual([
      "1000,-1.1,-1.1",
      "2000,0.9,0",
      "3000,2.30404,0",
      "4000,2.1101,-0.19394",
      "5000,-1.18005,-3.48409",
      "6000,0.41995,-1.88409",
      "",
    ]);
    // Position 2, 2, 2 − 0.4, 1.6 − 0.6, 1 + 1, 2; price: mid 99.5, 100.5, 101.25, mid 101.2, mid 98.2, 99.
    expect(file("position.csv").split("\n").slice(1).map((l) => l.split(",").slice(1).join(","))).toEqual([
      "1000,2,99.5",
      "2000,2,100.5",
      "3000,1.6,101.25",
      "4000,1,101.2",
      "5000,2,98.2",
      "6000,2,99",
      "",
    ]);
    expect(file("round-trips.csv").split("\n")).toHaveLength(4); // header, 2 round trips, ""
    const report = parseLossless(file("report.json")) as { result: { pnl: { net_pnl_1e9: unknown } }; run: { run_sha256: string } };
    expect(String(report.result.pnl.net_pnl_1e9)).toBe("419950000");
    expect(report.run.run_sha256).toBe(hash);
    expect(file("report.txt")).toContain("net PnL                +$0.42");
  }, 120_000);

  it("saves the same bytes for the same run (only the folder's time differs)", async () => {
    const r = await algo(["backtest", "--data", "ticks.csv", ...FEES]);
    expect(r.code, r.stderr).toBe(0);
    const again = saved().find((n) => n !== first)!;
    for (const name of readdirSync(path.join(project, "backtests", first)))
      expect(readFileSync(path.join(project, "backtests", again, name), "utf8"), name).toBe(readFileSync(path.join(project, "backtests", first, name), "utf8"));
    await rm(path.join(project, "backtests", again), { recursive: true });
  }, 60_000);

  it("--no-save saves nothing; --json keeps stdout the run's own bytes and names the folder on stderr", async () => {
    const none = await algo(["backtest", "--data", "ticks.csv", ...FEES, "--no-save"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).not.toContain("saved in");
    expect(saved()).toEqual([first]);

    const json = await algo(["backtest", "--data", "ticks.csv", "--json", "--maker-bps", "-2", "--taker-bps", "5"]);
    expect(json.code, json.stderr).toBe(0);
    const names = saved();
    expect(names).toHaveLength(2);
    const second = names.find((n) => n !== first)!;
    expect(json.stderr).toContain(`saved in backtests/${second}/`);
    expect(json.stdout).not.toContain("saved");
    // report.json is what --json printed.
    expect(readFileSync(path.join(project, "backtests", second, "report.json"), "utf8")).toBe(json.stdout);
  }, 120_000);

  it("algo results lists runs newest first with their headline figures", async () => {
    const r = await algo(["results", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const runs = parseLossless(r.stdout) as Array<Record<string, unknown>>;
    expect(runs.map((x) => x.run)).toEqual(saved().sort().reverse());
    const old = runs.find((x) => x.run === first)!;
    // Net 0.41995 (engine.test.ts); 4 fills.
    expect(String(old.net_pnl_1e9)).toBe("419950000");
    expect(Number(old.fills)).toBe(4);
    expect(Number(old.return_pct)).toBeTypeOf("number");

    const text = await algo(["results"]);
    expect(text.stdout.split("\n")[0]).toMatch(/^run +net PnL +return +Sharpe +max DD +fills +data$/);
    expect(text.stdout).toMatch(new RegExp(`^${first.replace(".", "\\.")} +\\+\\$0\\.42 +\\+0\\.21% +- +1\\.79% +4 +quotes\\+trades CSV .*ticks\\.csv$`, "m"));
  }, 60_000);

  it("algo report prints the newest run, or the one named by a unique prefix", async () => {
    const [newest] = saved().sort().reverse();
    const latest = await algo(["report"]);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout.startsWith(`${newest}\n`)).toBe(true);
    expect(latest.stdout).toContain("maker -2 bps");

    const byPrefix = await algo(["report", first.slice(0, first.length - 3)]);
    expect(byPrefix.code, byPrefix.stderr).toBe(0);
    expect(byPrefix.stdout).toContain("maker -1 bps");
    const json = await algo(["report", first, "--json"]);
    expect(json.stdout).toBe(readFileSync(path.join(project, "backtests", first, "report.json"), "utf8"));

    // --open with no opener on the PATH: says so, names the file, exit 1.
    const open = await runCli(["report", first, "--open"], { cwd: project, env: { PATH: path.join(project, "no-such-bin") } });
    expect(open.code).toBe(1);
    expect(open.stderr).toContain(`error: cannot open ${path.join("backtests", first, "report.html")} (xdg-open: ENOENT): open the file in a browser yourself`);

    const missing = await algo(["report", "nosuchrun"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: no saved run "nosuchrun" in backtests/ (`algo results` lists them)');
    if (first.slice(0, 8) === newest.slice(0, 8)) {
      const ambiguous = await algo(["report", first.slice(0, 8)]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toMatch(/matches 2 runs .*: give more of the name/);
    }
  }, 60_000);

  it("a run that fails leaves no folder behind, and a broken report.json is named", async () => {
    await writeFile(path.join(project, "bad.csv"), "ts_ns,price,qty,side\n1000,100.5,1,buy\n2000,abc,1,sell\n");
    const before = saved();
    const r = await algo(["backtest", "--data", "bad.csv"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.csv:3: column 2 (price)");
    expect(readdirSync(path.join(project, "backtests"))).toEqual(before); // no .partial-* either

    await writeFile(path.join(project, "backtests", first, "report.json"), "{ not json");
    const broken = await algo(["report", first, "--json"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(path.join("backtests", first, "report.json"));
    expect(broken.stderr).not.toMatch(/\n\s+at /); // no stack
    // algo results lists the others and names the broken one.
    const list = await algo(["results", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain(`warning: skipped ${first}: `);
    expect((parseLossless(list.stdout) as unknown[]).length).toBe(before.length - 1);
  }, 60_000);
});

describe("outside a project", () => {
  it("algo results says there is no project (exit 2)", async () => {
    const r = await runCli(["results"], { cwd: path.dirname(path.dirname(project)) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no algo project here");
    expect(existsSync(path.join(path.dirname(path.dirname(project)), "backtests"))).toBe(false);
  });
});
