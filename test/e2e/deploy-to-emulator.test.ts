// The whole product as a user drives it (issues 4 and 5): `algo init` → `algo
// build` → `algo deploy ETH-USD` against a running `algo dev` → metrics show
// fills → logs → stop → undeploy. Every step is the real CLI in a child
// process talking real HTTP and WebSocket to the emulator in another.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseLossless } from "lossless-json";
import { apiEnv, runCli } from "../cli/run.ts";
import { poll, startEmulator, type RunningEmulator } from "../dev/emulator.ts";

const KEY = "seq_test_e2e_key";
let emulator: RunningEmulator;
let project: string;
let env: Record<string, string>;

interface Edge {
  edge_id: string;
  venue: string;
  status: string;
  fill_count: unknown;
}
interface Deployment {
  deployment_id: string;
  status: string;
  pushed_to: unknown;
  capable_edges: unknown;
  edges: Edge[];
}

const json = <T>(text: string) => parseLossless(text) as T;
const num = (v: unknown) => Number(String(v));

beforeAll(async () => {
  emulator = await startEmulator(["--speed", "20", "--key", KEY, "--state", ":memory:", "--budget-ms", "2000"]);
  env = apiEnv(emulator.url, KEY);
  const dir = await mkdtemp(path.join(tmpdir(), "algo-e2e-"));
  const init = await runCli(["init", "eth-mm", "--template", "market-maker"], { cwd: dir });
  expect(init.code, init.stderr).toBe(0);
  project = path.join(dir, "eth-mm");
  // The template quotes 40 bps from the mid by default (above every default maker fee), which
  // never fills on the emulator's synthetic ticks; quote at the touch, as a user trying it would.
  const source = path.join(project, "assembly", "algo.ts");
  const text = await readFile(source, "utf8");
  const tight = text.replace('params.px("half_spread_bps", Px.fromInt(40))', 'params.px("half_spread_bps", 0)');
  expect(tight).not.toBe(text);
  await writeFile(source, tight);
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("init → build → deploy → metrics → logs → stop → undeploy", () => {
  let id: string;

  it("builds and deploys to every capable edge", async () => {
    const build = await runCli(["build"], { cwd: project });
    expect(build.code, build.stderr).toBe(0);
    const deploy = await runCli(["deploy", "ETH-USD", "--json"], { cwd: project, env });
    expect(deploy.code, deploy.stderr).toBe(0);
    const d = json<Deployment>(deploy.stdout);
    id = d.deployment_id;
    expect(num(d.capable_edges)).toBe(3);
    expect(num(d.pushed_to)).toBe(3);
    expect(d.edges.map((e) => e.venue).sort()).toEqual(["binance", "coinbase", "kraken"]);
    expect(deploy.stdout + deploy.stderr).not.toContain(KEY);
  }, 120_000);

  it("shows fills on the edges within seconds", async () => {
    const d = await poll(
      async () => json<Deployment>((await runCli(["metrics", "ETH-USD", "--json"], { cwd: project, env })).stdout),
      (d) => d.edges.some((e) => num(e.fill_count) > 0),
      "fills on an edge",
      60_000,
    );
    expect(d.deployment_id).toBe(id);
    expect(d.edges.every((e) => e.status === "running")).toBe(true);
    const table = await runCli(["metrics", id], { cwd: project, env });
    expect(table.stdout).toMatch(/edge-\S+\s+(coinbase|kraken|binance)\s+running/);
  }, 90_000);

  it("prints the algo's logs and status", async () => {
    const logs = await runCli(["logs", "ETH-USD", "-n", "20"], { cwd: project, env });
    expect(logs.code, logs.stderr).toBe(0);
    const status = await runCli(["status", id], { cwd: project, env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(id);
  }, 60_000);

  it("fetches price history offline and backtests on it", async () => {
    const fetch = await runCli(["data", "fetch", "ETH-USD", "--ticks", "2000", "-o", "eth.json"], { cwd: project, env });
    expect(fetch.code, fetch.stderr).toBe(0);
    const points = Number(/wrote eth\.json: ([\d,]+) points/.exec(fetch.stdout)![1].replace(/,/g, ""));
    expect(points).toBeGreaterThan(0);
    const bt = await runCli(["backtest", "--data", "eth.json", "--json"], { cwd: project });
    expect(bt.code, bt.stderr).toBe(0);
    const report = json<{ result: { data: { ticks: unknown; trades: unknown } } }>(bt.stdout);
    expect(num(report.result.data.ticks)).toBe(points);
    expect(num(report.result.data.trades)).toBe(points);
  }, 60_000);

  it("stops (warning that resting orders stay) and undeploys", async () => {
    const stop = await runCli(["stop", "ETH-USD"], { cwd: project, env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(/stopping does not cancel the algo's resting orders/);
    const stopped = json<Deployment>((await runCli(["status", id, "--json"], { cwd: project, env })).stdout);
    expect(stopped.status).toBe("stopped");

    const undeploy = await runCli(["undeploy", id], { cwd: project, env });
    expect(undeploy.code, undeploy.stderr).toBe(0);
    const list = await runCli(["list", "--json"], { cwd: project, env });
    expect(list.stdout).not.toContain(id);
  }, 60_000);
});
