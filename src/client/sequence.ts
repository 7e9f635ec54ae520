/**
 * `Sequence`: the typed client for the Sequence API (Level 4 "Automate",
 * health, price history, quote, fees, stream), following the project's wire contract.
 *
 * ```ts
 * const seq = new Sequence(process.env.SEQUENCE_API_KEY!).baseUrl("http://localhost:50052");
 * const dep = await seq.deployAlgo("mm-eth", wasmBytes, ["ETH-USD"]);
 * const status = await seq.algoStatus(dep.deployment_id);
 * ```
 *
 * Every method rejects with a {@link SequenceError}. The API key is held
 * privately: it is not an enumerable property, and `toString`, `toJSON` and
 * `util.inspect` show only the base URL.
 */
import { inspect } from "node:util";
import { validationError } from "./errors.ts";
import { DEFAULT_RETRY, Transport, type HttpMethod, type QueryValue, type RetryOptions } from "./http.ts";
import type { Decoder } from "./decode.ts";
import { PriceHistoryQuery } from "./price-history.ts";
import { DEFAULT_STREAM_OPTIONS, StreamBuilder, type StreamOptions } from "./stream.ts";
import {
  algoLogs,
  anyJson,
  anyObject,
  deployment,
  deploymentList,
  fees,
  listOf,
  quote,
  undeployResult,
  type Algo,
  type AlgoLogs,
  type Deployment,
  type Fees,
  type JsonValue,
  type Quote,
  type Strategy,
  type UndeployResult,
} from "./types.ts";

/** Production API. */
export const DEFAULT_BASE_URL = "https://api.sequencemkts.com";
/** The local emulator's default address. */
export const LOCAL_BASE_URL = "http://localhost:50052";
/** Per-request timeout unless told otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** `algoLogs` limit bounds. */
export const LOGS_LIMIT_MAX = 10_000;

export interface SequenceOptions {
  /** API root (default {@link DEFAULT_BASE_URL}). */
  baseUrl?: string;
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** 429/503 retry tuning. */
  retry?: RetryOptions;
  /** WebSocket reconnection tuning. */
  stream?: StreamOptions;
}

