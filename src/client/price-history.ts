/**
 * `seq.priceHistory(symbol)`: the builder for `GET /v1/market/price-history`,
 * mirroring the reference's `PriceHistoryQuery`. Each method returns a new
 * query (the original is unchanged); `fetch()` checks the parameters, sends
 * the request and returns the typed {@link PriceHistory}.
 *
 * ```ts
 * const bars = await seq.priceHistory("BTC-USDT").range("1y").fidelitySecs(300).venue("binance").fetch();
 * const ticks = await seq.priceHistory("BTC-USDC").ticks(500).fetch();
 * ```
 */
import { validationError } from "./errors.ts";
import type { QueryValue, Transport } from "./http.ts";
import { priceHistory, type PriceHistory } from "./types.ts";

/** The wire's history ranges. */
export const RANGES = ["1h", "6h", "1d", "1w", "1m", "3m", "6m", "1y", "2y", "5y", "max"] as const;
export type Range = (typeof RANGES)[number];

const U32_MAX = 4_294_967_295;

interface Params {
  readonly range: Range;
  readonly fidelitySecs: number;
  readonly venue?: string;
  readonly limit?: number;
  readonly startTs?: number;
  readonly endTs?: number;
  readonly paginated?: true;
  readonly underlying?: true;
}

export class PriceHistoryQuery {
  readonly #transport: Transport;
  readonly #symbol: string;
  readonly #params: Params;

  /** @internal Use `seq.priceHistory(symbol)`. */
  constructor(transport: Transport, symbol: string, params: Params = { range: "1d", fidelitySecs: 60 }) {
    this.#transport = transport;
    this.#symbol = symbol;
    this.#params = params;
  }

  #with(change: Partial<Params>): PriceHistoryQuery {
    return new PriceHistoryQuery(this.#transport, this.#symbol, { ...this.#params, ...change });
  }

  /** Time window ending now (default `"1d"`). */
  range(range: Range): PriceHistoryQuery {
    return this.#with({ range });
  }

  /** Bar width in seconds (default 60); 0 = tick mode. */
  fidelitySecs(secs: number): PriceHistoryQuery {
    return this.#with({ fidelitySecs: secs });
  }

  /** Restrict to one venue (required for long-range CEX/DEX history). */
  venue(venue: string): PriceHistoryQuery {
    return this.#with({ venue });
  }

  /** Cap the number of points (tick mode). */
  limit(n: number): PriceHistoryQuery {
    return this.#with({ limit: n });
  }

  /** Shorthand for `.fidelitySecs(0).limit(n)`: the last `n` prints. */
  ticks(n: number): PriceHistoryQuery {
    return this.#with({ fidelitySecs: 0, limit: n });
  }

  /** Explicit window start, unix seconds. */
  startTs(secs: number): PriceHistoryQuery {
    return this.#with({ startTs: secs });
  }

  /** Explicit window end, unix seconds. */
  endTs(secs: number): PriceHistoryQuery {
    return this.#with({ endTs: secs });
  }

  /** Polymarket 7-day windowing. */
  paginated(): PriceHistoryQuery {
    return this.#with({ paginated: true });
  }

  /** Include the Chainlink underlying curve on Polymarket crypto markets. */
  underlying(): PriceHistoryQuery {
    return this.#with({ underlying: true });
  }

  /** The query parameters this builder will send. */
  toQuery(): Record<string, QueryValue> {
    const p = this.#params;
    return {
      symbol: this.#symbol,
      range: p.range,
      fidelity_secs: p.fidelitySecs,
      venue: p.venue,
      limit: p.limit,
      start_ts: p.startTs,
      end_ts: p.endTs,
      paginated: p.paginated,
      underlying: p.underlying,
    };
  }

  /** Send the request. Rejects with `validation` (nothing sent) when a parameter is out of range. */
  async fetch(): Promise<PriceHistory> {
    const problem = this.#problem();
    if (problem !== undefined) throw validationError("priceHistory", problem);
    return this.#transport.request({
      operation: "priceHistory",
      method: "GET",
      path: "/v1/market/price-history",
      query: this.toQuery(),
      decoder: priceHistory,
    });
  }

  #problem(): string | undefined {
    const p = this.#params;
    const wholeSecs = (v: number | undefined) => v === undefined || (Number.isSafeInteger(v) && v >= 0);
    if (typeof this.#symbol !== "string" || this.#symbol.trim() === "") return "symbol must be a non-empty string";
    if (!(RANGES as readonly string[]).includes(p.range)) {
      return `range ${JSON.stringify(p.range)} is not one of ${RANGES.join(" ")}`;
    }
    if (!wholeSecs(p.fidelitySecs)) return `fidelitySecs must be a whole number of seconds ≥ 0, got ${p.fidelitySecs}`;
    if (p.limit !== undefined && !(Number.isInteger(p.limit) && p.limit >= 1 && p.limit <= U32_MAX)) {
      return `limit must be an integer in 1..${U32_MAX}, got ${p.limit}`;
    }
    if (!wholeSecs(p.startTs)) return `startTs must be unix seconds (an integer ≥ 0), got ${p.startTs}`;
    if (!wholeSecs(p.endTs)) return `endTs must be unix seconds (an integer ≥ 0), got ${p.endTs}`;
    if (p.startTs !== undefined && p.endTs !== undefined && p.startTs >= p.endTs) {
      return `startTs (${p.startTs}) must be before endTs (${p.endTs})`;
    }
    if (p.venue !== undefined && (typeof p.venue !== "string" || p.venue.trim() === "")) {
      return "venue must be a non-empty string";
    }
    return undefined;
  }
}
