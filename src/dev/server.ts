/**
 * The HTTP side: reads a request (bodies capped at MAX_BODY_BYTES → 413),
 * routes it, authenticates it (401), runs the handler, and writes JSON with
 * exact big integers; every failure is the wire's error envelope. WebSocket
 * upgrades on `/v1/stream` are authenticated here and handed to the stream hub.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { stringifyJson } from "../client/json.ts";
import type { Auth } from "./auth.ts";
import { envelope, HttpError, tooLarge } from "./errors.ts";
import type { Router } from "./router.ts";
import type { StreamHub } from "./stream.ts";

/** A 4 MiB module is ~5.6 MiB of base64; anything larger than this is refused unread. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** No route needs more; longer URLs are refused with 414 before routing. */
const MAX_URL_CHARS = 8192;

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export class ApiServer {
  private readonly server: http.Server;
  /** Failed handlers, for the operator (stderr); clients get a 500 envelope. */
  onInternalError: (e: unknown) => void = (e) => console.error("algo dev: internal error:", e);

  constructor(
    private readonly router: Router,
    private readonly auth: Auth,
    private readonly hub: StreamHub,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
    // Requests Node's parser refuses (headers or URL over its limit, malformed request lines) get the envelope too.
    this.server.on("clientError", (e: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      const tooLong = e.code === "HPE_HEADER_OVERFLOW";
      const status = tooLong ? 431 : 400;
      const text = stringifyJson(
        tooLong
          ? envelope("headers_too_large", "the request line and headers are over 16 KiB; send a shorter URL or fewer headers")
          : envelope("malformed_request", `the request is not valid HTTP/1.1 (${e.code ?? e.message})`),
      );
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const text = body === undefined ? "" : stringifyJson(body);
    res.writeHead(status, { ...JSON_HEADERS, ...headers, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  private fail(res: http.ServerResponse, e: unknown): void {
    if (e instanceof HttpError) {
      this.send(res, e.status, envelope(e.code, e.message), { ...e.headers });
      return;
    }
    this.onInternalError(e);
    this.send(res, 500, envelope("internal", `the emulator failed: ${(e as Error)?.message ?? String(e)}`));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if ((req.url ?? "").length > MAX_URL_CHARS) throw new HttpError(414, "uri_too_long", `the URL is over ${MAX_URL_CHARS} characters`);
      const url = new URL(req.url ?? "/", "http://emulator");
      const method = req.method ?? "GET";
      const match = this.router.match(method, url.pathname);
      if (match === undefined) throw new HttpError(404, "not_found", `no such endpoint: ${method} ${url.pathname} (docs/emulator.md lists them)`);
      if ("allowed" in match) {
        throw new HttpError(405, "method_not_allowed", `${method} is not allowed on ${url.pathname}; use ${match.allowed.join(" or ")}`, { Allow: match.allowed.join(", ") });
      }
      const client = match.route.auth ? this.auth.client(req.headers) : "";
      const body = method === "POST" || method === "PUT" ? await readJson(req, res) : undefined;
      const reply = await match.route.handler({ client, params: match.params, query: url.searchParams, body });
      this.send(res, reply.status ?? 200, reply.body);
    } catch (e) {
      this.fail(res, e);
    }
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, code: string, message: string) => {
      const text = stringifyJson(envelope(code, message));
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    const path = new URL(req.url ?? "/", "http://emulator").pathname;
    if (path !== "/v1/stream") return refuse(404, "not_found", `no WebSocket endpoint at ${path}; use /v1/stream`);
    let client: string;
    try {
      client = this.auth.client(req.headers);
    } catch (e) {
      const err = e as HttpError;
      return refuse(err.status ?? 401, err.code ?? "unauthorized", err.message);
    }
    this.hub.upgrade(req, socket, head, client);
  }
}

const YIELD_ABOVE_BYTES = 256 * 1024;

/** Invalid UTF-8 is refused, not turned into U+FFFD silently. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Bodies up to this size are read to the end (and dropped) before a 413, so the client sees the answer. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/** The request's JSON body; 413 past MAX_BODY_BYTES, 400 when it is not JSON. */
function readJson(req: http.IncomingMessage, res: http.ServerResponse): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  const tooBig = () => tooLarge(`the request body is over ${MAX_BODY_BYTES} bytes (${MAX_BODY_BYTES / 2 ** 20} MiB); a module may be at most 4 MiB`);
  return new Promise((resolve, reject) => {
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT) {
      res.setHeader("Connection", "close");
      reject(tooBig());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) {
        res.setHeader("Connection", "close");
        reject(tooBig());
        req.destroy();
      }
    });
    req.on("error", reject);
    req.on("end", async () => {
      if (size > MAX_BODY_BYTES) return reject(tooBig());
      if (size === 0) return resolve(undefined);
      let text: string;
      try {
        text = UTF8.decode(Buffer.concat(chunks));
      } catch {
        return reject(new HttpError(400, "invalid_json", "the request body is not valid UTF-8 (JSON text must be)"));
      }
      // A large body: let waiting requests (health, status) in between decoding and parsing.
      if (size > YIELD_ABOVE_BYTES) await new Promise<void>((r) => setImmediate(r));
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, "invalid_json", `the request body is not valid JSON (${(e as Error).message})`));
      }
    });
  });
}
