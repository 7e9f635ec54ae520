/**
 * `algo list|status|start|stop|undeploy` by deployment id and by symbol,
 * against a real local server: the requests made, the text printed, exit codes.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { looksLikeSymbol, parseTarget } from "../../src/cli/algos.ts";
import { rawModule } from "../fixtures/raw-modules.ts";
import { API_KEY, apiEnv, runCli } from "./run.ts";
import { WireServer, type DeploymentState } from "./wire-server.ts";

let server: WireServer;
let dep: DeploymentState;
const WASM = rawModule();

beforeEach(async () => {
  server = await WireServer.start({ apiKey: API_KEY });
  dep = server.addDeployment("mm-eth", ["ETH-USD"], WASM);
  dep.edges[0]!.position_1e8 = -250_000_000n;
});

afterEach(async () => {
  await server.close();
});

const algo = (...args: string[]) => runCli(args, { env: apiEnv(server.url) });

describe("id or symbol, by shape", () => {
  test("capitals without lower case are symbols; anything else is an id; --id/--symbol force it", () => {
    for (const s of ["ETH-USD", "BTC-PERP", "AAPL", "BRK.B", "ETH/USDT"]) expect(looksLikeSymbol(s)).toBe(true);
    for (const s of ["dep_1", "eth-usd", "3f2a9c1e-0b7d", "12345", "Dep-1"]) expect(looksLikeSymbol(s)).toBe(false);
    expect(parseTarget("ETH-USD")).toEqual({ kind: "symbol", symbol: "ETH-USD" });
    expect(parseTarget("dep_1")).toEqual({ kind: "id", id: "dep_1" });
    expect(parseTarget("ETH-USD", { id: true })).toEqual({ kind: "id", id: "ETH-USD" });
    expect(parseTarget("btc", { symbol: true })).toEqual({ kind: "symbol", symbol: "btc" });
  });
});

describe("algo list", () => {
  test("by symbol, per edge, deployments, and --json", async () => {
    const [plain, edges, deployments, json] = await Promise.all([
      algo("list"),
      algo("list", "--edges"),
      algo("list", "--deployments"),
      algo("list", "--edges", "--json"),
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/SYMBOL\s+DEPLOYMENT ID\s+NAME\s+STATUS/);
    expect(plain.stdout).toMatch(/ETH-USD\s+dep_1\s+mm-eth\s+running/);
    expect(edges.code).toBe(0);
    expect(edges.stdout).toMatch(/ETH-USD\s+dep_1\s+edge-binance-1\s+binance\s+running\s+-2\.5\s/);
    expect(edges.stdout).toMatch(/edge-coinbase-1\s+coinbase/);
    expect(deployments.stdout).toMatch(/dep_1\s+mm-eth\s+ETH-USD\s+running\s+2\/2/);
    expect(json.stdout).toContain('"position_1e8":-250000000');
    expect(server.routes().sort()).toEqual(["GET /v1/algos", "GET /v1/algos", "GET /v1/algos", "GET /v1/deployments"]);
  });
});

describe("algo status", () => {
  test("by id and by symbol show the same deployment; a symbol is looked up first", async () => {
    const byId = await algo("status", "dep_1");
    expect(byId.code).toBe(0);
    // The deployment, and its free-form metrics for the fees (not a field of the wire's Deployment).
    expect(server.routes().sort()).toEqual(["GET /v1/deployments/dep_1", "GET /v1/deployments/dep_1/metrics"]);
    const bySymbol = await algo("status", "ETH-USD");
    expect(bySymbol.code).toBe(0);
    expect(server.routes().slice(2)).toEqual(["GET /v1/algos/ETH-USD", ...server.routes().slice(3).sort()]);
    expect(server.routes().slice(3).sort()).toEqual(["GET /v1/deployments/dep_1", "GET /v1/deployments/dep_1/metrics"]);
    expect(bySymbol.stdout).toBe(byId.stdout);
    expect(byId.stdout).toContain('deployment dep_1 "mm-eth"');
    expect(byId.stdout).toMatch(/edge-binance-1\s+binance\s+running\s+-2\.5\s+\$0\.00/);
  });

  test("unknown id and unknown symbol: exit 1, saying what was looked for and the server's message", async () => {
    const id = await algo("status", "dep_404");
    expect(id.code).toBe(1);
    expect(id.stderr).toContain('no deployment "dep_404" (read as a deployment id');
    expect(id.stderr).toContain("404 not_found: deployment dep_404 not found");
    const sym = await algo("status", "SOL-USD");
    expect(sym.code).toBe(1);
    expect(sym.stderr).toContain("no algo is deployed on SOL-USD (read as a symbol");
    expect(sym.stderr).toContain("404 not_found: no algo on SOL-USD");
  });
});

describe("algo start / stop", () => {
  test("stop by symbol and by id warns that resting orders are not cancelled", async () => {
    const bySymbol = await algo("stop", "ETH-USD");
    expect(bySymbol.code).toBe(0);
    expect(bySymbol.stderr).toContain("warning: stopping does not cancel the algo's resting orders");
    expect(bySymbol.stdout).toContain("stopped the algo on ETH-USD (deployment dep_1): status stopped");
    expect(dep.status).toBe("stopped");

    const start = await algo("start", "dep_1");
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('started dep_1 "mm-eth"');
    expect(dep.status).toBe("running");

    const byId = await algo("stop", "dep_1", "--json");
    expect(byId.code).toBe(0);
    expect(byId.stderr).toContain("does not cancel the algo's resting orders");
    expect(JSON.parse(byId.stdout)).toMatchObject({ deployment_id: "dep_1", status: "stopped" });

    const startSymbol = await algo("start", "ETH-USD");
    expect(startSymbol.code).toBe(0);
    expect(startSymbol.stderr).not.toContain("warning");
    expect(server.routes()).toEqual([
      "POST /v1/algos/ETH-USD/stop",
      "POST /v1/deployments/dep_1/start",
      "POST /v1/deployments/dep_1/stop",
      "POST /v1/algos/ETH-USD/start",
    ]);
  });
});

describe("API errors", () => {
  test("a server error is exit 1 with the server's code and message", async () => {
    server.failNext("POST /v1/deployments/dep_1/start", { status: 500, code: "edge_mesh_down", message: "edge mesh unavailable" });
    const r = await algo("start", "dep_1");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("algoStart: POST /v1/deployments/dep_1/start → 500 edge_mesh_down: edge mesh unavailable");
    expect(r.stdout).toBe("");
  });
});

describe("algo undeploy", () => {
  test("by symbol resolves the deployment id, then deletes it; afterwards the symbol is free", async () => {
    const r = await algo("undeploy", "ETH-USD");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("undeployed dep_1 (the algo on ETH-USD): undeployed");
    expect(server.routes()).toEqual(["GET /v1/algos/ETH-USD", "DELETE /v1/deployments/dep_1"]);
    const after = await algo("status", "ETH-USD");
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("no algo is deployed on ETH-USD");
  });

  test("by id", async () => {
    const r = await algo("undeploy", "dep_1", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ deployment_id: "dep_1", status: "undeployed" });
    expect(server.routes()).toEqual(["DELETE /v1/deployments/dep_1"]);
  });
});
