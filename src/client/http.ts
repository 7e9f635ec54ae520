/**
 * HTTP transport for the Sequence REST API.
 *
 * - `node:http`/`node:https` with one shared keep-alive agent per protocol,
 *   so the raw body text is read and big integers are parsed losslessly.
 * - `Authorization: Bearer <key>` on every request marked `auth`.
 * - A per-request timeout (30 s by default) covering connect, headers and body.
 * - Retry policy:
 *   - 429 and 503 are retried for every method (the request was not applied),
 *     honouring `Retry-After` (seconds or HTTP date), otherwise with jittered
 *     exponential backoff, up to `maxAttempts` requests in all. A `Retry-After`
 *     longer than `maxRetryAfterMs` is not waited for: the `api` error is
 *     returned at once with `retryAfterMs` set.
 *   - A GET whose connection drops before an answer (ECONNRESET, socket hang
 *     up, EPIPE) is sent once more — a GET changes nothing, and this also covers
 *     a kept-alive socket that the server closed while idle.
 *   - Nothing else is retried. A POST/DELETE whose connection drops or times
 *     out after sending is never repeated: it fails with a `network` error whose
 *     `mayHaveBeenApplied` is true.
 * - The API key is never put in an error: any occurrence of it in a server
 *   answer is replaced by `[redacted]` before it reaches a message or snippet.
 */
import http from "node:http";
import https from "node:https";
import { SequenceError, snippetOf, type ErrorContext } from "./errors.ts";
import { DecodeError, decode, type Decoder } from "./decode.ts";
import { parseJson, stringifyJson, type JsonValue } from "./json.ts";

/** Retry tuning; the defaults suit production. */
export interface RetryOptions {
  /** Total requests for one call, first one included (default 4). */
  maxAttempts?: number;
  /** First backoff step in ms when there is no `Retry-After` (default 250). */
  baseDelayMs?: number;
  /** Largest backoff step in ms (default 8000). */
  maxDelayMs?: number;
  /** Longest `Retry-After` the client will wait in ms (default 60000). */
  maxRetryAfterMs?: number;
}

export interface TransportConfig {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: Required<RetryOptions>;
}

export type HttpMethod = "GET" | "POST" | "DELETE";

export type QueryValue = string | number | boolean | undefined;

export interface RequestSpec<T> {
  /** Client method name, for error messages. */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Path with already-encoded segments, e.g. `/v1/deployments/dep%2F1`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON body (bigints are written as bare integers). */
  readonly body?: unknown;
  /** Send the Authorization header (default true). */
  readonly auth?: boolean;
  /** How to read a 2xx body. */
  readonly decoder: Decoder<T>;
  /** A 2xx with an empty body decodes `null` instead of failing (free-form answers). */
  readonly emptyIsNull?: boolean;
  /** Apply the 429/503 retry policy (default true). */
  readonly retry?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly statusMessage: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const USER_AGENT = "sequence-algo-client/0.1";

let sharedHttpAgent: http.Agent | undefined;
let sharedHttpsAgent: https.Agent | undefined;

/** The process-wide keep-alive agent for a protocol. */
function agentFor(protocol: string): http.Agent {
  if (protocol === "https:") return (sharedHttpsAgent ??= new https.Agent({ keepAlive: true }));
  return (sharedHttpAgent ??= new http.Agent({ keepAlive: true }));
}

/** Errors meaning the request never left: safe to say it was not applied. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
/** Errors meaning the connection dropped before an answer. */
const DROPPED_CODES = new Set(["ECONNRESET", "EPIPE"]);

class TimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(ms: number) {
    super(`no complete answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (v === undefined || v === "") return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Jittered exponential backoff for retry `attempt` (1-based): uniform in [d/2, d]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return d / 2 + random() * (d / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Transport {
  readonly #apiKey: string;
  readonly config: TransportConfig;

  constructor(apiKey: string, config: TransportConfig) {
    this.#apiKey = apiKey;
    this.config = config;
  }

  /** Same key, other settings (used by the `Sequence` builder). */
  with(config: TransportConfig): Transport {
    return new Transport(this.#apiKey, config);
  }

  /** True when a key was given. */
  get hasKey(): boolean {
    return this.#apiKey.length > 0;
  }

  /** The Authorization header value; for the WebSocket stream only. */
  authorization(): string {
    return `Bearer ${this.#apiKey}`;
  }

  /** Replace every occurrence of the API key in `text`. */
  redact(text: string): string {
    const key = this.#apiKey;
    return key.length >= 4 && text.includes(key) ? text.split(key).join("[redacted]") : text;
  }

  /** Perform one API call under the retry policy and decode the answer. */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const pathWithQuery = spec.path + queryString(spec.query);
    const ctx: ErrorContext = { operation: spec.operation, method: spec.method, path: pathWithQuery };
    const where = `${spec.operation}: ${spec.method} ${pathWithQuery}`;
    const auth = spec.auth ?? true;
    if (auth && !this.hasKey) {
      throw new SequenceError({ kind: "validation" }, ctx, `${where}: no API key (expected seq_live_… or seq_test_…); nothing was sent`);
    }
    const url = new URL(this.config.baseUrl.replace(/\/+$/, "") + pathWithQuery);
    const bodyText = spec.body === undefined ? undefined : stringifyJson(spec.body);
    const headers: http.OutgoingHttpHeaders = { Accept: "application/json", "User-Agent": USER_AGENT };
    if (auth) headers.Authorization = `Bearer ${this.#apiKey}`;
    if (bodyText !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = Buffer.byteLength(bodyText);
    }

    const { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.config.retry;
    const retryBusy = spec.retry ?? true;
    let droppedGetRetried = false;
    for (let attempt = 1; ; attempt++) {
      let res: RawResponse;
      try {
        res = await this.send(spec.method, url, headers, bodyText);
      } catch (err) {
        const code = errorCode(err);
        if (spec.method === "GET" && !droppedGetRetried && code !== undefined && DROPPED_CODES.has(code)) {
          droppedGetRetried = true;
          attempt--; // the repeat of a dropped GET does not count against the 429/503 budget
          continue;
        }
        throw this.networkError(spec.method, ctx, where, url, err);
      }
      if (retryBusy && (res.status === 429 || res.status === 503) && attempt < maxAttempts) {
        const asked = parseRetryAfter(res.headers["retry-after"]);
        if (asked === undefined || asked <= maxRetryAfterMs) {
          await sleep(asked ?? backoffDelay(attempt, baseDelayMs, maxDelayMs));
          continue;
        }
      }
      if (res.status < 200 || res.status > 299) throw this.errorFromResponse(res, ctx, where, attempt);
      return this.decodeBody(spec, res, ctx, where);
    }
  }

  /** One HTTP exchange; rejects on transport failure only. */
  private send(method: HttpMethod, url: URL, headers: http.OutgoingHttpHeaders, body: string | undefined): Promise<RawResponse> {
    const timeoutMs = this.config.timeoutMs;
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      const finish = (err: unknown, res?: RawResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (res !== undefined) resolve(res);
        else reject(err);
      };
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(url, { method, headers, agent: agentFor(url.protocol) }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          finish(undefined, {
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? "",
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("aborted", () => finish(Object.assign(new Error("connection dropped while reading the answer"), { code: "ECONNRESET" })));
        res.on("error", (e) => finish(e));
      });
      const timer = setTimeout(() => {
        finish(new TimeoutError(timeoutMs));
        req.destroy();
      }, timeoutMs);
      req.on("error", (e) => finish(e));
      req.end(body);
    });
  }

