/** `/v1/algos…`: algos keyed by symbol — one running module per symbol per client (wire.md). */
import { logsLimit, type App } from "../app.ts";
import type { Router } from "../router.ts";
import { algoEdgeRows, algoJson, algoRow, statsJson } from "../views.ts";

export function algoRoutes(router: Router, app: App): void {
  const { registry } = app;

  router.get("/v1/algos", ({ client, query }) => {
    const perEdge = query.get("detail") === "edge";
    const algos = registry.algos(client).flatMap(({ symbol, deployment }) => (perEdge ? algoEdgeRows(symbol, deployment) : [algoRow(symbol, deployment)]));
    return { body: { algos } };
  });

  router.get("/v1/algos/:symbol", ({ client, params }) => ({ body: algoJson(params.symbol, registry.bySymbol(client, params.symbol)) }));

  router.post("/v1/algos/:symbol/start", ({ client, params }) => {
    const d = registry.bySymbol(client, params.symbol);
    registry.start(d, params.symbol);
    return { body: algoJson(params.symbol, d) };
  });

  router.post("/v1/algos/:symbol/stop", async ({ client, params }) => {
    const d = registry.bySymbol(client, params.symbol);
    await registry.stop(d, params.symbol);
    return { body: algoJson(params.symbol, d) };
  });

  router.get("/v1/algos/:symbol/logs", ({ client, params, query }) => {
    const d = registry.bySymbol(client, params.symbol);
    const edges = new Set(d.edgesOf(params.symbol).map((e) => e.edgeId));
    const logs = d.logs.last(logsLimit(query), (e) => e.edge_id === "" || edges.has(e.edge_id));
    return { body: { deployment_id: d.id, symbol: params.symbol, logs } };
  });

  router.get("/v1/algos/:symbol/stats", ({ client, params }) => ({ body: statsJson(params.symbol, registry.bySymbol(client, params.symbol)) }));
}
