/**
 * The emulator's edges: one simulated edge per (venue, symbol) pair that the
 * venue map allows. An edge replays its symbol's market data (market.ts) and
 * hosts deployed modules for that symbol, one engine per deployment.
 *
 * Edge ids are `edge-<venue>-<symbol in lower case, non-alphanumerics as "-">`,
 * e.g. `edge-coinbase-eth-usd`.
 */
import type { VenueSettings } from "../../harness/venue/settings.ts";
import type { DevConfig } from "./config.ts";

export interface EdgeSpec {
  readonly edgeId: string;
  readonly venue: string;
  readonly symbol: string;
  /** The wire's VenueId discriminant (`venue_id` on tick-mode price points). */
  readonly venueId: number;
}

/** Fixed discriminants for venues the emulator knows; others are numbered after these, in config order. */
const KNOWN_VENUE_IDS: Readonly<Record<string, number>> = {
  coinbase: 1,
  kraken: 2,
  binance: 3,
  okx: 4,
  bybit: 5,
  bitstamp: 6,
  gemini: 7,
  hyperliquid: 8,
  kalshi: 9,
  polymarket: 10,
};

/**
 * The venue settings an edge's engines run with, of the type `algo backtest`
 * builds from its flags: dev.json's fees and order entry latency for the
 * venue; the rest (queue model, feed and response latency, instrument rules)
 * at a backtest's defaults.
 */
export function edgeVenueSettings(config: Pick<DevConfig, "fees" | "latencyNs">, venue: string): VenueSettings {
  const fees = config.fees[venue];
  return { makerBps: String(fees.maker_bps), takerBps: String(fees.taker_bps), entryLatency: String(config.latencyNs[venue] ?? 0n) };
}

export function edgeIdFor(venue: string, symbol: string): string {
  return `edge-${venue}-${symbol.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

export class EdgeMap {
  private readonly bySymbol = new Map<string, EdgeSpec[]>();
  private readonly byId = new Map<string, EdgeSpec>();
  readonly venueIds = new Map<string, number>();

  constructor(venues: Readonly<Record<string, readonly string[]>>) {
    let next = 1 + Math.max(...Object.values(KNOWN_VENUE_IDS));
    for (const [symbol, list] of Object.entries(venues)) {
      const specs = list.map((venue) => {
        if (!this.venueIds.has(venue)) this.venueIds.set(venue, KNOWN_VENUE_IDS[venue] ?? next++);
        const spec: EdgeSpec = { edgeId: edgeIdFor(venue, symbol), venue, symbol, venueId: this.venueIds.get(venue)! };
        if (this.byId.has(spec.edgeId)) throw new Error(`two edges would share the id ${spec.edgeId}; rename a symbol or venue`);
        this.byId.set(spec.edgeId, spec);
        return spec;
      });
      this.bySymbol.set(symbol, specs);
    }
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  hasSymbol(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** The edges that can host `symbol`, primary venue first; empty for an unknown symbol. */
  edgesFor(symbol: string): readonly EdgeSpec[] {
    return this.bySymbol.get(symbol) ?? [];
  }

  get(edgeId: string): EdgeSpec | undefined {
    return this.byId.get(edgeId);
  }

  all(): EdgeSpec[] {
    return [...this.byId.values()];
  }

  /** "ETH-USD → coinbase, kraken, binance; SOL-USD → …", for the startup banner and error messages. */
  describe(): string {
    return [...this.bySymbol].map(([s, e]) => `${s} → ${e.map((x) => x.venue).join(", ")}`).join("; ");
  }
}
