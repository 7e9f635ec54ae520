/**
 * The WebSocket stream (`/v1/stream`), as an async iterator of typed events.
 *
 * ```ts
 * const s = await seq.stream(["BTC-USD"]).fills().traces(deployment.deployment_id).connect();
 * for await (const ev of s) {
 *   if (ev.type === "trace") console.log(ev.deploymentId, ev.data);
 * }
 * ```
 *
 * - Connects to the base URL with `http→ws`/`https→wss`, sending the Bearer header.
 * - Sends `{"op":"subscribe","channels":[…]}` on every (re)connection.
 * - Answers the server's `{"op":"ping"}` with `{"op":"pong"}` (protocol-level
 *   ping frames are answered by `ws` itself).
 * - When the server drops the connection, reconnects with jittered exponential
 *   backoff and subscribes again; after `maxReconnectAttempts` consecutive
 *   failures, or a non-retryable handshake answer (e.g. 401), the iteration
 *   throws the `SequenceError`.
 * - `close()` (or `break` out of `for await`) ends the iteration cleanly.
 * - Frames are parsed losslessly like REST answers (`*_1e8`, `*_1e9`, `*_ns` → bigint).
 *   Frames that are not JSON or carry neither `channel` nor `op` are skipped and
 *   counted in `ignoredFrames`.
 * - Events are buffered without limit until read.
 */
import WebSocket from "ws";
import { SequenceError, type ErrorContext } from "./errors.ts";
import { backoffDelay, type Transport } from "./http.ts";
import { parseJson, stringifyJson, type JsonValue } from "./json.ts";

/** One message from the stream, by channel. */
export type StreamEvent =
  /** `prices:{symbol}` */
  | { readonly type: "price"; readonly symbol: string; readonly data: JsonValue }
  /** `book:{symbol}` */
  | { readonly type: "book"; readonly symbol: string; readonly data: JsonValue }
  /** `orders` */
  | { readonly type: "order"; readonly data: JsonValue }
  /** `fills` */
  | { readonly type: "fill"; readonly data: JsonValue }
  /** `routing` */
  | { readonly type: "routing"; readonly data: JsonValue }
  /** `traces:{deployment_id}`: an algo's log lines and trace events */
  | { readonly type: "trace"; readonly deploymentId: string; readonly data: JsonValue }
  /** any other channel */
  | { readonly type: "raw"; readonly channel: string; readonly data: JsonValue };

/** Reconnection tuning. */
export interface StreamOptions {
  /** First reconnect delay step in ms (default 250). */
  reconnectBaseDelayMs?: number;
  /** Largest reconnect delay step in ms (default 10000). */
  reconnectMaxDelayMs?: number;
  /** Consecutive failed reconnects before giving up (default 10). */
  maxReconnectAttempts?: number;
}

export const DEFAULT_STREAM_OPTIONS: Required<StreamOptions> = {
  reconnectBaseDelayMs: 250,
  reconnectMaxDelayMs: 10_000,
  maxReconnectAttempts: 10,
};

/** Map a channel name and its data to a typed event. */
export function toStreamEvent(channel: string, data: JsonValue): StreamEvent {
  const colon = channel.indexOf(":");
  const head = colon === -1 ? channel : channel.slice(0, colon);
  const rest = colon === -1 ? "" : channel.slice(colon + 1);
  if (colon === -1) {
    if (head === "orders") return { type: "order", data };
    if (head === "fills") return { type: "fill", data };
    if (head === "routing") return { type: "routing", data };
  } else if (rest !== "") {
    if (head === "prices") return { type: "price", symbol: rest, data };
    if (head === "book") return { type: "book", symbol: rest, data };
    if (head === "traces") return { type: "trace", deploymentId: rest, data };
  }
  return { type: "raw", channel, data };
}

interface StreamFlags {
  readonly prices: boolean;
  readonly orders: boolean;
  readonly fills: boolean;
  readonly routing: boolean;
  readonly book: boolean;
}

const DEFAULT_FLAGS: StreamFlags = { prices: true, orders: false, fills: false, routing: false, book: false };

/** Builder for a stream, mirroring the reference's `StreamBuilder`. Each method returns a new builder. */
export class StreamBuilder {
  readonly #transport: Transport;
  readonly #wsUrl: string;
  readonly #options: Required<StreamOptions>;
  readonly #symbols: readonly string[];
  readonly #flags: StreamFlags;
  readonly #extra: readonly string[];

  /** @internal Use `seq.stream(symbols)`. */
  constructor(
    transport: Transport,
    wsUrl: string,
    options: Required<StreamOptions>,
    symbols: readonly string[],
    flags: StreamFlags = DEFAULT_FLAGS,
    extra: readonly string[] = [],
  ) {
    this.#transport = transport;
    this.#wsUrl = wsUrl;
    this.#options = options;
    this.#symbols = symbols;
    this.#flags = flags;
    this.#extra = extra;
  }

