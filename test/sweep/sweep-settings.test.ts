// `algo sweep` takes the settings `algo backtest` takes: the project's
// package.json → sequence.backtest under the flags, the same engine flags,
// params not swept under the swept ones; every run (threads, shards) gets
// them, and they are part of each run's content address. The figures are the
// hand-worked backtest's (test/harness/engine.test.ts), with the market buy's
// size as a param.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "@commander-js/extra-typings";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_SETTABLE_FLAGS } from "../../src/cli/backtest-config.ts";
import { register } from "../../src/cli/sweep.ts";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";
import { makeProject, runCli } from "../cli/run.ts";
import { readSweepFolder } from "./sweep-folder.ts";

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });

async function setBacktest(settings: unknown): Promise<void> {
  const file = path.join(project, "package.json");
  const pkg = JSON.parse(await readFile(file, "utf8"));
  pkg.sequence.backtest = settings;
  await writeFile(file, JSON.stringify(pkg, null, 2) + "\n");
}

interface Row {
  run: number;
  params: Record<string, string>;
  metrics: Record<string, string>;
  key: string;
  report: string;
}

async function rows(dir: string): Promise<Row[]> {
  const text = await readFile(path.join(project, dir, "results.jsonl"), "utf8");
  return text.trim().split("\n").map((l) => JSON.parse(l)).sort((a, b) => a.run - b.run);
}

const savedReport = async (dir: string, row: Row) => JSON.parse(await readFile(path.join(project, dir, row.report, "report.json"), "utf8"));

const folder = (dir: string) => readSweepFolder(path.join(project, dir));

beforeAll(async () => {
  project = await makeProject("sweep-settings");
  const file = path.join(project, "assembly", "algo.ts");
  const source = (await readFile(file, "utf8"))
    .replace("import { Algo,", "import { params, Algo,")
    .replace("this.buy(Qty.fromInt(2));", 'this.buy(params.qty("size", Qty.fromInt(2)));')
    .replace("  started: bool = false;", '  started: bool = false;\n  tag: i64 = params.int("tag", 0);');
  expect(source).toContain('params.qty("size"');
  await writeFile(file, source);
  await writeFile(path.join(project, "ticks.csv"), HAND_WORKED_TICKS);
  const build = await algo(["build"]);
  expect(build.code, build.stderr).toBe(0);
}, 120_000);

