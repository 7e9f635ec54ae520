/** `/v1/deployments…`: the Level 4 CRUD primitive (wire.md). */
import { logsLimit, type App } from "../app.ts";
import type { Router } from "../router.ts";
import { parseDeploy } from "../upload.ts";
import { deploymentJson, meshJson, metricsJson } from "../views.ts";

export function deploymentRoutes(router: Router, app: App): void {
  const { registry } = app;

  router.post("/v1/deployments", async ({ client, body }) => {
    const input = await parseDeploy(body, app.edges, app.config.maxMemoryPages);
    const d = registry.create({
      client,
      name: input.name,
      symbols: input.symbols,
      wasm: input.upload.bytes,
      module: input.upload.info.module,
      start: input.startImmediately,
    });
    return { body: deploymentJson(d) };
  });

  router.get("/v1/deployments", ({ client, query }) => ({
    body: { deployments: registry.list(client, query.get("include_undeployed") === "true").map(deploymentJson) },
  }));

  router.get("/v1/deployments/:id", ({ client, params }) => ({ body: deploymentJson(registry.get(client, params.id)) }));

  router.post("/v1/deployments/:id/start", ({ client, params }) => {
    const d = registry.get(client, params.id);
    registry.start(d);
    return { body: deploymentJson(d) };
  });

  router.post("/v1/deployments/:id/stop", async ({ client, params }) => {
    const d = registry.get(client, params.id);
    await registry.stop(d);
    return { body: deploymentJson(d) };
  });

  router.delete("/v1/deployments/:id", async ({ client, params }) => {
    const d = registry.get(client, params.id);
    await registry.undeploy(d);
    return { body: { deployment_id: d.id, status: "undeployed" } };
  });

  router.get("/v1/deployments/:id/logs", ({ client, params, query }) => {
    const d = registry.get(client, params.id);
    return { body: { deployment_id: d.id, logs: d.logs.last(logsLimit(query)) } };
  });

  router.get("/v1/deployments/:id/mesh", ({ client, params }) => ({ body: meshJson(registry.get(client, params.id), app.edges) }));

  router.get("/v1/deployments/:id/metrics", ({ client, params }) => ({ body: metricsJson(registry.get(client, params.id)) }));
}
