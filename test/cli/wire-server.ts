/**
 * A small stateful server speaking the Level 4 part of the platform's wire
 * contract, for the CLI tests: deployments, algos by
 * symbol, logs, metrics, strategies, and the `/v1/stream` WebSocket with
 * `traces:{id}` channels.
 *
 * - 127.0.0.1, port 0; `Authorization: Bearer <key>` required (401 envelope otherwise).
 * - One algo per symbol: deploying on a symbol that already runs one is a 409.
 * - Every HTTP request is recorded (method, path, query, headers, body).
 * - Big integers are written exactly (`stringifyJson`).
 * - `failNext(route, …)` scripts one error envelope; `pushTrace` sends a frame
 *   to the connections subscribed to `traces:{id}`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { stringifyJson } from "../../src/client/json.ts";
import { recordRequest, type RecordedRequest } from "../client/fake-server.ts";
import type { Deployment, DeploymentEdge } from "../../src/client/types.ts";

/** The wire shapes come from the client, so this server answers what the client reads. */
export type EdgeState = DeploymentEdge;

export interface LogLineState {
  ts_ns: bigint;
  edge_id: string;
  level: string;
  message: string;
}

export interface DeploymentState extends Deployment {
  /** Not on the wire: what was uploaded, and the log. */
  wasm: Buffer;
  logs: LogLineState[];
  /** Fees per edge id, served only in the free-form metrics (as `algo dev` does). */
  fees: Record<string, bigint>;
}

export interface StrategyState {
  strategy_id: string;
  name: string;
  status: string;
  size_bytes: number;
  artifact: Buffer;
}

export interface WsClient {
  readonly socket: WebSocket;
  readonly headers: http.IncomingHttpHeaders;
  readonly channels: Set<string>;
  readonly messages: unknown[];
}

interface Failure {
  status: number;
  code: string;
  message: string;
}