  #with(flags: Partial<StreamFlags>, extra: readonly string[] = this.#extra): StreamBuilder {
    return new StreamBuilder(this.#transport, this.#wsUrl, this.#options, this.#symbols, { ...this.#flags, ...flags }, extra);
  }

  /** `prices:{sym}` for each symbol (on by default). */
  prices(yes = true): StreamBuilder {
    return this.#with({ prices: yes });
  }
  /** Subscribe to `orders`. */
  orders(yes = true): StreamBuilder {
    return this.#with({ orders: yes });
  }
  /** Subscribe to `fills`. */
  fills(yes = true): StreamBuilder {
    return this.#with({ fills: yes });
  }
  /** Subscribe to `routing`. */
  routing(yes = true): StreamBuilder {
    return this.#with({ routing: yes });
  }
  /** `book:{sym}` for each symbol. */
  book(yes = true): StreamBuilder {
    return this.#with({ book: yes });
  }
  /** `traces:{deploymentId}`: a deployed algo's log lines and trace events. */
  traces(deploymentId: string): StreamBuilder {
    return this.#with({}, [...this.#extra, `traces:${deploymentId}`]);
  }
  /** Any channel by its wire name. */
  channel(name: string): StreamBuilder {
    return this.#with({}, [...this.#extra, name]);
  }

