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
    // The shapes `algo dev` sends: a fill and a status change, in wire units.
    server.pushTrace("dep_1", {
      type: "fill", edge_id: "edge-binance-1", venue: "binance", symbol: "ETH-USD", ts_ns: 1705406400300000001n,
      order_id: 17, side: "sell", price_1e9: 2_978_760_000_000n, qty_1e8: 150_000_000n, fee_1e9: 446_814_000n, liquidity: "maker",
    });
    server.pushTrace("dep_1", { type: "fill", edge_id: "edge-binance-1", venue: "binance", symbol: "ETH-USD", ts_ns: 1705406400300000002n, order_id: 18, side: "buy", price_1e9: 2_978_750_000_000n, qty_1e8: 1n, fee_1e9: -5n, liquidity: "maker" });
    server.pushTrace("dep_1", { type: "status", status: "faulted", reason: "assembly/algo.ts:12:5: division by zero in onQuote", edge_id: "edge-binance-1", venue: "binance", ts_ns: 1705406400400000000n });
    server.pushTrace("dep_1", { type: "status", status: "stopped", edge_id: "edge-coinbase-1", venue: "coinbase", ts_ns: 1705406400500000000n });
    await until(() => cli.stdout().includes("STATUS  stopped"), "the trace lines on stdout", 15_000);
    cli.child.kill("SIGINT");
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain("2024-01-16T12:00:00.123456789Z  edge-coinbase-1  INFO   fill 7 @ 101.5");
    expect(r.stdout).toContain("2024-01-16T12:00:00.200000000Z  coinbase  TRACE  venue_acked: order 7");
    // 1.5 × 2978.76 × 1 bp = 0.446814 → $0.45; a fee below zero is a rebate (here under a cent).
    expect(r.stdout).toContain("2024-01-16T12:00:00.300000001Z  edge-binance-1  FILL   sell 1.5 ETH-USD @ 2978.76  fee $0.45  maker  order 17\n");
    expect(r.stdout).toContain("2024-01-16T12:00:00.300000002Z  edge-binance-1  FILL   buy 0.00000001 ETH-USD @ 2978.75  rebate $0.00  maker  order 18\n");
    expect(r.stdout).toContain("2024-01-16T12:00:00.400000000Z  edge-binance-1  STATUS  faulted: assembly/algo.ts:12:5: division by zero in onQuote\n");
    expect(r.stdout).toContain("2024-01-16T12:00:00.500000000Z  edge-coinbase-1  STATUS  stopped\n");
    expect(r.stdout).not.toContain("price_1e9");
    expect(r.stderr).toContain("following traces:dep_1");
    expect(r.stderr).not.toContain("error");
  }, 40_000);
});

describe("algo metrics", () => {
  beforeEach(() => {
    const [a, b] = dep.edges;
    Object.assign(a!, { position_1e8: 150_000_000n, realized_pnl_1e9: 12_340_000_000n, unrealized_pnl_1e9: -500_000_000n, fill_count: 1234, callback_latency_ns: 850n });
    Object.assign(b!, { realized_pnl_1e9: 9007199254740993n, callback_latency_ns: 12_500n });
    // Fees travel only in the free-form metrics answer.
    dep.fees = { "edge-binance-1": 2_005_000_000_000n, "edge-coinbase-1": 4_999n };
  });

  test("a per-edge table in human units, with fees and net PnL per edge and in total", async () => {
    const r = await algo("metrics", "ETH-USD");
    expect(r.code).toBe(0);
    expect(server.routes().sort()).toEqual(["GET /v1/algos/ETH-USD", "GET /v1/deployments/dep_1", "GET /v1/deployments/dep_1/metrics"]);
    expect(r.stdout).toMatch(/EDGE\s+VENUE\s+STATUS\s+POSITION\s+REALIZED PNL\s+UNREALIZED PNL\s+FEES\s+NET PNL\s+FILLS\s+CB LATENCY/);
    // binance: 12.34 − 0.50 − 2,005.00 = −1,993.16
    expect(r.stdout).toMatch(/edge-binance-1\s+binance\s+running\s+1\.5\s+\+\$12\.34\s+-\$0\.50\s+\$2,005\.00\s+-\$1,993\.16\s+1,234\s+850 ns/);
    // coinbase: 9,007,199.254740993 − 0.000004999 = 9,007,199.254735994 → +$9,007,199.25
    expect(r.stdout).toMatch(/edge-coinbase-1\s+coinbase\s+running\s+0\s+\+\$9,007,199\.25\s+\$0\.00\s+\$0\.00\s+\+\$9,007,199\.25\s+0\s+12\.5 µs/);
    // total: realized 9,007,211.594740993; fees 2,005.000004999; net 9,007,211.594740993 − 0.5 − 2,005.000004999 = 9,005,206.094735994
    expect(r.stdout).toMatch(/total\s+1\.5\s+\+\$9,007,211\.59\s+-\$0\.50\s+\$2,005\.00\s+\+\$9,005,206\.09\s+1,234/);
  });

  test("an API that reports no fees: the columns say unknown (?), never $0.00", async () => {
    dep.fees = { "edge-binance-1": 1_000_000_000n };
    const r = await algo("metrics", "dep_1");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/edge-binance-1\s+binance\s+running\s+1\.5\s+\+\$12\.34\s+-\$0\.50\s+\$1\.00\s+\+\$10\.84\s/);
    expect(r.stdout).toMatch(/edge-coinbase-1\s+coinbase\s+running\s+0\s+\+\$9,007,199\.25\s+\$0\.00\s+\?\s+\?\s+0/);
    expect(r.stdout).toMatch(/total\s+1\.5\s+\+\$9,007,211\.59\s+-\$0\.50\s+\?\s+\?\s+1,234/);
  });

  test("--json keeps big integers exact, with fees, net and totals", async () => {
    const r = await algo("metrics", "dep_1", "--json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"realized_pnl_1e9":9007199254740993');
    expect(r.stdout).toContain('"position_1e8":150000000');
    expect(r.stdout).toContain('"fees_1e9":2005000000000,"net_pnl_1e9":-1993160000000');
    expect(r.stdout).toContain('"fees_1e9":4999,"net_pnl_1e9":9007199254735994');
    expect(r.stdout).toContain(
      '"totals":{"realized_pnl_1e9":9007211594740993,"unrealized_pnl_1e9":-500000000,"fill_count":1234,"fees_1e9":2005000004999,"net_pnl_1e9":9005206094735994}',
    );
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

  test("--watch ends with exit 0 and one line when the deployment is undeployed", async () => {
    const cli = startCli(["metrics", "dep_1", "--watch", "--interval", "150"], { env: apiEnv(server.url) });
    await until(() => cli.stdout().includes("CB LATENCY"), "a first refresh", 15_000);
    dep.status = "undeployed";
    for (const e of dep.edges) e.status = "undeployed";
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dep_1 "mm-eth"  ETH-USD  undeployed/);
    expect(r.stderr).toBe("dep_1 was undeployed; stopped watching\n");
  }, 40_000);

  test("--watch ends with exit 0 when the API forgets the deployment (404)", async () => {
    const cli = startCli(["metrics", "dep_1", "--watch", "--interval", "150"], { env: apiEnv(server.url) });
    await until(() => cli.stdout().includes("CB LATENCY"), "a first refresh", 15_000);
    server.deployments.delete("dep_1");
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("dep_1 is gone (undeployed); stopped watching\n");
  }, 40_000);
});