/** 2024-01-16T12:00:00Z in ns, plus one: exact only as a bigint. */
export const T0_NS = 1705406400000000001n;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class WireServer {
  readonly requests: RecordedRequest[] = [];
  readonly deployments = new Map<string, DeploymentState>();
  readonly strategies = new Map<string, StrategyState>();
  readonly ws: WsClient[] = [];
  readonly #server: http.Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #failures = new Map<string, Failure[]>();
  #seq = 0;
  #clock = T0_NS;

  private constructor(
    readonly apiKey: string,
    readonly venues: readonly string[],
  ) {
    this.#server = http.createServer((req, res) => this.#onRequest(req, res));
    this.#server.on("upgrade", (req, socket, head) => {
      if (req.headers.authorization !== `Bearer ${this.apiKey}` || !(req.url ?? "").startsWith("/v1/stream")) {
        const body = JSON.stringify({ error: { code: "unauthorized", message: "invalid API key" } });
        socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (socket) => {
        const client: WsClient = { socket, headers: req.headers, channels: new Set(), messages: [] };
        this.ws.push(client);
        socket.on("message", (data) => {
          let msg: { op?: string; channels?: string[] };
          try {
            msg = JSON.parse(data.toString());
          } catch {
            return;
          }
          client.messages.push(msg);
          if (msg.op === "subscribe") for (const c of msg.channels ?? []) client.channels.add(c);
          if (msg.op === "ping") socket.send(JSON.stringify({ op: "pong" }));
        });
      });
    });
  }

  static async start(options: { apiKey: string; venues?: string[] }): Promise<WireServer> {
    const s = new WireServer(options.apiKey, options.venues ?? ["binance", "coinbase"]);
    await new Promise<void>((resolve) => s.#server.listen(0, "127.0.0.1", resolve));
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Answer the next `METHOD /path` with an error envelope. */
  failNext(route: string, failure: Failure): void {
    this.#failures.set(route, [...(this.#failures.get(route) ?? []), failure]);
  }

  /** Requests other than the stream's, as `METHOD /path`. */
  routes(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  /** Create a deployment directly (as if deployed), returning it. */
  addDeployment(name: string, symbols: string[], wasm: Uint8Array, start = true): DeploymentState {
    const id = `dep_${++this.#seq}`;
    const status = start ? "running" : "stopped";
    const d: DeploymentState = {
      deployment_id: id,
      name,
      symbols,
      size_bytes: wasm.length,
      status,
      pushed_to: this.venues.length,
      capable_edges: this.venues.length,
      edges: this.venues.map((venue) => ({
        edge_id: `edge-${venue}-1`,
        venue,
        status,
        position_1e8: 0n,
        realized_pnl_1e9: 0n,
        unrealized_pnl_1e9: 0n,
        fill_count: 0,
        callback_latency_ns: 0n,
      })),
      wasm: Buffer.from(wasm),
      logs: [],
      fees: {},
    };
    this.deployments.set(id, d);
    if (start) for (const e of d.edges) this.log(id, e.edge_id, "info", "on_start");
    return d;
  }

  /** Append a log line to a deployment (a fresh, increasing `ts_ns`). */
  log(id: string, edgeId: string, level: string, message: string): LogLineState {
    const line = { ts_ns: this.#clock++, edge_id: edgeId, level, message };
    this.deployments.get(id)?.logs.push(line);
    return line;
  }

  /** Send `{"channel": "traces:<id>", "data": …}` to its subscribers; returns how many got it. */
  pushTrace(id: string, data: unknown): number {
    const channel = `traces:${id}`;
    let n = 0;
    for (const c of this.ws) {
      if (c.channels.has(channel) && c.socket.readyState === c.socket.OPEN) {
        c.socket.send(stringifyJson({ channel, data }));
        n++;
      }
    }
    return n;
  }

  /** True once some stream connection subscribed to `channel`. */
  subscribed(channel: string): boolean {
    return this.ws.some((c) => c.channels.has(channel));
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- HTTP

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    recordRequest(req, (recorded) => {
      this.requests.push(recorded);
      const { method, path, body, rawQuery } = recorded;
      const send = (status: number, value: unknown) => {
        const text = stringifyJson(value);
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
        res.end(text);
      };
      try {
        if (path === "/v1/health/live") return send(200, { status: "ok" });
        if (req.headers.authorization !== `Bearer ${this.apiKey}`) throw new HttpError(401, "unauthorized", "invalid API key");
        const failure = this.#failures.get(`${method} ${path}`)?.shift();
        if (failure) throw new HttpError(failure.status, failure.code, failure.message);
        send(200, this.#route(method, path.split("/").map(decodeURIComponent), new URLSearchParams(rawQuery), body));
      } catch (e) {
        if (e instanceof HttpError) send(e.status, { error: { code: e.code, message: e.message } });
        else send(500, { error: { code: "internal", message: String(e) } });
      }
    });
  }

  #deployment(id: string): DeploymentState {
    const d = this.deployments.get(id);
    if (d === undefined) throw new HttpError(404, "not_found", `deployment ${id} not found`);
    return d;
  }

  #bySymbol(symbol: string): DeploymentState {
    for (const d of this.deployments.values()) if (d.symbols.includes(symbol)) return d;
    throw new HttpError(404, "not_found", `no algo on ${symbol}`);
  }

  #wire(d: DeploymentState): Record<string, unknown> {
    const { wasm: _w, logs: _l, fees: _f, ...rest } = d;
    return rest;
  }

  #algo(d: DeploymentState, symbol: string): Record<string, unknown> {
    return { symbol, deployment_id: d.deployment_id, name: d.name, status: d.status, deployment: this.#wire(d) };
  }

  #setStatus(d: DeploymentState, status: string): void {
    d.status = status;
    for (const e of d.edges) {
      e.status = status;
      this.log(d.deployment_id, e.edge_id, "info", status === "running" ? "on_start" : "on_stop");
    }
  }

  #logs(d: DeploymentState, limit: number): Record<string, unknown> {
    return { deployment_id: d.deployment_id, logs: d.logs.slice(-limit) };
  }

  #route(method: string, p: string[], query: URLSearchParams, body: string): unknown {
    // p = ["", "v1", resource, ...]
    const [, v1, resource, a, b] = p;
    if (v1 !== "v1") throw new HttpError(404, "not_found", "unknown path");
    const n = p.length;
    if (resource === "deployments") {
      if (n === 3 && method === "POST") return this.#wire(this.#deploy(body));
      if (n === 3 && method === "GET") return { deployments: [...this.deployments.values()].map((d) => this.#wire(d)) };
      const d = this.#deployment(a ?? "");
      if (n === 4 && method === "GET") return this.#wire(d);
      if (n === 4 && method === "DELETE") {
        this.deployments.delete(d.deployment_id);
        return { deployment_id: d.deployment_id, status: "undeployed" };
      }
      if (n === 5 && method === "POST" && (b === "start" || b === "stop")) {
        this.#setStatus(d, b === "start" ? "running" : "stopped");
        return this.#wire(d);
      }
      if (n === 5 && method === "GET" && b === "logs") return this.#logs(d, Number(query.get("limit") ?? 100));
      if (n === 5 && method === "GET" && b === "mesh") return { deployment_id: d.deployment_id, venues: Object.fromEntries(d.edges.map((e) => [e.venue, [e.edge_id]])) };
      if (n === 5 && method === "GET" && b === "metrics") {
        return {
          deployment_id: d.deployment_id,
          edges: d.edges.map((e) => ({
            edge_id: e.edge_id,
            callbacks: e.fill_count,
            latency_p50_ns: e.callback_latency_ns,
            latency_p99_ns: e.callback_latency_ns * 2n,
            ...(d.fees[e.edge_id] === undefined ? {} : { fees_1e9: d.fees[e.edge_id] }),
          })),
        };
      }
    }
    if (resource === "algos") {
      if (n === 3 && method === "GET") {
        const rows: unknown[] = [];
        for (const d of this.deployments.values()) {
          for (const symbol of d.symbols) {
            if (query.get("detail") === "edge") for (const e of d.edges) rows.push({ symbol, deployment_id: d.deployment_id, ...e });
            else rows.push({ symbol, deployment_id: d.deployment_id, name: d.name, status: d.status, edges: d.edges.length });
          }
        }
        return { algos: rows };
      }
      const d = this.#bySymbol(a ?? "");
      if (n === 4 && method === "GET") return this.#algo(d, a ?? "");
      if (n === 5 && method === "POST" && (b === "start" || b === "stop")) {
        this.#setStatus(d, b === "start" ? "running" : "stopped");
        return this.#algo(d, a ?? "");
      }
      if (n === 5 && method === "GET" && b === "logs") return this.#logs(d, 100);
      if (n === 5 && method === "GET" && b === "stats") return { symbol: a, fills: d.edges.reduce((s, e) => s + e.fill_count, 0) };
    }
    if (resource === "strategies") {
      if (n === 3 && method === "GET") return { strategies: [...this.strategies.values()].map(({ artifact: _a, ...s }) => s) };
      if (n === 3 && method === "POST") {
        const req = JSON.parse(body) as { name?: unknown; artifact_base64?: unknown };
        if (typeof req.name !== "string" || typeof req.artifact_base64 !== "string") {
          throw new HttpError(400, "bad_request", "name and artifact_base64 are required");
        }
        const artifact = Buffer.from(req.artifact_base64, "base64");
        const s: StrategyState = { strategy_id: `strat_${++this.#seq}`, name: req.name, status: "stopped", size_bytes: artifact.length, artifact };
        this.strategies.set(s.strategy_id, s);
        const { artifact: _a, ...wire } = s;
        return wire;
      }
      const s = this.strategies.get(a ?? "");
      if (s === undefined) throw new HttpError(404, "not_found", `strategy ${a} not found`);
      const { artifact: _a, ...wire } = s;
      if (n === 4 && method === "GET") return wire;
      if (n === 4 && method === "DELETE") {
        this.strategies.delete(s.strategy_id);
        return { strategy_id: s.strategy_id, status: "deleted" };
      }
      if (n === 5 && method === "POST" && (b === "start" || b === "stop")) {
        s.status = b === "start" ? "running" : "stopped";
        return { strategy_id: s.strategy_id, status: s.status };
      }
      if (n === 5 && method === "GET" && b === "logs") {
        return { strategy_id: s.strategy_id, logs: [{ ts_ns: T0_NS, edge_id: "edge-binance-1", level: "info", message: `strategy ${s.status}` }] };
      }
    }
    throw new HttpError(404, "not_found", `no route for ${method} ${p.join("/")}`);
  }

  #deploy(body: string): DeploymentState {
    const req = JSON.parse(body) as { name?: unknown; wasm_base64?: unknown; symbols?: unknown; start_immediately?: unknown };
    if (typeof req.name !== "string" || typeof req.wasm_base64 !== "string" || !Array.isArray(req.symbols) || req.symbols.length === 0) {
      throw new HttpError(400, "bad_request", "name, wasm_base64 and symbols are required");
    }
    const wasm = Buffer.from(req.wasm_base64, "base64");
    if (wasm.subarray(0, 4).toString("binary") !== "\0asm") throw new HttpError(400, "bad_module", "wasm_base64 is not a WebAssembly module");
    for (const symbol of req.symbols as string[]) {
      for (const d of this.deployments.values()) {
        if (d.symbols.includes(symbol)) throw new HttpError(409, "conflict", `${symbol} already runs deployment ${d.deployment_id}; undeploy it first`);
      }
    }
    return this.addDeployment(req.name, req.symbols as string[], wasm, req.start_immediately !== false);
  }
}
