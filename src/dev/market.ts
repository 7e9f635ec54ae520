/**
 * The emulator's market: one paced replay (feed.ts) per edge, driven by one
 * timer, and the market-data answers built from the same replays —
 * `GET /v1/quote/{symbol}` (NBBO over the symbol's edges) and
 * `GET /v1/market/price-history` (tick mode from the edges' rings, bars from
 * their one-second closes).
 *
 * Pacing: every PUMP_MS each edge publishes the records whose (re-timed)
 * timestamps its clock has reached, the clock running at `speed` × real time
 * from the edge's first record. With `--speed max` each edge publishes as
 * much as it can, within MAX_SHARE of the main thread, so the API stays
 * responsive; engines read at their own pace behind it.
 */
import type { Speed } from "./config.ts";
import { edgeData } from "./data.ts";
import type { EdgeMap, EdgeSpec } from "./edges.ts";
import { badRequest, HttpError } from "./errors.ts";
import { EdgeFeed, RING_CAPACITY, type TickPoint } from "./feed.ts";

const PUMP_MS = 10;
/** With --speed max, the share of each PUMP_MS the replay may take. */
const MAX_SHARE = 0.4;
/** A paced edge never takes longer than this per round, whatever it is behind. */
const PACED_ROUND_MS = 20;

const NS_PER_SEC = 1_000_000_000n;
const RANGE_SECS: Readonly<Record<string, number>> = {
  "1h": 3_600,
  "6h": 21_600,
  "1d": 86_400,
  "1w": 604_800,
  "1m": 2_592_000,
  "3m": 7_776_000,
  "6m": 15_552_000,
  "1y": 31_536_000,
  "2y": 63_072_000,
  "5y": 157_680_000,
  max: Number.POSITIVE_INFINITY,
};
export const TICK_LIMIT_DEFAULT = 1000;

export interface QuoteJson {
  symbol: string;
  nbbo: { bid: number | null; ask: number | null; mid: number | null; spread_bps: number | null };
  venues: Record<string, { bid: number | null; ask: number | null; age_ms: number | null }>;
  book: { bids: Array<{ price: number; qty: number }>; asks: Array<{ price: number; qty: number }> } | null;
  source: string;
}

export interface PriceHistoryJson {
  symbol: string;
  source: string;
  window: Record<string, unknown>;
  points: Array<TickPoint | { ts_ns: bigint; price_1e9: bigint }>;
  underlying: null;
}

const px = (v: bigint) => Number(v) / 1e9;
const qty = (v: bigint) => Number(v) / 1e8;

