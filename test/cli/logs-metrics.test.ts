/**
 * `algo logs` (history, and -f over the traces:{id} WebSocket until SIGINT)
 * and `algo metrics` (human units, exact JSON, --watch until SIGINT).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { until } from "../client/fake-server.ts";
import { rawModule } from "../fixtures/raw-modules.ts";
import { API_KEY, apiEnv, runCli, startCli } from "./run.ts";
import { T0_NS, WireServer, type DeploymentState } from "./wire-server.ts";

let server: WireServer;
let dep: DeploymentState;

beforeEach(async () => {
  server = await WireServer.start({ apiKey: API_KEY });
  dep = server.addDeployment("mm-eth", ["ETH-USD"], rawModule());
  for (let i = 1; i <= 5; i++) server.log(dep.deployment_id, "edge-binance-1", i === 5 ? "warn" : "info", `line ${i}`);
});

afterEach(async () => {
  await server.close();
});

const algo = (...args: string[]) => runCli(args, { env: apiEnv(server.url) });

describe("algo logs", () => {
  test("-n N asks for N lines and prints them oldest first with exact nanosecond times", async () => {
    const r = await algo("logs", "dep_1", "-n", "2");
    expect(r.code).toBe(0);
    expect(server.requests[0]!.path).toBe("/v1/deployments/dep_1/logs");
    expect(server.requests[0]!.query).toEqual({ limit: "2" });
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^2024-01-16T12:00:00\.00000000\dZ\s+edge-binance-1\s+INFO\s+line 4$/);
    expect(lines[1]).toMatch(/edge-binance-1\s+WARN\s+line 5$/);
  });

  test("by symbol: resolved to the deployment id first; --json keeps ts_ns exact", async () => {
    const r = await algo("logs", "ETH-USD", "-n", "1", "--json");
    expect(r.code).toBe(0);
    expect(server.routes()).toEqual(["GET /v1/algos/ETH-USD", "GET /v1/deployments/dep_1/logs"]);
    expect(r.stdout).toContain(`"ts_ns":${T0_NS + 6n}`);
  });

  test("-n out of range is a usage error (exit 2), nothing sent", async () => {
    const r = await algo("logs", "dep_1", "-n", "0");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("-n 0: expected a whole number of lines from 1 to 10000");
    expect(server.requests).toHaveLength(0);
  });

  test("-f prints a trace pushed by the server, then exits cleanly on SIGINT", async () => {
    const cli = startCli(["logs", "ETH-USD", "-f", "-n", "1"], { env: apiEnv(server.url) });
    await until(() => server.subscribed("traces:dep_1"), "the CLI to subscribe to traces:dep_1", 15_000);
    await until(() => cli.stdout().includes("line 5"), "the history line", 15_000);
    const ws = server.ws.find((c) => c.channels.has("traces:dep_1"))!;
    expect(ws.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(server.pushTrace("dep_1", { ts_ns: 1705406400123456789n, edge_id: "edge-coinbase-1", level: "info", message: "fill 7 @ 101.5" })).toBe(1);
    server.pushTrace("dep_1", { event_type: "venue_acked", timestamp_ns: 1705406400200000000n, venue: "coinbase", detail: "order 7" });
    await until(() => cli.stdout().includes("venue_acked"), "the trace lines on stdout", 15_000);
    cli.child.kill("SIGINT");
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain("2024-01-16T12:00:00.123456789Z  edge-coinbase-1  INFO   fill 7 @ 101.5");
    expect(r.stdout).toContain("2024-01-16T12:00:00.200000000Z  coinbase  TRACE  venue_acked: order 7");
    expect(r.stderr).toContain("following traces:dep_1");
    expect(r.stderr).not.toContain("error");
  }, 40_000);
});

describe("algo metrics", () => {
  beforeEach(() => {
    const [a, b] = dep.edges;
    Object.assign(a!, { position_1e8: 150_000_000n, realized_pnl_1e9: 12_340_000_000n, unrealized_pnl_1e9: -500_000_000n, fill_count: 1234, callback_latency_ns: 850n });
    Object.assign(b!, { realized_pnl_1e9: 9007199254740993n, callback_latency_ns: 12_500n });
  });

  test("a per-edge table in human units", async () => {
    const r = await algo("metrics", "ETH-USD");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/EDGE\s+VENUE\s+STATUS\s+POSITION\s+REALIZED PNL\s+UNREALIZED PNL\s+FILLS\s+CB LATENCY/);
    expect(r.stdout).toMatch(/edge-binance-1\s+binance\s+running\s+1\.5\s+\+\$12\.34\s+-\$0\.50\s+1,234\s+850 ns/);
    expect(r.stdout).toMatch(/edge-coinbase-1\s+coinbase\s+running\s+0\s+\+\$9,007,199\.25\s+\$0\.00\s+0\s+12\.5 µs/);
    expect(r.stdout).toMatch(/total\s+1\.5\s+\+\$9,007,211\.59\s+-\$0\.50\s+1,234/);
  });

  test("--json keeps big integers exact", async () => {
    const r = await algo("metrics", "dep_1", "--json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"realized_pnl_1e9":9007199254740993');
    expect(r.stdout).toContain('"position_1e8":150000000');
  });

  test("--raw prints the server's free-form metrics", async () => {
    const r = await algo("metrics", "dep_1", "--raw");
    expect(r.code).toBe(0);
    expect(server.routes()).toEqual(["GET /v1/deployments/dep_1/metrics"]);
    expect(r.stdout).toContain('"latency_p99_ns":1700');
  });

  test("--watch refreshes (plain repeated blocks when not a terminal) until SIGINT, exit 0", async () => {
    const cli = startCli(["metrics", "dep_1", "--watch", "--interval", "150"], { env: apiEnv(server.url) });
    await until(() => (cli.stdout().match(/CB LATENCY/g) ?? []).length >= 2, "two refreshes", 15_000);
    dep.edges[0]!.fill_count = 1300;
    await until(() => cli.stdout().includes("1,300"), "a refresh with the new fill count", 15_000);
    cli.child.kill("SIGINT");
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\x1b[");
    expect(r.stdout).toContain("\n\ndep_1");
    expect(r.stderr).toBe("");
  }, 40_000);
});
