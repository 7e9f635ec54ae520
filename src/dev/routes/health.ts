/** `GET /v1/health/live`: no key needed; 200 while the emulator serves. */
import type { Router } from "../router.ts";

export function healthRoutes(router: Router): void {
  router.get("/v1/health/live", () => ({ body: { status: "ok" } }), { auth: false });
}
