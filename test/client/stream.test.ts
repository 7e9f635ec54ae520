/**
 * The WebSocket stream against a real local WebSocket server: subscribe,
 * typed events, ping/pong, reconnect + re-subscribe, clean close.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Sequence, SequenceError, toStreamEvent, type SequenceStream, type StreamEvent } from "../../src/client/index.ts";
import { FakeServer, until, type FakeWsConnection } from "./fake-server.ts";
import { API_KEY, TS_NS } from "./fixtures.ts";

let server: FakeServer;
let seq: Sequence;
let open: SequenceStream[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
  seq = new Sequence(API_KEY, { stream: { reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 50, maxReconnectAttempts: 3 } }).baseUrl(server.url);
});

afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
  await server.close();
});

async function connect(builder: ReturnType<Sequence["stream"]>): Promise<SequenceStream> {
  const s = await builder.connect();
  open.push(s);
  return s;
}

/** Next event, failing rather than hanging. */
async function next(s: SequenceStream): Promise<StreamEvent> {
  const r = await Promise.race([
    s.next(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no event within 3 s")), 3000)),
  ]);
  if (r.done === true) throw new Error("stream ended");
  return r.value;
}

async function connection(index: number): Promise<FakeWsConnection> {
  return until(() => server.wsConnections[index], `WebSocket connection #${index + 1}`);
}

async function subscribeOf(conn: FakeWsConnection): Promise<unknown> {
  return until(() => conn.messages.find((m) => (m as { op?: string }).op === "subscribe"), "a subscribe message");
}

describe("stream", () => {
  test("connects with the Bearer header to /v1/stream and subscribes to the built channels", async () => {
    await connect(seq.stream(["BTC-USD", "ETH-USD"]).orders().fills().book().traces("dep_1"));
    const conn = await connection(0);
    expect(conn.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(await subscribeOf(conn)).toEqual({
      op: "subscribe",
      channels: ["prices:BTC-USD", "prices:ETH-USD", "book:BTC-USD", "book:ETH-USD", "orders", "fills", "traces:dep_1"],
    });
  });

  test("yields typed events, with big integers exact", async () => {
    const s = await connect(seq.stream(["BTC-USD"]).book().orders().fills().routing().traces("dep_1").channel("custom"));
    const conn = await connection(0);
    await subscribeOf(conn);
    conn.send(`{"channel":"traces:dep_1","data":{"ts_ns":${TS_NS},"level":"info","message":"filled"}}`);
    conn.send({ channel: "prices:BTC-USD", data: { bid: 1.5 } });
    conn.send({ channel: "book:BTC-USD", data: { bids: [] } });
    conn.send({ channel: "orders", data: { id: "o1" } });
    conn.send({ channel: "fills", data: { id: "f1" } });
    conn.send({ channel: "routing", data: { venue: "x" } });
    conn.send({ channel: "custom", data: 7 });
    const events: StreamEvent[] = [];
    for (let i = 0; i < 7; i++) events.push(await next(s));
    expect(events).toEqual([
      { type: "trace", deploymentId: "dep_1", data: { ts_ns: TS_NS, level: "info", message: "filled" } },
      { type: "price", symbol: "BTC-USD", data: { bid: 1.5 } },
      { type: "book", symbol: "BTC-USD", data: { bids: [] } },
      { type: "order", data: { id: "o1" } },
      { type: "fill", data: { id: "f1" } },
      { type: "routing", data: { venue: "x" } },
      { type: "raw", channel: "custom", data: 7 },
    ]);
  });

  test("answers ping with pong, and skips frames it cannot read", async () => {
    const s = await connect(seq.stream().traces("dep_1"));
    const conn = await connection(0);
    await subscribeOf(conn);
    conn.send({ op: "ping" });
    await until(() => conn.messages.some((m) => (m as { op?: string }).op === "pong"), "a pong");
    expect(conn.messages).toEqual([{ op: "subscribe", channels: ["traces:dep_1"] }, { op: "pong" }]);
    conn.send("not json");
    conn.send({ nothing: true });
    conn.send({ channel: "traces:dep_1", data: { n: 1 } });
    expect(await next(s)).toEqual({ type: "trace", deploymentId: "dep_1", data: { n: 1 } });
    expect(s.ignoredFrames).toBe(2);
  });

  test("reconnects after the server drops it, re-subscribes, and keeps yielding", async () => {
    const s = await connect(seq.stream().fills().traces("dep_1"));
    const first = await connection(0);
    const firstSub = await subscribeOf(first);
    first.send({ channel: "fills", data: { n: 1 } });
    expect(await next(s)).toEqual({ type: "fill", data: { n: 1 } });

    first.drop();
    const second = await connection(1);
    expect(await subscribeOf(second)).toEqual(firstSub);
    expect(second.headers.authorization).toBe(`Bearer ${API_KEY}`);
    second.send({ channel: "traces:dep_1", data: { n: 2 } });
    expect(await next(s)).toEqual({ type: "trace", deploymentId: "dep_1", data: { n: 2 } });
    expect(s.reconnects).toBe(1);
  });

  test("close() ends a for-await loop cleanly, also while it waits", async () => {
    const s = await connect(seq.stream().fills());
    const conn = await connection(0);
    await subscribeOf(conn);
    conn.send({ channel: "fills", data: { n: 1 } });
    const seen: StreamEvent[] = [];
    const loop = (async () => {
      for await (const ev of s) {
        seen.push(ev);
        if (seen.length === 1) setTimeout(() => void s.close(), 20);
      }
    })();
    await loop;
    expect(seen).toEqual([{ type: "fill", data: { n: 1 } }]);
    expect(await s.next()).toEqual({ value: undefined, done: true });
    await until(() => conn.closed, "the server to see the close");
  });

  test("break out of for-await closes the connection", async () => {
    const s = await connect(seq.stream().fills());
    const conn = await connection(0);
    await subscribeOf(conn);
    conn.send({ channel: "fills", data: { n: 1 } });
    for await (const ev of s) {
      expect(ev.type).toBe("fill");
      break;
    }
    await until(() => conn.closed, "the server to see the close");
    expect(server.wsConnections).toHaveLength(1);
  });

  test("gives up after maxReconnectAttempts when the server stays away, ending the iteration with a network error", async () => {
    const s = await connect(seq.stream().fills());
    const conn = await connection(0);
    await subscribeOf(conn);
    server.wsRefusal = { status: 503, body: `{"error":{"code":"unavailable","message":"down"}}` };
    conn.drop();
    const e = await s.next().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SequenceError);
    expect((e as SequenceError).kind).toBe("network");
    expect((e as SequenceError).message).toContain("gave up after 3 failed reconnection attempts");
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  test("a refused handshake rejects connect() with the api error, without the key", async () => {
    server.wsRefusal = { status: 401, body: `{"error":{"code":"unauthorized","message":"bad key ${API_KEY}"}}` };
    const e = await seq
      .stream()
      .fills()
      .connect()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(e).toBeInstanceOf(SequenceError);
    const err = e as SequenceError;
    expect(err.kind === "api" && err.status === 401 && err.code === "unauthorized").toBe(true);
    expect(err.message).toContain("stream: GET /v1/stream (WebSocket handshake) → 401 unauthorized: bad key [redacted]");
    expect(err.message).not.toContain(API_KEY);
  });

  test("connect() to a closed port is a network error", async () => {
    const closed = await FakeServer.start();
    const url = closed.url;
    await closed.close();
    const e = await seq.baseUrl(url).stream().fills().connect().catch((err: unknown) => err);
    expect(e instanceof SequenceError && e.kind === "network").toBe(true);
  });

  test("nothing to subscribe to is a validation error", async () => {
    const e = await seq.stream().connect().catch((err: unknown) => err);
    expect(e instanceof SequenceError && e.kind === "validation").toBe(true);
    expect(server.wsConnections).toHaveLength(0);
  });

  test("https base URLs map to wss", async () => {
    // No TLS server here: check the URL the client tries through the error it reports.
    const e = await new Sequence(API_KEY).baseUrl("https://127.0.0.1:1").stream().fills().connect().catch((err: unknown) => err);
    expect(e instanceof SequenceError && e.kind === "network").toBe(true);
    expect((e as SequenceError).message).toContain("wss://127.0.0.1:1/v1/stream");
  });
});

describe("toStreamEvent", () => {
  test("maps channels to event types", () => {
    expect(toStreamEvent("prices:KX:YES", 1)).toEqual({ type: "price", symbol: "KX:YES", data: 1 });
    expect(toStreamEvent("traces:dep_9", null)).toEqual({ type: "trace", deploymentId: "dep_9", data: null });
    expect(toStreamEvent("fills", 1)).toEqual({ type: "fill", data: 1 });
    expect(toStreamEvent("prices:", 1)).toEqual({ type: "raw", channel: "prices:", data: 1 });
    expect(toStreamEvent("fills:x", 1)).toEqual({ type: "raw", channel: "fills:x", data: 1 });
  });
});
