/** What the route handlers work with: the emulator's parts, wired once in index.ts. */
import type { DevConfig } from "./config.ts";
import type { Registry } from "./deployments.ts";
import type { EdgeMap } from "./edges.ts";
import { badRequest } from "./errors.ts";
import type { Market } from "./market.ts";
import type { Strategies } from "./strategies.ts";

export interface App {
  readonly config: DevConfig;
  readonly edges: EdgeMap;
  readonly market: Market;
  readonly registry: Registry;
  readonly strategies: Strategies;
}

/** `?limit=N` for the logs endpoints: 1..10 000, default 100. */
export function logsLimit(query: URLSearchParams): number {
  const text = query.get("limit");
  if (text === null || text === "") return 100;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= 10_000)) throw badRequest("invalid_request", `limit=${text}: expected a whole number in 1..10000`);
  return n;
}
