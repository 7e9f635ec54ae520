// --param on deploy and strategy push, as a user runs them against `algo dev`:
// the params travel inside the module (sequence.params), the emulator's edges
// run with them, and `algo status` shows them.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paramsOfModule } from "../../harness/params.ts";
import { withParams } from "../../src/build/params-section.ts";
import { poll, startEmulator, type RunningEmulator } from "../dev/emulator.ts";
import { apiEnv, makeProject, runCli } from "./run.ts";

const KEY = "seq_test_params_key";
// Logs the params it was started with, so the edge's log shows what it runs with.
const ALGO = `import { Algo, Quote, log, params, register } from "sequence-algo/runtime";
class Says extends Algo {
  onStart(): void {
    log.info("window=" + params.int("window", 10).toString() + " depth=" + params.int("depth", 1).toString());
  }
  onQuote(q: Quote): void {}
}
register(new Says());
`;

let emulator: RunningEmulator;
let project: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { cwd: project, env, timeoutMs: 90_000 });

beforeAll(async () => {
  emulator = await startEmulator(["--speed", "20", "--key", KEY, "--state", ":memory:"]);
  env = apiEnv(emulator.url, KEY);
  project = await makeProject("params");
  await writeFile(path.join(project, "assembly", "algo.ts"), ALGO);
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("--param on deploy", () => {
  let id: string;

  it("puts the params in the uploaded module; the edges run with them", async () => {
    const deploy = await cli(["deploy", "ETH-USD", "--param", "window=42", "--json"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).toContain("params in the module: window=42");
    const d = JSON.parse(deploy.stdout) as { deployment_id: string; params: Record<string, string> };
    id = d.deployment_id;
    expect(d.params).toEqual({ window: "42" });

    const logs = await poll(
      async () => (await cli(["logs", id, "-n", "50"])).stdout,
      (text) => /window=42 depth=1/.test(text),
      "the edge's onStart log line",
      60_000,
    );
    expect(logs).not.toMatch(/window=10/);
  }, 120_000);

  it("algo status shows them", async () => {
    const status = await cli(["status", id]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/params\s+window=42/);
    await cli(["undeploy", id]);
  }, 60_000);

  it("leaves the project's build untouched (the params live in the uploaded copy)", async () => {
    const built = new Uint8Array(await readFile(path.join(project, "build", "algo.wasm")));
    expect(paramsOfModule(await WebAssembly.compile(built))).toEqual({});
  });

  it("refuses a bad --param before building or sending anything", async () => {
    const r = await cli(["deploy", "ETH-USD", "--param", "window=ten"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/param window=ten: expected a decimal number/);
  });
});

describe("a module's params in algo backtest", () => {
  it("are used, and a run-time --param beats them", async () => {
    const built = new Uint8Array(await readFile(path.join(project, "build", "algo.wasm")));
    const wasm = path.join(project, "with-params.wasm");
    await writeFile(wasm, await withParams(built, { window: "42", depth: "3" }));
    type Report = { result: { params: Record<string, { value: string; default: boolean }> } };
    const fromModule = await cli(["backtest", "--wasm", wasm, "--data", "synthetic:1:1000", "--json"]);
    expect(fromModule.code, fromModule.stderr).toBe(0);
    expect((JSON.parse(fromModule.stdout) as Report).result.params).toEqual({
      depth: { value: "3", default: false },
      window: { value: "42", default: false },
    });
    const overridden = await cli(["backtest", "--wasm", wasm, "--data", "synthetic:1:1000", "--json", "--param", "window=5"]);
    expect((JSON.parse(overridden.stdout) as Report).result.params.window).toEqual({ value: "5", default: false });
  }, 60_000);
});

describe("--param on strategy push", () => {
  it("packs the params inside the module in the zip", async () => {
    const zip = path.join(project, "strategy.zip");
    const r = await cli(["strategy", "push", "--dry-run", "--out", zip, "--param", "depth=3", "--param", "window=7"]);
    expect(r.code, r.stderr).toBe(0);
    const files = unzipSync(new Uint8Array(await readFile(zip)));
    const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"])) as { module: string };
    expect(paramsOfModule(await WebAssembly.compile(files[manifest.module]))).toEqual({ depth: "3", window: "7" });
  }, 60_000);
});
