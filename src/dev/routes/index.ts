/** Every endpoint the emulator serves, on one router. */
import type { App } from "../app.ts";
import { Router } from "../router.ts";
import { algoRoutes } from "./algos.ts";
import { deploymentRoutes } from "./deployments.ts";
import { healthRoutes } from "./health.ts";
import { marketRoutes } from "./market.ts";
import { strategyRoutes } from "./strategies.ts";

export function buildRouter(app: App): Router {
  const router = new Router();
  healthRoutes(router);
  deploymentRoutes(router, app);
  algoRoutes(router, app);
  strategyRoutes(router, app);
  marketRoutes(router, app);
  return router;
}
