// The new templates walked as a user walks them, through bin/algo.mjs in a
// child process: `algo init` in a folder of their own, then build, backtest on
// the template's own default data ("sequence.data"), and the template's tests.
// Each template is built once; the backtest and the tests reuse that project.
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseLossless } from "lossless-json";
import { runCli } from "./run.ts";

interface Expected {
  template: string;
  callbacks: string;
  data: RegExp;
  /** Default params as the report prints them. */
  params: Record<string, string>;
  /** The last log line of the default run. */
  lastLog: RegExp;
  tests: number;
}

const TEMPLATES: Expected[] = [
  {
    template: "momentum",
    callbacks: "on_start, on_trade, on_bar, on_fill, on_order, on_stop",
    data: /^S&P 500 daily bars/,
    params: { allow_short: "0", size: "1", stop_bps: "500", take_bps: "1000", window: "20" },
    lastLog: /^stop: \d+ stop-losses, \d+ take-profits; /,
    tests: 8,
  },
  {
    template: "twap",
    callbacks: "on_start, on_quote, on_trade, on_fill, on_order, on_timer, on_stop",
    data: /^SYNTHETIC .*seed 7, 200000 records/,
    params: { horizon_s: "120", lot: "0.01", passive: "1", qty: "10", sell: "0", slices: "12" },
    lastLog: /^done: bought 10\.0 at an average /,
    tests: 13,
  },
  {
    template: "grid",
    callbacks: "on_start, on_quote, on_fill, on_order, on_stop",
    data: /^SYNTHETIC .*seed 7, 1000000 records/,
    params: { levels: "5", size: "1", step_bps: "100", tick: "0.01" },
    lastLog: /^stop: \d+ fills; position .*; cancelling 10 resting orders$/,
    tests: 11,
  },
];

interface Report {
  result: {
    data: { ticks: unknown };
    params: Record<string, { value: string; default: boolean }>;
    fills: { count: unknown };
    orders: { open_at_end: unknown };
    logs: Array<{ message: string }>;
  };
  source: { description: string };
}

describe.each(TEMPLATES)("algo init --template $template → build → backtest → test", (t) => {
  it(`${t.template}: works in a folder of the user's own, right after init`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), `algo-${t.template}-`));
    const init = await runCli(["init", "my-algo", "--template", t.template], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const project = path.join(dir, "my-algo");
    const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });
    expect(JSON.parse(await readFile(path.join(project, "package.json"), "utf8")).name).toBe("my-algo");

    const build = await algo(["build"]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/built build\/algo\.wasm: [\d,]+ bytes, ABI v1\.3/);
    expect(build.stdout).toContain(`callbacks: ${t.callbacks}`);
    expect(existsSync(path.join(project, "build", "algo.wasm"))).toBe(true);

    const backtest = await algo(["backtest", "--json", "--maker-bps", "1", "--taker-bps", "5"]);
    expect(backtest.code, backtest.stderr).toBe(0);
    const { result, source } = parseLossless(backtest.stdout) as Report;
    expect(source.description).toMatch(t.data);
    expect(Object.fromEntries(Object.entries(result.params).map(([k, v]) => [k, v.value]))).toEqual(t.params);
    expect(Number(String(result.fills.count))).toBeGreaterThan(10);
    expect(Number(String(result.orders.open_at_end))).toBe(0);
    expect(result.logs.at(-1)?.message).toMatch(t.lastLog);

    const test = await algo(["test"]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(new RegExp(`Tests\\s+${t.tests} passed`));
  }, 400_000);
});
