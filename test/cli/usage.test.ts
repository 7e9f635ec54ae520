// Usage errors as a user meets them through bin/algo.mjs: exit 2, one line
// (two with the hint), never a JavaScript stack, never the whole help screen;
// and checked before anything is compiled.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "./run.ts";

let broken: string;

beforeAll(async () => {
  // An algo that does not compile: any usage error reported here was found before compiling.
  broken = await makeProject("broken");
  await writeFile(path.join(broken, "assembly", "algo.ts"), "this is not AssemblyScript(\n");
});

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);
const lines = (text: string) => text.trim().split("\n");

describe("usage errors", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["a fee that is not a number", ["backtest", "--maker-bps", "abc"], /option '--maker-bps <bps>' argument 'abc' is invalid\. expected basis points/],
    ["a fee with too many decimals", ["backtest", "--taker-bps", "1.23456"], /'--taker-bps <bps>' argument '1\.23456' is invalid/],
    ["a fractional latency", ["backtest", "--latency-ns", "1.5"], /'--latency-ns <ns>' argument '1\.5' is invalid\. expected a whole number/],
    ["a latency distribution with its bounds swapped", ["backtest", "--feed-latency", "uniform:300:100"], /'--feed-latency <delay>' argument 'uniform:300:100' is invalid\. uniform's min is above its max; expected <ns>, uniform:/],
    ["an unknown latency distribution", ["backtest", "--response-latency", "gamma:1:2"], /'--response-latency <delay>' argument 'gamma:1:2' is invalid\. unknown distribution "gamma"/],
    ["both names of the entry latency", ["backtest", "--latency-ns", "5", "--entry-latency", "6"], /--latency-ns is the old name of --entry-latency: give one of them/],
    ["an unknown queue model", ["backtest", "--queue", "fifo"], /'--queue <model>' argument 'fifo' is invalid\. expected one of through, risk-averse/],
    ["a capital that is not an amount", ["backtest", "--capital", "10k"], /'--capital <usd>' argument '10k' is invalid\. expected an amount of USD/],
    ["a capital of 0", ["backtest", "--capital", "0"], /'--capital <usd>' argument '0' is invalid\. expected an amount of USD greater than 0/],
    ["an unknown market remainder", ["backtest", "--market-remainder", "walk"], /'--market-remainder <rule>' argument 'walk' is invalid\. "walk": expected cancel, rest or impact:<bps>/],
    ["a bad --instrument", ["backtest", "--instrument", "tick=0"], /'--instrument <spec>' argument 'tick=0' is invalid\. tick: expected a value > 0/],
    ["a fractional --stale-ns", ["backtest", "--stale-ns", "0.5"], /'--stale-ns <ns>' argument '0\.5' is invalid\. expected a whole number/],
    ["--refuse-stale without --stale-ns", ["backtest", "--refuse-stale", "--data", "sp500"], /--refuse-stale needs --stale-ns <ns>/],
    ["a malformed --param", ["backtest", "--param", "size"], /--param size: expected name=value/],
    ["a --param that is not a number", ["backtest", "--param", "size=abc"], /param size=abc: expected a decimal number/],
    ["a missing data file", ["backtest", "--data", "nope.csv"], /--data nope\.csv: no such file/],
    ["a bad synthetic spec", ["backtest", "--data", "synthetic:x"], /--data synthetic:x: expected synthetic:<seed>:<count>/],
    ["an unreadable --wasm", ["backtest", "--wasm", "missing.wasm", "--data", "sp500"], /--wasm missing\.wasm: cannot read it/],
    ["a --seed that is not whole", ["data", "synth", "--seed", "x"], /--seed x: expected a whole number/],
    ["a --count that is negative", ["data", "synth", "--count", "-1"], /--count -1: expected a whole number/],
    ["a bad --interval", ["metrics", "ETH-USD", "--interval", "5"], /--interval 5: expected whole milliseconds/],
    ["a bad -n", ["logs", "ETH-USD", "-n", "abc"], /-n abc: expected a whole number/],
    ["a bad --port", ["dev", "--port", "abc"], /--port "abc": expected a whole number/],
    ["a bad --speed", ["dev", "--speed", "fast"], /--speed fast: expected a positive multiple/],
    ["an unknown template", ["init", "x", "--template", "nope"], /unknown template "nope"/],
    ["--data naming a directory", ["backtest", "--data", "assembly"], /--data assembly: is a directory \(.*assembly\); expected a tick file/],
    ["a synthetic count over the bound", ["backtest", "--data", "synthetic:1:1000000000000"], /--data synthetic:1:1000000000000: at most 50000000 synthetic records/],
    ["a --count over the bound", ["data", "synth", "--count", "1000000000000"], /--count 1000000000000: at most 50000000 records \(50 million\)/],
    ["-o into a missing folder", ["data", "synth", "--count", "10", "-o", "nofolder/x.csv"], /--out nofolder\/x\.csv: the folder .*nofolder does not exist; create it first/],
    ["-o onto a directory", ["data", "synth", "--count", "10", "-o", "assembly"], /--out assembly: is a directory; give a file name, e\.g\. assembly\/out\.csv/],
    ["fetch -o into a missing folder", ["data", "fetch", "ETH-USD", "-o", "nofolder/e.json"], /--out nofolder\/e\.json: the folder .*nofolder does not exist/],
    ["algo dev --data naming a file", ["dev", "--data", "package.json", "--port", "0"], /--data package\.json: is a file; algo dev reads a directory/],
    ["algo dev --data naming nothing", ["dev", "--data", "nodir", "--port", "0"], /--data nodir: no such directory/],
  ];

  it.each(cases)("%s: exit 2, one line, before compiling", async (_what, args, message) => {
    const r = await runCli(args, { cwd: broken, env: { SEQUENCE_API_KEY: "seq_test_usage", SEQUENCE_BASE_URL: "http://127.0.0.1:9" } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/build failed|error:.*algo\.ts/);
    expect(lines(r.stderr).length).toBeLessThanOrEqual(2);
    noStack(r.stderr);
    expect(r.stdout).toBe("");
  }, 60_000);

  const unknown: Array<[string[], string, string]> = [
    [["backtest", "--maker-bsp", "1"], "error: unknown option '--maker-bsp' (Did you mean --maker-bps?)", "run 'algo backtest --help' for usage"],
    [["build", "--jsno"], "error: unknown option '--jsno' (Did you mean --json?)", "run 'algo build --help' for usage"],
    [["deploy", "--dry-runn"], "error: unknown option '--dry-runn' (Did you mean --dry-run?)", "run 'algo deploy --help' for usage"],
    [["strategy", "push", "--nme", "x"], "error: unknown option '--nme' (Did you mean --name?)", "run 'algo strategy push --help' for usage"],
    [["bakctest"], "error: unknown command 'bakctest' (Did you mean backtest?)", "run 'algo --help' for usage"],
  ];

  it.each(unknown)("%j: one line and a hint, not the help screen", async (args, first, hint) => {
    const r = await runCli(args, { cwd: broken });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([first, hint]);
    expect(r.stdout).toBe("");
  });

  it("reports a compile error as a failure (exit 1) once the flags are good", async () => {
    const r = await runCli(["backtest", "--data", "synthetic:1:10", "--maker-bps", "2.5"], { cwd: broken, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/build failed/);
    noStack(r.stderr);
  }, 60_000);
});

describe("--version and --help", () => {
  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(await (await import("node:fs/promises")).readFile(new URL("../../package.json", import.meta.url), "utf8"));
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it("--help exits 0", async () => {
    const r = await runCli(["backtest", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--maker-bps <bps>/);
  });
});

describe("a reader that goes away", () => {
  it("ends quietly with exit 0 when stdout closes early (`algo backtest --help | head -1`), not with an EPIPE stack", async () => {
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./run.ts");
    const child = spawn(process.execPath, [BIN, "backtest", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Like `| head -1` that has already exited: the pipe is closed before the help is written.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(code).toBe(0);
  }, 30_000);
});
