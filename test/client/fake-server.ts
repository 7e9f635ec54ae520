/**
 * A real local HTTP + WebSocket server for the client tests.
 *
 * - Listens on 127.0.0.1, port 0.
 * - Records every HTTP request: method, path, query, headers, body text, time.
 * - Answers from per-route queues scripted by the test (`reply`), in order;
 *   an unscripted request gets a 404 error envelope. A reply can also destroy
 *   the socket after the request was read (the client sees a dropped connection).
 * - WebSocket upgrades on `/v1/stream` are accepted (or refused with a scripted
 *   status); each connection records its handshake headers and every message.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** Reads a whole request and hands it over as a RecordedRequest (shared by the test servers). */
export function recordRequest(req: http.IncomingMessage, done: (recorded: RecordedRequest) => void): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const rawQuery = q === -1 ? "" : raw.slice(q + 1);
    done({
      method: req.method ?? "GET",
      path: q === -1 ? raw : raw.slice(0, q),
      rawQuery,
      query: Object.fromEntries(new URLSearchParams(rawQuery)),
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      at: performance.now(),
      remotePort: req.socket.remotePort ?? -1,
    });
  });
}

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, as sent (still percent-encoded). */
  readonly path: string;
  /** Raw query string without `?` ("" when none). */
  readonly rawQuery: string;
  /** Decoded query parameters. */
  readonly query: Record<string, string>;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** `performance.now()` when the request was complete. */
  readonly at: number;
  /** Client-side port of the TCP connection (same port = same kept-alive connection). */
  readonly remotePort: number;
}

export type Reply =
  | {
      readonly status?: number;
      readonly headers?: Record<string, string>;
      /** Raw body text, sent as is. */
      readonly body?: string;
      /** Or a value sent with `JSON.stringify`. */
      readonly json?: unknown;
      /** Wait this long before answering. */
      readonly delayMs?: number;
    }
  | { readonly destroy: true };

export interface WsRefusal {
  readonly status: number;
  readonly body: string;
}

export class FakeWsConnection {
  readonly messages: unknown[] = [];
  closed = false;
  constructor(
    readonly socket: WebSocket,
    readonly headers: http.IncomingHttpHeaders,
  ) {
    socket.on("message", (data) => {
      const text = data.toString();
      try {
        this.messages.push(JSON.parse(text));
      } catch {
        this.messages.push(text);
      }
    });
    socket.on("close", () => {
      this.closed = true;
    });
  }

  /** Send a frame: a string as is, anything else JSON-encoded. */
  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Drop the connection abruptly (no close handshake). */
  drop(): void {
    this.socket.terminate();
  }
}

/** Poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs`. */
export async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly wsConnections: FakeWsConnection[] = [];
  /** When set, WebSocket upgrades are refused with this answer. */
  wsRefusal: WsRefusal | undefined;
  readonly #routes = new Map<string, Reply[]>();
  readonly #server: http.Server;
  readonly #wss: WebSocketServer;

  private constructor() {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server.on("upgrade", (req, socket, head) => {
      if (this.wsRefusal !== undefined) {
        const { status, body } = this.wsRefusal;
        socket.end(
          `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        this.wsConnections.push(new FakeWsConnection(ws, req.headers));
      });
    });
  }

  static async start(): Promise<FakeServer> {
    const s = new FakeServer();
    await new Promise<void>((resolve) => s.#server.listen(0, "127.0.0.1", resolve));
    return s;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queue answers for `METHOD /path` (path without query), used in order. */
  reply(method: string, path: string, ...replies: Reply[]): this {
    const key = `${method} ${path}`;
    this.#routes.set(key, [...(this.#routes.get(key) ?? []), ...replies]);
    return this;
  }

  /** The only recorded request, failing if there is not exactly one. */
  only(): RecordedRequest {
    if (this.requests.length !== 1) throw new Error(`expected exactly one request, got ${this.requests.length}`);
    return this.requests[0] as RecordedRequest;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    recordRequest(req, (recorded) => {
      this.requests.push(recorded);
      const { method, path } = recorded;
      const reply = this.#routes.get(`${method} ${path}`)?.shift();
      if (reply === undefined) {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { code: "not_found", message: `no scripted reply for ${method} ${path}` } }));
        return;
      }
      if ("destroy" in reply) {
        req.socket.destroy();
        return;
      }
      const body = reply.body ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { "Content-Type": "application/json", ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs);
    });
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