describe("algo sweep reads the backtest's settings", () => {
  it("has a flag for every setting a project may keep", () => {
    const program = new Command();
    register(program);
    const sweep = program.commands.find((c) => c.name() === "sweep")!;
    const flags = sweep.options.map((o) => o.long);
    // The fill queue model is --fill-queue in a sweep (--queue is Redis's): the project's key stays "queue".
    for (const name of PROJECT_SETTABLE_FLAGS) expect(flags).toContain(name === "queue" ? "--fill-queue" : `--${name}`);
  });

  it("takes fees, capital and params from sequence.backtest: each run's figures as worked out by hand", async () => {
    await setBacktest({ "maker-bps": "-1", "taker-bps": 5, capital: "1000", params: { tag: 3, size: "5" } });
    const r = await algo(["sweep", "--data", "ticks.csv", "-p", "size=1,2", "-o", "config", "-j", "2"]);
    expect(r.code, r.stderr).toBe(0);
    const [one, two] = await rows("config");
    // Fills (engine.test.ts): market buy of `size` @ 100.00 (taker, 5 bps), then maker (−1 bps) 0.4 and 0.6 @ 101.00 and 1 @ 98.50.
    // Rebates 0.4 × 101 × 0.0001 + 0.6 × 101 × 0.0001 + 1 × 98.5 × 0.0001 = 0.00404 + 0.00606 + 0.00985 = 0.01995.
    // size 1: 1 × 100 × 0.0005 = 0.05 − 0.01995 = 0.03005; size 2: 0.10 − 0.01995 = 0.08005 (the swept size, not the project's 5).
    expect([one.params, one.metrics.fees]).toEqual([{ size: "1" }, "0.03005"]);
    expect([two.params, two.metrics.fees]).toEqual([{ size: "2" }, "0.08005"]);
    const report = await savedReport("config", two);
    expect(report.result.venue).toMatchObject({ maker_bps: "-1", taker_bps: "5" });
    expect(report.result.account.capital_1e9).toBe(1_000_000_000_000); // 1000 USD at 1e9
    expect(report.result.params.tag).toEqual({ value: "3", default: false }); // a project param not swept
    expect(report.result.params.size).toEqual({ value: "2", default: false });
    const manifest = JSON.parse(await readFile(path.join(project, "config", "sweep.json"), "utf8"));
    expect(manifest.settings).toEqual({ data: "ticks.csv", "maker-bps": "-1", "taker-bps": "5", queue: "through", capital: "1000", params: { tag: "3" } });

    // The same run as `algo backtest` with those settings: the same run hash.
    const bt = await algo(["backtest", "--data", "ticks.csv", "-p", "size=2", "--json", "--no-save"]);
    expect(bt.code, bt.stderr).toBe(0);
    expect(report.run).toEqual(JSON.parse(bt.stdout).run);
    expect(two.report).toBe(`runs/000001-${report.run.run_sha256.slice(0, 8)}`);
  }, 180_000);

  it("lets a flag override a project setting, and the run's content address follows the settings", async () => {
    await setBacktest({ "maker-bps": "-1", "taker-bps": 5, capital: "1000", params: { tag: 3 } });
    const r = await algo(["sweep", "--data", "ticks.csv", "-p", "size=1,2", "--taker-bps", "7", "-o", "flag", "-j", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const [one, two] = await rows("flag");
    // size 1: 1 × 100 × 0.0007 = 0.07 − 0.01995 = 0.05005; size 2: 0.14 − 0.01995 = 0.12005.
    expect([one.metrics.fees, two.metrics.fees]).toEqual(["0.05005", "0.12005"]);
    const before = await rows("config");
    expect(one.key).not.toBe(before[0].key);
    expect((await savedReport("flag", one)).result.venue).toMatchObject({ maker_bps: "-1", taker_bps: "7" });
  }, 180_000);

  it("gives shards the project's settings too: merged, the folder one machine writes", async () => {
    await setBacktest({ "maker-bps": "-1", "taker-bps": 5, params: { tag: 3 } });
    const whole = await algo(["sweep", "--data", "ticks.csv", "-p", "size=1,2,3", "-o", "whole"]);
    expect(whole.code, whole.stderr).toBe(0);
    for (const i of [1, 2]) expect((await algo(["sweep", "--data", "ticks.csv", "-p", "size=1,2,3", "--shard", `${i}/2`, "-o", `part${i}`])).code).toBe(0);
    const merged = await algo(["sweep", "merge", "part1", "part2", "-o", "merged"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(await folder("merged")).toEqual(await folder("whole"));
    // Each run's folder, copied by merge, opens with algo report.
    const best = (await rows("merged")).find((x) => x.params.size === "1")!;
    const shown = await algo(["report", path.join("merged", best.report)]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^merged\/runs\/000000-[0-9a-f]{8}\n\nsweep run with size=1\n/);
    expect(shown.stdout).toMatch(/fees \/ rebates +\$0\.05 paid, \$0\.02 rebated/);
  }, 240_000);

  it("refuses a key that is not a backtest setting, naming the file and the key (exit 2)", async () => {
    const file = path.join(project, "package.json");
    await setBacktest({ maker_bps: "-1" });
    const r = await algo(["sweep", "--data", "ticks.csv", "-p", "size=1,2", "-o", "bad"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: "sequence\\.backtest\\.maker_bps": not a backtest setting; expected one of from, to, maker-bps,`));
    await setBacktest({ queue: "sometimes" });
    const q = await algo(["sweep", "--data", "ticks.csv", "-p", "size=1,2", "-o", "bad"]);
    expect([q.code, q.stderr]).toEqual([2, `error: ${file}: "sequence.backtest.queue": "sometimes" is invalid: expected one of through, risk-averse, prob\n`]);
    await setBacktest(undefined);
  }, 60_000);
});
