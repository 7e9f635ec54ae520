/** `/v1/strategies…`: hosted strategies (strategies.ts). */
import { logsLimit, type App } from "../app.ts";
import type { Router } from "../router.ts";

export function strategyRoutes(router: Router, app: App): void {
  const { strategies } = app;

  router.get("/v1/strategies", ({ client }) => ({ body: { strategies: strategies.list(client).map((s) => strategies.json(s)) } }));

  router.post("/v1/strategies", async ({ client, body }) => ({ body: strategies.json(await strategies.push(client, body)) }));

  router.get("/v1/strategies/:id", ({ client, params }) => ({ body: strategies.json(strategies.get(client, params.id)) }));

  router.post("/v1/strategies/:id/start", async ({ client, params }) => ({ body: strategies.json(await strategies.start(client, params.id)) }));

  router.post("/v1/strategies/:id/stop", async ({ client, params }) => ({ body: strategies.json(await strategies.stop(client, params.id)) }));

  router.get("/v1/strategies/:id/logs", ({ client, params, query }) => {
    const d = strategies.deployment(client, params.id);
    return { body: { strategy_id: params.id, deployment_id: d?.id ?? null, logs: d ? d.logs.last(logsLimit(query)) : [] } };
  });

  router.delete("/v1/strategies/:id", async ({ client, params }) => {
    await strategies.remove(client, params.id);
    return { body: { strategy_id: params.id, status: "deleted" } };
  });
}