  /** The channels that will be subscribed, in order, without duplicates. */
  channels(): string[] {
    const f = this.#flags;
    const list: string[] = [];
    if (f.prices) list.push(...this.#symbols.map((s) => `prices:${s}`));
    if (f.book) list.push(...this.#symbols.map((s) => `book:${s}`));
    if (f.orders) list.push("orders");
    if (f.fills) list.push("fills");
    if (f.routing) list.push("routing");
    list.push(...this.#extra);
    return [...new Set(list)];
  }

  /**
   * Open the connection and subscribe. Resolves once the first connection is
   * open; rejects with `validation` (no channels), `network` or `api` (handshake refused).
   */
  async connect(): Promise<SequenceStream> {
    const channels = this.channels();
    const bad = channels.find((c) => typeof c !== "string" || c === "" || c.endsWith(":"));
    if (channels.length === 0 || bad !== undefined) {
      throw new SequenceError(
        { kind: "validation" },
        { operation: "stream" },
        channels.length === 0
          ? "stream: nothing to subscribe to (give symbols, or call .orders()/.fills()/.routing()/.traces(id)/.channel(name))"
          : `stream: invalid channel ${JSON.stringify(bad)}`,
      );
    }
    if (!this.#transport.hasKey) {
      throw new SequenceError({ kind: "validation" }, { operation: "stream" }, "stream: no API key; nothing was sent");
    }
    const stream = new SequenceStream(this.#transport, this.#wsUrl, channels, this.#options);
    await stream.start();
    return stream;
  }
}

type Waiter = { resolve: (r: IteratorResult<StreamEvent>) => void; reject: (e: unknown) => void };

/** A live subscription; iterate it with `for await`. */
export class SequenceStream implements AsyncIterableIterator<StreamEvent> {
  /** The subscribed channels, re-sent on every reconnection. */
  readonly channels: readonly string[];
  readonly #transport: Transport;
  readonly #url: string;
  readonly #options: Required<StreamOptions>;
  readonly #ctx: ErrorContext;
  #ws: WebSocket | undefined;
  #queue: StreamEvent[] = [];
  #waiters: Waiter[] = [];
  #closed = false;
  #failure: SequenceError | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wakeSleep: (() => void) | undefined;
  #reconnects = 0;
  #ignored = 0;

  /** @internal Use `StreamBuilder.connect()`. */
  constructor(transport: Transport, url: string, channels: readonly string[], options: Required<StreamOptions>) {
    this.#transport = transport;
    this.#url = url;
    this.channels = Object.freeze([...channels]);
    this.#options = options;
    this.#ctx = { operation: "stream", method: "GET", path: "/v1/stream" };
  }

  /** How many times the connection was re-established after a drop. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** Frames skipped because they were not JSON or had no `channel`/`op`. */
  get ignoredFrames(): number {
    return this.#ignored;
  }

  /** @internal First connection. */
  async start(): Promise<void> {
    await this.#attempt();
  }

  [Symbol.asyncIterator](): SequenceStream {
    return this;
  }

  /** The next event; `done` after `close()`; throws the error that ended the stream. */
  next(): Promise<IteratorResult<StreamEvent>> {
    const ev = this.#queue.shift();
    if (ev !== undefined) return Promise.resolve({ value: ev, done: false });
    if (this.#failure !== undefined) {
      const err = this.#failure;
      this.#closed = true;
      this.#failure = undefined;
      return Promise.reject(err);
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Called by `break` in `for await`: closes the stream. */
  async return(): Promise<IteratorResult<StreamEvent>> {
    await this.close();
    return { value: undefined, done: true };
  }

  /** Close the connection and end the iteration; pending `next()` calls resolve `done`. */
  async close(): Promise<void> {
    if (this.#closed && this.#ws === undefined) return;
    this.#closed = true;
    this.#queue = [];
    clearTimeout(this.#timer);
    this.#wakeSleep?.();
    for (const w of this.#waiters.splice(0)) w.resolve({ value: undefined, done: true });
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1_000);
      ws.once("close", () => {
        clearTimeout(force);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, "client closed");
    });
  }

  #push(ev: StreamEvent): void {
    const w = this.#waiters.shift();
    if (w !== undefined) w.resolve({ value: ev, done: false });
    else this.#queue.push(ev);
  }

  #fail(err: SequenceError): void {
    if (this.#closed) return;
    const waiters = this.#waiters.splice(0);
    if (waiters.length > 0) {
      this.#closed = true;
      for (const w of waiters) w.reject(err);
    } else {
      this.#failure = err;
    }
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.terminate();
  }

  #onMessage(text: string, ws: WebSocket): void {
    let msg: JsonValue;
    try {
      msg = parseJson(text);
    } catch {
      this.#ignored++;
      return;
    }
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
      this.#ignored++;
      return;
    }
    if (typeof msg.channel === "string") {
      this.#push(toStreamEvent(msg.channel, msg.data ?? null));
    } else if (msg.op === "ping") {
      if (ws.readyState === WebSocket.OPEN) ws.send(stringifyJson({ op: "pong" }));
    } else if (typeof msg.op !== "string") {
      this.#ignored++;
    }
  }

  /** One connection attempt: resolves when open and subscribed. */
  #attempt(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let opened = false;
      const settle = (err?: SequenceError) => {
        if (settled) return;
        settled = true;
        if (err === undefined) resolve();
        else reject(err);
      };
      const ws = new WebSocket(this.#url, {
        headers: { Authorization: this.#transport.authorization(), "User-Agent": "sequence-algo-client/0.1" },
        handshakeTimeout: this.#transport.config.timeoutMs,
      });
      this.#ws = ws;
      ws.on("unexpected-response", (req, res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.length < 64 && chunks.push(c));
        res.on("end", () => {
          const err = this.#transport.errorFromResponse(
            {
              status: res.statusCode ?? 0,
              statusMessage: res.statusMessage ?? "",
              headers: res.headers,
              text: Buffer.concat(chunks).toString("utf8"),
            },
            this.#ctx,
            "stream: GET /v1/stream (WebSocket handshake)",
          );
          settle(err);
          ws.terminate();
        });
        res.on("error", () => undefined);
        req.on("error", () => undefined);
      });
      ws.on("error", (e) => {
        settle(
          new SequenceError(
            { kind: "network", mayHaveBeenApplied: false, timedOut: /timed out/i.test(e.message) },
            this.#ctx,
            this.#transport.redact(`stream: WebSocket ${this.#url}: ${e.message}`),
            { cause: e },
          ),
        );
      });
      ws.on("open", () => {
        opened = true;
        ws.send(stringifyJson({ op: "subscribe", channels: this.channels }));
        settle();
      });
      ws.on("message", (data, isBinary) => {
        if (this.#ws !== ws) return;
        const text = isBinary ? undefined : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : data.toString();
        if (text === undefined) this.#ignored++;
        else this.#onMessage(text, ws);
      });
      ws.on("close", () => {
        settle(
          new SequenceError(
            { kind: "network", mayHaveBeenApplied: false, timedOut: false },
            this.#ctx,
            "stream: WebSocket closed during the handshake",
          ),
        );
        if (this.#ws === ws) this.#ws = undefined;
        if (opened && !this.#closed) void this.#reconnect();
      });
    });
  }

  /** Re-establish a dropped connection, with backoff. */
  async #reconnect(): Promise<void> {
    const { reconnectBaseDelayMs, reconnectMaxDelayMs, maxReconnectAttempts } = this.#options;
    for (let failures = 0; !this.#closed; ) {
      await new Promise<void>((resolve) => {
        this.#wakeSleep = resolve;
        this.#timer = setTimeout(resolve, backoffDelay(failures + 1, reconnectBaseDelayMs, reconnectMaxDelayMs));
      });
      this.#wakeSleep = undefined;
      if (this.#closed) return;
      try {
        await this.#attempt();
        this.#reconnects++;
        if (this.#closed) this.#ws?.terminate();
        return;
      } catch (e) {
        const err = e as SequenceError;
        failures++;
        const retryable = err.kind === "network" || (err.kind === "api" && (err.status === 429 || err.status === 503));
        if (!retryable || failures >= maxReconnectAttempts) {
          this.#fail(
            retryable
              ? new SequenceError(
                  { kind: "network", mayHaveBeenApplied: false, timedOut: false },
                  this.#ctx,
                  `stream: gave up after ${failures} failed reconnection attempts; last: ${err.message}`,
                  { cause: err },
                )
              : err,
          );
          return;
        }
      }
    }
  }
}
