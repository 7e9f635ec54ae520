// Backtest settings kept in the project (package.json → sequence.backtest):
// a run is reproducible from the project alone, and a flag overrides its setting.
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "@commander-js/extra-typings";
import { beforeAll, describe, expect, it } from "vitest";
import { register } from "../../src/cli/backtest.ts";
import { PROJECT_SETTABLE_FLAGS } from "../../src/cli/backtest-config.ts";
import { makeProject, runCli } from "./run.ts";
import { TEMPLATES_DIR } from "../../src/paths.ts";

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });

async function setBacktest(settings: unknown): Promise<void> {
  const file = path.join(project, "package.json");
  const pkg = JSON.parse(await readFile(file, "utf8"));
  pkg.sequence.backtest = settings;
  await writeFile(file, JSON.stringify(pkg, null, 2) + "\n");
}

beforeAll(async () => {
  project = await makeProject("config");
  // the market maker reads a `size` param
  await copyFile(path.join(TEMPLATES_DIR, "market-maker", "assembly", "algo.ts"), path.join(project, "assembly", "algo.ts"));
}, 60_000);

describe("sequence.backtest in package.json", () => {
  it("names only real backtest flags", () => {
    const program = new Command();
    register(program);
    const flags = program.commands.find((c) => c.name() === "backtest")!.options.map((o) => o.long);
    for (const name of PROJECT_SETTABLE_FLAGS) expect(flags).toContain(`--${name}`);
  });

  it("sets the run's fees, capital, params and range; a flag on the command line wins", async () => {
    await setBacktest({ "maker-bps": "-1", "taker-bps": 5, capital: "1000", "entry-latency": "250000", params: { size: 2 }, from: "2024-01-02T14:30:01Z" });
    const r = await algo(["backtest", "--data", "synthetic:3:2000", "--json", "--no-save"]);
    expect(r.code, r.stderr).toBe(0);
    const { result, source } = JSON.parse(r.stdout);
    expect(result.venue).toMatchObject({ maker_bps: "-1", taker_bps: "5", entry_latency: "250000" });
    expect(result.account).not.toBeNull(); // capital 1000 → an account
    expect(result.params.size).toEqual({ value: "2", default: false });
    expect(source.description).toMatch(/; only from 2024-01-02T14:30:01/);

    const over = await algo(["backtest", "--data", "synthetic:3:2000", "--json", "--no-save", "--taker-bps", "7", "-p", "size=3"]);
    expect(over.code, over.stderr).toBe(0);
    const o = JSON.parse(over.stdout).result;
    expect(o.venue).toMatchObject({ maker_bps: "-1", taker_bps: "7" });
    expect(o.params.size.value).toBe("3");
  }, 120_000);

  it("refuses an unknown key or a bad value, naming the file and the key (exit 2, before compiling)", async () => {
    const file = path.join(project, "package.json");
    await setBacktest({ "maker_bps": "-1" });
    const unknown = await algo(["backtest", "--data", "synthetic:3:2000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`error: ${file}: "sequence.backtest.maker_bps": not a backtest setting; expected one of ${[...PROJECT_SETTABLE_FLAGS, "params"].join(", ")}\n`);

    await setBacktest({ capital: "ten thousand" });
    const bad = await algo(["backtest", "--data", "synthetic:3:2000"]);
    expect([bad.code, bad.stderr]).toEqual([2, `error: ${file}: "sequence.backtest.capital": "ten thousand" is invalid: expected an amount of USD with at most 9 decimals, e.g. 10000 or 2500.50\n`]);

    await setBacktest({ params: { size: "big" } });
    const param = await algo(["backtest", "--data", "synthetic:3:2000"]);
    expect(param.code).toBe(2);
    expect(param.stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: "sequence.backtest.params": param size=big: expected a decimal number`));
    await setBacktest(undefined);
  }, 120_000);
});