export class Market {
  private readonly feeds = new Map<string, EdgeFeed>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    readonly edges: EdgeMap,
    readonly speed: Speed,
    private readonly dataDir: string | undefined,
  ) {}

  /** Opens every edge's data and starts the clocks; `clocks` are the edges' stored clocks (restart). */
  async start(epochNs: bigint, clocks: ReadonlyMap<string, bigint>): Promise<void> {
    const now = performance.now();
    for (const spec of this.edges.all()) {
      const feed = new EdgeFeed(spec, edgeData(spec, this.dataDir, epochNs), clocks.get(spec.edgeId), RING_CAPACITY);
      this.feeds.set(spec.edgeId, feed);
    }
    await Promise.all([...this.feeds.values()].map((f) => f.prime(now)));
    this.running = true;
    this.timer = setInterval(() => void this.round(), PUMP_MS);
  }

  stop(): void {
    this.running = false;
    clearInterval(this.timer);
  }

  feed(edgeId: string): EdgeFeed {
    const f = this.feeds.get(edgeId);
    if (!f) throw new Error(`no feed for ${edgeId}`);
    return f;
  }

  allFeeds(): EdgeFeed[] {
    return [...this.feeds.values()];
  }

  /** Each edge's clock, for the state file. */
  clocks(): Map<string, bigint> {
    return new Map([...this.feeds].filter(([, f]) => f.published > 0).map(([id, f]) => [id, f.clock]));
  }

  private async round(): Promise<void> {
    if (!this.running) return;
    const now = performance.now();
    const feeds = [...this.feeds.values()];
    if (this.speed === "max") {
      const share = (PUMP_MS * MAX_SHARE) / Math.max(1, feeds.length);
      for (const f of feeds) await f.pump(null, performance.now() + share);
    } else {
      for (const f of feeds) await f.pump(f.targetAt(now, this.speed), performance.now() + PACED_ROUND_MS);
    }
  }

  // ---------------------------------------------------------------- answers

  private specsFor(symbol: string): readonly EdgeSpec[] {
    const specs = this.edges.edgesFor(symbol);
    if (specs.length === 0) {
      throw new HttpError(404, "unknown_symbol", `unknown symbol "${symbol}": this emulator's edges host ${this.edges.symbols().join(", ")}`);
    }
    return specs;
  }

  /** NBBO over the symbol's edges, each edge's BBO, and the merged top-of-book levels. */
  quote(symbol: string): QuoteJson {
    const now = performance.now();
    const venues: QuoteJson["venues"] = {};
    const bids: Array<{ price: number; qty: number }> = [];
    const asks: Array<{ price: number; qty: number }> = [];
    let bestBid = 0n;
    let bestAsk = 0n;
    // A symbol no edge hosts is not an error: no path produced book data (wire.md).
    for (const spec of this.edges.edgesFor(symbol)) {
      const q = this.feeds.get(spec.edgeId)?.quote;
      if (!q) {
        venues[spec.venue] = { bid: null, ask: null, age_ms: null };
        continue;
      }
      const bid = q.bid_px_1e9 > 0n ? q.bid_px_1e9 : 0n;
      const ask = q.ask_px_1e9 > 0n ? q.ask_px_1e9 : 0n;
      venues[spec.venue] = { bid: bid ? px(bid) : null, ask: ask ? px(ask) : null, age_ms: Math.max(0, Math.round(now - q.wallMs)) };
      if (bid && bid > bestBid) bestBid = bid;
      if (ask && (bestAsk === 0n || ask < bestAsk)) bestAsk = ask;
      if (bid) bids.push({ price: px(bid), qty: qty(q.bid_qty_1e8) });
      if (ask) asks.push({ price: px(ask), qty: qty(q.ask_qty_1e8) });
    }
    bids.sort((a, b) => b.price - a.price);
    asks.sort((a, b) => a.price - b.price);
    const any = bids.length > 0 || asks.length > 0;
    const mid = bestBid && bestAsk ? (bestBid + bestAsk) / 2n : 0n;
    return {
      symbol,
      nbbo: {
        bid: bestBid ? px(bestBid) : null,
        ask: bestAsk ? px(bestAsk) : null,
        mid: mid ? px(mid) : null,
        spread_bps: mid ? Math.round((Number(bestAsk - bestBid) / Number(mid)) * 1e4 * 1e4) / 1e4 : null,
      },
      venues,
      book: any ? { bids, asks } : null,
      source: any ? "edge_nbbo" : "unavailable",
    };
  }

  /** `GET /v1/market/price-history` from the edges' replays (see docs/emulator.md). */
  priceHistory(q: URLSearchParams): PriceHistoryJson {
    const symbol = q.get("symbol");
    if (symbol === null || symbol.trim() === "") throw badRequest("invalid_request", "symbol is required, e.g. ?symbol=ETH-USD");
    let specs = this.specsFor(symbol);
    const venue = q.get("venue");
    if (venue !== null && venue !== "") {
      specs = specs.filter((s) => s.venue === venue);
      if (specs.length === 0) {
        throw badRequest("unknown_venue", `venue "${venue}" does not host ${symbol} here; its venues are ${this.edges.edgesFor(symbol).map((s) => s.venue).join(", ")}`);
      }
    }
    const range = q.get("range") ?? "1d";
    const rangeSecs = RANGE_SECS[range];
    if (rangeSecs === undefined) throw badRequest("invalid_request", `range "${range}" is not one of ${Object.keys(RANGE_SECS).join(" ")}`);
    const fidelity = wholeParam(q, "fidelity_secs", 60, 0, 31_536_000);
    const limitText = q.get("limit");
    const limit = limitText === null ? undefined : wholeParam(q, "limit", 0, 1, 4_294_967_295);
    const startTs = q.get("start_ts") === null ? undefined : wholeParam(q, "start_ts", 0, 0, 1e11);
    const endTs = q.get("end_ts") === null ? undefined : wholeParam(q, "end_ts", 0, 0, 1e11);
    if (startTs !== undefined && endTs !== undefined && startTs >= endTs) throw badRequest("invalid_request", `start_ts (${startTs}) must be before end_ts (${endTs})`);

    const feeds = specs.map((s) => this.feed(s.edgeId));
    const clock = feeds.reduce((m, f) => (f.clock > m ? f.clock : m), 0n);
    const to = endTs !== undefined ? BigInt(endTs) * NS_PER_SEC : clock;
    const from =
      startTs !== undefined ? BigInt(startTs) * NS_PER_SEC
      : Number.isFinite(rangeSecs) ? to - BigInt(rangeSecs) * NS_PER_SEC
      : 0n;
    const window = {
      range,
      fidelity_secs: fidelity,
      start_ns: from,
      end_ns: to,
      venues: specs.map((s) => s.venue),
      data: feeds.map((f) => `${f.spec.venue}: ${f.data.description}`),
      emulator: true,
    };

    if (fidelity === 0) {
      const cap = Math.min(limit ?? TICK_LIMIT_DEFAULT, RING_CAPACITY);
      const merged = feeds.flatMap((f) => f.ticks(from, to, cap));
      merged.sort((a, b) => (a.ts_ns < b.ts_ns ? -1 : a.ts_ns > b.ts_ns ? 1 : a.venue_id - b.venue_id));
      return { symbol, source: "venue_ticks", window, points: merged.slice(-cap), underlying: null };
    }
    // Bars come from one edge: the one asked for, else the symbol's primary venue.
    const points = feeds[0].bars.bars(from, to, fidelity);
    return { symbol, source: "tape", window: { ...window, venues: [feeds[0].spec.venue] }, points: limit ? points.slice(-limit) : points, underlying: null };
  }
}

function wholeParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = q.get(name);
  if (text === null || text === "") return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n >= min && n <= max)) throw badRequest("invalid_request", `${name}=${text}: expected a whole number in ${min}..${max}`);
  return n;
}
