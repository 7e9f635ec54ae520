/**
 * `algo dev`: the local Sequence platform emulator. It serves the wire
 * contract (shared spec wire.md) over real HTTP and WebSocket, and its edges
 * really run deployed modules: each deployment on each edge is the harness's
 * engine in a worker thread, replaying the edge's paced market data.
 *
 *   startEmulator(config) → { url, close() }
 *
 * Parts: config.ts (settings) · store.ts (SQLite state) · edges.ts (venue map)
 * · market.ts/feed.ts/ring.ts (paced replays) · deployments.ts/edge-run.ts/
 * edge-worker.ts (engines) · stream.ts (WebSocket) · server.ts/router.ts/
 * routes/ (HTTP) · docs/emulator.md (what it does and where it differs from
 * the platform).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { TOOLKIT_ROOT } from "../paths.ts";
import type { App } from "./app.ts";
import { Auth } from "./auth.ts";
import type { DevConfig } from "./config.ts";
import { Registry } from "./deployments.ts";
import { EdgeMap } from "./edges.ts";
import { ConfigError } from "./errors.ts";
import type { LifecycleListener } from "./lifecycle.ts";
import { Market } from "./market.ts";
import { buildRouter } from "./routes/index.ts";
import { ApiServer } from "./server.ts";
import { Store } from "./store.ts";
import { Strategies } from "./strategies.ts";
import { StreamHub } from "./stream.ts";

export { resolveConfig, type DevConfig, type DevFlags } from "./config.ts";
export { ConfigError } from "./errors.ts";
export { lifecycleLine, type LifecycleEvent, type LifecycleListener } from "./lifecycle.ts";

export interface Emulator {
  /** e.g. http://127.0.0.1:50052 */
  readonly url: string;
  readonly port: number;
  /** The key generated (or reused from the state file) when none was configured. */
  readonly generatedKey: string | undefined;
  readonly clients: ReadonlyMap<string, string>;
  readonly edges: EdgeMap;
  /** Deployments found in the state file, and how many of their edges were resumed. */
  readonly restored: { deployments: number; resumed: number; strategies: number };
  /** Per-edge data descriptions, for the banner. */
  readonly data: string[];
  close(): Promise<void>;
}

/** The bundled engine worker: next to this module in dist/, else the toolkit's dist/. */
export function findWorker(): URL {
  const here = new URL("./edge-worker.mjs", import.meta.url);
  if (here.protocol === "file:" && existsSync(here)) return here;
  const built = path.join(TOOLKIT_ROOT, "dist", "edge-worker.mjs");
  if (existsSync(built)) return pathToFileURL(built);
  throw new ConfigError(`the edge engine is not built (${built} is missing): run \`npm run build\` in ${TOOLKIT_ROOT}`);
}

export interface EmulatorOptions {
  workerUrl?: URL;
  /** Told of each deploy, start, stop, undeploy and fault as it happens (`algo dev` prints them). */
  onLifecycle?: LifecycleListener;
}

export async function startEmulator(config: DevConfig, options: EmulatorOptions = {}): Promise<Emulator> {
  const workerUrl = options.workerUrl ?? findWorker();
  const store = new Store(config.statePath);
  const cleanup: Array<() => unknown> = [() => store.close()];
  try {
    let epoch = store.meta("epoch_ns");
    if (epoch === undefined) store.setMeta("epoch_ns", (epoch = (BigInt(Date.now()) * 1_000_000n).toString()));

    const keys = new Map(config.keys);
    let generatedKey: string | undefined;
    if (keys.size === 0) {
      generatedKey = store.meta("generated_key");
      if (generatedKey === undefined) store.setMeta("generated_key", (generatedKey = `seq_test_${randomBytes(12).toString("hex")}`));
      keys.set(generatedKey, "default");
    }

    const edges = new EdgeMap(config.venues);
    const market = new Market(edges, config.speed, config.dataDir);
    await market.start(BigInt(epoch), store.loadClocks());
    cleanup.unshift(() => market.stop());

    const hub = new StreamHub((client, channel) => channelCheck(client, channel));
    cleanup.unshift(() => hub.close()); // first: open WebSockets would keep the HTTP server from closing
    const registry = new Registry(store, edges, market, hub, config, workerUrl);
    if (options.onLifecycle) registry.onLifecycle = options.onLifecycle;
    const strategies = new Strategies(store, registry, edges, config);
    const app: App = { config, edges, market, registry, strategies };

    function channelCheck(client: string, channel: string): { code: string; message: string } | undefined {
      if (channel === "fills" || channel === "orders" || channel === "routing") return undefined;
      const colon = channel.indexOf(":");
      const head = colon < 0 ? channel : channel.slice(0, colon);
      const rest = colon < 0 ? "" : channel.slice(colon + 1);
      if (head === "traces" && rest) {
        try {
          registry.get(client, rest);
          return undefined;
        } catch {
          return { code: "not_found", message: `no deployment "${rest}"` };
        }
      }
      if ((head === "prices" || head === "book") && rest) {
        return edges.hasSymbol(rest) ? undefined : { code: "unknown_symbol", message: `unknown symbol "${rest}": the edges host ${edges.symbols().join(", ")}` };
      }
      return { code: "invalid_channel", message: `unknown channel "${channel}": use traces:<deployment_id>, fills, prices:<symbol>, book:<symbol>, orders, routing` };
    }

    const restoredDeployments = await registry.restore();
    cleanup.splice(1, 0, () => registry.close());
    const restoredStrategies = strategies.restore();

    const server = new ApiServer(buildRouter(app), new Auth(keys), hub);
    let address;
    try {
      address = await server.listen(config.host, config.port);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigError(
        code === "EADDRINUSE" ? `port ${config.port} on ${config.host} is in use; give another --port (0 picks a free one)` : `cannot listen on ${config.host}:${config.port} (${(e as Error).message})`,
      );
    }
    hub.startMarket(market);
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      port: address.port,
      generatedKey,
      clients: new Map([...keys].map(([k, c]) => [k, c])),
      edges,
      restored: { ...restoredDeployments, strategies: restoredStrategies },
      data: market.allFeeds().map((f) => `${f.spec.edgeId}: ${f.data.description}`),
      close: () =>
        (closing ??= (async () => {
          cleanup[0](); // the stream hub
          await server.close();
          for (const f of cleanup.slice(1)) await f();
        })()),
    };
  } catch (e) {
    for (const f of cleanup) {
      try {
        await f();
      } catch {
        // already failing
      }
    }
    throw e;
  }
}