export interface DeployOptions {
  /** Start the algo on the edges right away (default true). */
  startImmediately?: boolean;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** A path segment: checked non-empty, then URL-encoded. */
function segment(operation: string, what: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw validationError(operation, `${what} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return encodeURIComponent(value);
}

function checkUrl(url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw validationError("baseUrl", `${JSON.stringify(url)} is not an http(s) URL`);
  }
  return parsed.href.replace(/\/+$/, "");
}

export class Sequence {
  #t: Transport;
  #streamOptions: Required<StreamOptions>;

  /**
   * A client authenticating with `apiKey` (`seq_live_…`, or `seq_test_…` for the sandbox).
   * @throws SequenceError `validation` when an option is malformed.
   */
  constructor(apiKey: string, options: SequenceOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw validationError("Sequence", `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
    }
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) {
      throw validationError("Sequence", `retry.maxAttempts must be an integer ≥ 1, got ${retry.maxAttempts}`);
    }
    this.#t = new Transport(typeof apiKey === "string" ? apiKey : "", {
      baseUrl: checkUrl(options.baseUrl ?? DEFAULT_BASE_URL),
      timeoutMs,
      retry,
    });
    this.#streamOptions = { ...DEFAULT_STREAM_OPTIONS, ...options.stream };
  }

  /** A client for another API root (e.g. {@link LOCAL_BASE_URL}); same key and options. */
  baseUrl(url: string): Sequence {
    const next = new Sequence("", { baseUrl: url, timeoutMs: this.#t.config.timeoutMs });
    next.#t = this.#t.with({ ...this.#t.config, baseUrl: next.url });
    next.#streamOptions = this.#streamOptions;
    return next;
  }

  /** The API root this client talks to. */
  get url(): string {
    return this.#t.config.baseUrl;
  }

  toString(): string {
    return `Sequence(${this.url})`;
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: this.url };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #call<T>(
    operation: string,
    method: HttpMethod,
    path: string,
    decoder: Decoder<T>,
    extra: { query?: Record<string, QueryValue>; body?: unknown; emptyIsNull?: boolean } = {},
  ): Promise<T> {
    return this.#t.request({ operation, method, path, decoder, ...extra });
  }

  // ------------------------------------------------------------ health & data

  /** `GET /v1/health/live`, unauthenticated: true on any 2xx, false on any other status. Not retried. */
  async health(): Promise<boolean> {
    try {
      await this.#t.request({
        operation: "health",
        method: "GET",
        path: "/v1/health/live",
        auth: false,
        retry: false,
        decoder: anyJson,
        emptyIsNull: true,
      });
      return true;
    } catch (e) {
      const kind = (e as { kind?: unknown }).kind;
      if (kind === "api" || kind === "capability_missing") return false;
      if (kind === "deserialize") return true; // a 2xx with a non-JSON body is still "live"
      throw e;
    }
  }

  /** Builder for `GET /v1/market/price-history`; call `.fetch()` to run it. */
  priceHistory(symbol: string): PriceHistoryQuery {
    return new PriceHistoryQuery(this.#t, symbol);
  }

  /** `GET /v1/quote/{symbol}`: NBBO, per-venue BBO and merged book. */
  async quote(symbol: string): Promise<Quote> {
    return this.#call("quote", "GET", `/v1/quote/${segment("quote", "symbol", symbol)}`, quote);
  }

  /**
   * `GET /v1/fees?ticker=…&venues=a,b`: maker/taker fees per venue.
   * A `null` fee means "do not route here", not "free".
   */
  async fees(ticker: string, venues?: readonly string[]): Promise<Fees> {
    if (typeof ticker !== "string" || ticker.trim() === "") throw validationError("fees", "ticker must be a non-empty string");
    if (venues !== undefined && venues.some((v) => typeof v !== "string" || v.trim() === "" || v.includes(","))) {
      throw validationError("fees", `venues must be non-empty names without commas, got ${JSON.stringify(venues)}`);
    }
    const query = { ticker, venues: venues !== undefined && venues.length > 0 ? venues.join(",") : undefined };
    return this.#call("fees", "GET", "/v1/fees", fees, { query });
  }

  // ------------------------------------------------------------ deployments

  /**
   * `POST /v1/deployments`: push a compiled WASM algo to the edges that can host `symbols`.
   * @param name a label for the deployment
   * @param wasm the module bytes (must start with the WebAssembly magic `\0asm`)
   * @param symbols the symbols it trades (at least one)
   */
  async deployAlgo(name: string, wasm: Uint8Array, symbols: readonly string[], opts: DeployOptions = {}): Promise<Deployment> {
    const op = "deployAlgo";
    if (typeof name !== "string" || name.trim() === "") throw validationError(op, "name must be a non-empty string");
    if (!(wasm instanceof Uint8Array) || wasm.length === 0) throw validationError(op, "wasm is empty; build the algo first");
    if (!startsWith(wasm, WASM_MAGIC)) {
      throw validationError(op, "wasm is not a WebAssembly module (it does not start with \\0asm)");
    }
    if (!Array.isArray(symbols) || symbols.length === 0) {
      throw validationError(op, "symbols is empty; an algo must trade at least one symbol");
    }
    const badSymbol = symbols.find((s) => typeof s !== "string" || s.trim() === "");
    if (badSymbol !== undefined) throw validationError(op, `symbols contains an invalid entry ${JSON.stringify(badSymbol)}`);
    const body = {
      name,
      wasm_base64: base64(wasm),
      symbols: [...symbols],
      start_immediately: opts.startImmediately ?? true,
    };
    return this.#call(op, "POST", "/v1/deployments", deployment, { body });
  }

  /** `GET /v1/deployments`: every deployment of this account. */
  async deployments(): Promise<Deployment[]> {
    return this.#call("deployments", "GET", "/v1/deployments", deploymentList);
  }

  /** `GET /v1/deployments/{id}`: status and per-edge state. */
  async algoStatus(deploymentId: string): Promise<Deployment> {
    const id = segment("algoStatus", "deploymentId", deploymentId);
    return this.#call("algoStatus", "GET", `/v1/deployments/${id}`, deployment);
  }

  /** `POST /v1/deployments/{id}/start`. */
  async algoStart(deploymentId: string): Promise<Deployment> {
    const id = segment("algoStart", "deploymentId", deploymentId);
    return this.#call("algoStart", "POST", `/v1/deployments/${id}/start`, deployment);
  }

  /** `POST /v1/deployments/{id}/stop`. Does not cancel the algo's resting orders. */
  async algoStop(deploymentId: string): Promise<Deployment> {
    const id = segment("algoStop", "deploymentId", deploymentId);
    return this.#call("algoStop", "POST", `/v1/deployments/${id}/stop`, deployment);
  }

  /** `DELETE /v1/deployments/{id}`. */
  async algoUndeploy(deploymentId: string): Promise<UndeployResult> {
    const id = segment("algoUndeploy", "deploymentId", deploymentId);
    return this.#call("algoUndeploy", "DELETE", `/v1/deployments/${id}`, undeployResult);
  }

  /** `GET /v1/deployments/{id}/logs?limit=N`: the latest log lines (1 ≤ limit ≤ 10 000, default 100). */
  async algoLogs(deploymentId: string, limit = 100): Promise<AlgoLogs> {
    const id = segment("algoLogs", "deploymentId", deploymentId);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= LOGS_LIMIT_MAX)) {
      throw validationError("algoLogs", `limit must be an integer in 1..${LOGS_LIMIT_MAX}, got ${limit}`);
    }
    return this.#call("algoLogs", "GET", `/v1/deployments/${id}/logs`, algoLogs, { query: { limit } });
  }

  /** `GET /v1/deployments/{id}/mesh`: which edges host it, per venue (free-form). */
  async algoMesh(deploymentId: string): Promise<JsonValue> {
    const id = segment("algoMesh", "deploymentId", deploymentId);
    return this.#call("algoMesh", "GET", `/v1/deployments/${id}/mesh`, anyJson);
  }

  /** `GET /v1/deployments/{id}/metrics`: per-edge counters and latency percentiles (free-form). */
  async algoMetrics(deploymentId: string): Promise<JsonValue> {
    const id = segment("algoMetrics", "deploymentId", deploymentId);
    return this.#call("algoMetrics", "GET", `/v1/deployments/${id}/metrics`, anyJson);
  }

  // ------------------------------------------------------------ algos by symbol

  /** `GET /v1/algos`: one row per running algo. */
  async algos(): Promise<Algo[]> {
    return this.#call("algos", "GET", "/v1/algos", listOf("algos"));
  }

  /** `GET /v1/algos?detail=edge`: one row per algo per edge. */
  async algosPerEdge(): Promise<Algo[]> {
    return this.#call("algosPerEdge", "GET", "/v1/algos", listOf("algos"), { query: { detail: "edge" } });
  }

  /** `GET /v1/algos/{symbol}`: the algo trading `symbol`, with its deployment. */
  async algo(symbol: string): Promise<Algo> {
    return this.#call("algo", "GET", `/v1/algos/${segment("algo", "symbol", symbol)}`, anyObject);
  }

  /** `POST /v1/algos/{symbol}/start`. */
  async algoStartBySymbol(symbol: string): Promise<Algo> {
    const s = segment("algoStartBySymbol", "symbol", symbol);
    return this.#call("algoStartBySymbol", "POST", `/v1/algos/${s}/start`, anyObject);
  }

  /** `POST /v1/algos/{symbol}/stop`. */
  async algoStopBySymbol(symbol: string): Promise<Algo> {
    const s = segment("algoStopBySymbol", "symbol", symbol);
    return this.#call("algoStopBySymbol", "POST", `/v1/algos/${s}/stop`, anyObject);
  }

  /** `GET /v1/algos/{symbol}/logs`. */
  async algoLogsBySymbol(symbol: string): Promise<AlgoLogs> {
    const s = segment("algoLogsBySymbol", "symbol", symbol);
    return this.#call("algoLogsBySymbol", "GET", `/v1/algos/${s}/logs`, algoLogs);
  }

  /** `GET /v1/algos/{symbol}/stats` (free-form). */
  async algoStats(symbol: string): Promise<JsonValue> {
    const s = segment("algoStats", "symbol", symbol);
    return this.#call("algoStats", "GET", `/v1/algos/${s}/stats`, anyJson);
  }

  // ------------------------------------------------------------ hosted strategies

  /** `GET /v1/strategies`. */
  async strategies(): Promise<Strategy[]> {
    return this.#call("strategies", "GET", "/v1/strategies", listOf("strategies"));
  }

  /** `GET /v1/strategies/{id}`. */
  async strategy(strategyId: string): Promise<Strategy> {
    const id = segment("strategy", "strategyId", strategyId);
    return this.#call("strategy", "GET", `/v1/strategies/${id}`, anyObject);
  }

  /**
   * `POST /v1/strategies`: upload a packaged strategy.
   * @param artifact the zip (manifest + module); must start with the zip magic `PK\x03\x04`
   */
  async strategyPush(name: string, artifact: Uint8Array): Promise<Strategy> {
    const op = "strategyPush";
    if (typeof name !== "string" || name.trim() === "") throw validationError(op, "name must be a non-empty string");
    if (!(artifact instanceof Uint8Array) || artifact.length === 0) throw validationError(op, "artifact is empty");
    if (!startsWith(artifact, ZIP_MAGIC)) throw validationError(op, "artifact is not a zip archive (no PK\\x03\\x04 header)");
    return this.#call(op, "POST", "/v1/strategies", anyObject, { body: { name, artifact_base64: base64(artifact) } });
  }

  /** `POST /v1/strategies/{id}/start` (free-form answer). */
  async strategyStart(strategyId: string): Promise<JsonValue> {
    const id = segment("strategyStart", "strategyId", strategyId);
    return this.#call("strategyStart", "POST", `/v1/strategies/${id}/start`, anyJson, { emptyIsNull: true });
  }

  /** `POST /v1/strategies/{id}/stop` (free-form answer). */
  async strategyStop(strategyId: string): Promise<JsonValue> {
    const id = segment("strategyStop", "strategyId", strategyId);
    return this.#call("strategyStop", "POST", `/v1/strategies/${id}/stop`, anyJson, { emptyIsNull: true });
  }

  /** `GET /v1/strategies/{id}/logs` (free-form answer; `*_ns` fields are bigint). */
  async strategyLogs(strategyId: string): Promise<JsonValue> {
    const id = segment("strategyLogs", "strategyId", strategyId);
    return this.#call("strategyLogs", "GET", `/v1/strategies/${id}/logs`, anyJson);
  }

  /** `DELETE /v1/strategies/{id}` (free-form answer, `null` when empty). */
  async strategyDelete(strategyId: string): Promise<JsonValue> {
    const id = segment("strategyDelete", "strategyId", strategyId);
    return this.#call("strategyDelete", "DELETE", `/v1/strategies/${id}`, anyJson, { emptyIsNull: true });
  }

  // ------------------------------------------------------------ streaming

  /**
   * Builder for the WebSocket stream. `symbols` subscribe `prices:{sym}` (and
   * `book:{sym}` with `.book()`); add `.orders()`, `.fills()`, `.routing()`,
   * `.traces(deploymentId)`, `.channel(name)`, then `await .connect()`.
   */
  stream(symbols: readonly string[] = []): StreamBuilder {
    const ws = new URL(this.url);
    ws.protocol = ws.protocol === "https:" ? "wss:" : "ws:";
    const wsUrl = `${ws.href.replace(/\/+$/, "")}/v1/stream`;
    return new StreamBuilder(this.#t, wsUrl, this.#streamOptions, [...symbols]);
  }
}