  private networkError(method: HttpMethod, ctx: ErrorContext, where: string, url: URL, err: unknown): SequenceError {
    const code = errorCode(err);
    const timedOut = err instanceof TimeoutError;
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const mayHaveBeenApplied = method !== "GET" && !notSent;
    const reason = err instanceof Error ? err.message : String(err);
    let what: string;
    if (timedOut) what = `timed out after ${this.config.timeoutMs} ms`;
    else if (notSent) what = `cannot connect to ${url.origin} (${code})`;
    else if (code !== undefined && DROPPED_CODES.has(code)) what = `connection dropped before an answer (${reason})`;
    else what = `network failure (${code ?? reason})`;
    const tail = mayHaveBeenApplied
      ? "; the request may have been applied — it was not retried, check the current state before trying again"
      : "";
    return new SequenceError({ kind: "network", mayHaveBeenApplied, timedOut }, ctx, this.redact(`${where}: ${what}${tail}`), {
      cause: err,
    });
  }

  /** Map a non-2xx answer to an `api` (or `capability_missing`) error; used by the stream's handshake too. */
  errorFromResponse(res: RawResponse, ctx: ErrorContext, where: string, attempts = 1): SequenceError {
    let code = `http_${res.status}`;
    let message = "";
    let capability: { verb?: unknown; venue?: unknown; reason?: unknown } | undefined;
    try {
      const body = parseJson(res.text);
      const env = typeof body === "object" && body !== null && !Array.isArray(body) ? body.error : undefined;
      if (typeof env === "string") message = env;
      else if (typeof env === "object" && env !== null && !Array.isArray(env)) {
        if (typeof env.code === "string" && env.code !== "") code = env.code;
        if (typeof env.message === "string") message = env.message;
        if (code === "capability_missing") capability = env;
      }
    } catch {
      // not JSON: fall back to the body text below
    }
    if (message === "") message = res.text.trim() === "" ? res.statusMessage : snippetOf(res.text.trim());
    code = this.redact(code);
    message = this.redact(message);
    const retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
    if (capability !== undefined) {
      const str = (v: unknown) => (typeof v === "string" ? this.redact(v) : "");
      const verb = str(capability.verb) || ctx.operation;
      const venue = str(capability.venue);
      const reason = str(capability.reason) || message;
      return new SequenceError(
        { kind: "capability_missing", verb, venue, reason },
        ctx,
        `${where}: ${verb} is not available${venue ? ` on ${venue}` : ""}: ${reason}`,
      );
    }
    const retried = attempts > 1 ? ` (after ${attempts} attempts)` : "";
    const wait = retryAfterMs !== undefined && res.status === 429 ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : "";
    return new SequenceError(
      { kind: "api", status: res.status, code, apiMessage: message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
      ctx,
      `${where} → ${res.status} ${code}: ${message}${retried}${wait}`,
    );
  }

  private decodeBody<T>(spec: RequestSpec<T>, res: RawResponse, ctx: ErrorContext, where: string): T {
    const fail = (problem: string) => {
      const snippet = this.redact(snippetOf(res.text));
      return new SequenceError(
        { kind: "deserialize", snippet },
        ctx,
        this.redact(`${where}: answer ${res.status} could not be read: ${problem}; body: ${JSON.stringify(snippet)}`),
      );
    };
    if (res.text.trim() === "" && spec.emptyIsNull === true) return spec.decoder(null, "$");
    let value: JsonValue;
    try {
      value = parseJson(res.text);
    } catch (err) {
      throw fail(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    try {
      return decode(spec.decoder, value);
    } catch (err) {
      if (err instanceof DecodeError) throw fail(err.message);
      throw err;
    }
  }
}

function queryString(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    // Commas stay literal so lists read as on the wire (`venues=a,b`).
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%2C/gi, ",")}`);
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}
