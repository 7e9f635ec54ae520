/**
 * `GET /v1/stream`: the WebSocket side of the wire (wire.md, "Streaming").
 *
 * The client sends `{"op":"subscribe","channels":[…]}` (and may send
 * `{"op":"unsubscribe",…}`); the server answers `{"op":"subscribed","channels":[…]}`
 * and, per refused channel or malformed frame, `{"op":"error","error":{"code","message"}}`
 * (a refusal's message starts with the channel); it sends
 * `{"channel":"<name>","data":{…}}` frames and answers `{"op":"ping"}` with
 * `{"op":"pong"}`. Channels:
 * - `traces:{deployment_id}` — one of this client's deployments: its log
 *   lines, fills and status changes as they happen (another client's id is
 *   refused exactly like an unknown one);
 * - `fills` — fills of all this client's deployments;
 * - `prices:{symbol}`, `book:{symbol}` — NBBO / per-venue top of book, at most
 *   4 times a second while they change;
 * - `orders`, `routing` — accepted, never carry anything here (the emulator's
 *   edges expose no order events).
 * A connection that falls more than 8 MiB behind loses frames rather than
 * slowing the emulator down.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { stringifyJson } from "../client/json.ts";
import type { Market } from "./market.ts";

const MAX_BUFFERED = 8 * 1024 * 1024;
const PING_MS = 30_000;
const MARKET_MS = 250;
const MAX_CHANNELS = 256;
/** Channels whose frames belong to one client. */
const PER_CLIENT = new Set(["fills", "orders", "routing"]);

interface Conn {
  ws: WebSocket;
  client: string;
  keys: Set<string>;
  alive: boolean;
  dropped: number;
}

/** undefined when `client` may subscribe to `channel`, else the refusal (code, message). */
export type ChannelCheck = (client: string, channel: string) => { code: string; message: string } | undefined;

export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly conns = new Set<Conn>();
  private readonly subscribers = new Map<string, Set<Conn>>();
  private readonly pinger: NodeJS.Timeout;
  private marketTimer: NodeJS.Timeout | undefined;
  private readonly lastMarket = new Map<string, string>();

  constructor(private readonly check: ChannelCheck) {
    this.pinger = setInterval(() => this.ping(), PING_MS);
  }

  private key(client: string, channel: string): string {
    return PER_CLIENT.has(channel) ? `${client}\u0000${channel}` : channel;
  }

  /** Completes an authenticated upgrade. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, client: string): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, client, keys: new Set(), alive: true, dropped: 0 };
      this.conns.add(conn);
      ws.on("pong", () => (conn.alive = true));
      ws.on("message", (data, isBinary) => this.onMessage(conn, isBinary ? undefined : data.toString()));
      ws.on("close", () => this.drop(conn));
      ws.on("error", () => this.drop(conn));
    });
  }

  private drop(conn: Conn): void {
    this.conns.delete(conn);
    for (const k of conn.keys) this.subscribers.get(k)?.delete(conn);
  }

  private sendTo(conn: Conn, frame: unknown): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(stringifyJson(frame));
  }

  private onMessage(conn: Conn, text: string | undefined): void {
    let msg: unknown;
    try {
      msg = text === undefined ? undefined : JSON.parse(text);
    } catch {
      msg = undefined;
    }
    const op = msg !== null && typeof msg === "object" ? (msg as { op?: unknown }).op : undefined;
    const channels = msg !== null && typeof msg === "object" ? (msg as { channels?: unknown }).channels : undefined;
    if (op === "ping") return this.sendTo(conn, { op: "pong" });
    if (op === "pong") return;
    if ((op === "subscribe" || op === "unsubscribe") && Array.isArray(channels) && channels.every((c) => typeof c === "string")) {
      return op === "subscribe" ? this.subscribe(conn, channels as string[]) : this.unsubscribe(conn, channels as string[]);
    }
    this.sendTo(conn, {
      op: "error",
      error: {
        code: "invalid_request",
        message: 'expected {"op":"subscribe","channels":["traces:<deployment_id>", …]}, {"op":"unsubscribe",…} or {"op":"ping"}',
      },
    });
  }

  private subscribe(conn: Conn, channels: string[]): void {
    const ok: string[] = [];
    for (const channel of channels) {
      const refused =
        conn.keys.size >= MAX_CHANNELS ? { code: "too_many_channels", message: `at most ${MAX_CHANNELS} channels per connection` } : this.check(conn.client, channel);
      if (refused) {
        this.sendTo(conn, { op: "error", error: { code: refused.code, message: `${channel}: ${refused.message}` } });
        continue;
      }
      const k = this.key(conn.client, channel);
      conn.keys.add(k);
      let set = this.subscribers.get(k);
      if (!set) this.subscribers.set(k, (set = new Set()));
      set.add(conn);
      ok.push(channel);
    }
    if (ok.length > 0) this.sendTo(conn, { op: "subscribed", channels: ok });
  }

  private unsubscribe(conn: Conn, channels: string[]): void {
    for (const channel of channels) {
      const k = this.key(conn.client, channel);
      conn.keys.delete(k);
      this.subscribers.get(k)?.delete(conn);
    }
    this.sendTo(conn, { op: "unsubscribed", channels });
  }

  hasSubscribers(channel: string, client = ""): boolean {
    return (this.subscribers.get(this.key(client, channel))?.size ?? 0) > 0;
  }

  /** Sends `data` on `channel` to its subscribers (per-client channels: only `client`'s). */
  publish(channel: string, data: unknown, client = ""): void {
    const set = this.subscribers.get(this.key(client, channel));
    if (!set || set.size === 0) return;
    const text = stringifyJson({ channel, data });
    for (const conn of set) {
      if (conn.ws.readyState !== conn.ws.OPEN) continue;
      if (conn.ws.bufferedAmount > MAX_BUFFERED) {
        conn.dropped++;
        continue;
      }
      conn.ws.send(text);
    }
  }

  /** Ends a deployment's trace channel (undeploy). */
  forget(channel: string): void {
    const set = this.subscribers.get(channel);
    if (!set) return;
    for (const conn of set) conn.keys.delete(channel);
    this.subscribers.delete(channel);
  }

  /** Starts the `prices:{symbol}` / `book:{symbol}` publisher. */
  startMarket(market: Market): void {
    this.marketTimer = setInterval(() => {
      for (const symbol of market.edges.symbols()) {
        const prices = `prices:${symbol}`;
        const book = `book:${symbol}`;
        if (!this.hasSubscribers(prices) && !this.hasSubscribers(book)) continue;
        const q = market.quote(symbol);
        const sig = JSON.stringify([q.nbbo, q.book]);
        if (this.lastMarket.get(symbol) === sig) continue;
        this.lastMarket.set(symbol, sig);
        this.publish(prices, { symbol, ...q.nbbo, source: q.source });
        this.publish(book, { symbol, venues: q.venues, book: q.book });
      }
    }, MARKET_MS);
  }

  private ping(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  close(): void {
    clearInterval(this.pinger);
    clearInterval(this.marketTimer);
    for (const conn of this.conns) conn.ws.terminate();
    this.conns.clear();
    this.subscribers.clear();
    this.wss.close();
  }
}
