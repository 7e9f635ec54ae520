/**
 * The typed answers of the Sequence API, with their decoders.
 *
 * Field names are the wire's (snake_case, as the reference's Rust structs
 * serialise). Every `*_1e8`, `*_1e9`, `*_ns` field is a `bigint`: see
 * `Qty`/`Px` in `fixed.ts` to convert. Answers the wire leaves free-form are
 * typed `JsonValue`/`JsonObject` (big fields inside them are still `bigint`).
 */
import {
  array,
  bigint,
  count,
  json,
  nullable,
  number,
  object,
  record,
  string,
  struct,
  type Decoder,
  DecodeError,
} from "./decode.ts";
import type { JsonObject, JsonValue } from "./json.ts";

export type { JsonObject, JsonValue } from "./json.ts";

/** One edge's runtime state for a deployed algo. */
export interface DeploymentEdge {
  edge_id: string;
  venue: string;
  status: string;
  position_1e8: bigint;
  realized_pnl_1e9: bigint;
  unrealized_pnl_1e9: bigint;
  fill_count: number;
  callback_latency_ns: bigint;
}

/** A WASM algo deployment (`POST /v1/deployments`, `GET /v1/deployments/{id}`). */
export interface Deployment {
  deployment_id: string;
  /** `null` when the deployment was pushed without a name. */
  name: string | null;
  symbols: string[];
  size_bytes: number;
  status: string;
  /** Edges that accepted the push. */
  pushed_to: number;
  /** Edges that could host this algo. */
  capable_edges: number;
  /** Per-edge runtime state. */
  edges: DeploymentEdge[];
  /**
   * The params the edges run the module with (its `sequence.params` section,
   * docs/abi.md), name → decimal. Sent by `algo dev`; absent when a server does not say.
   */
  params?: Record<string, string>;
}

/** Answer of `DELETE /v1/deployments/{id}`. */
export interface UndeployResult {
  deployment_id: string;
  /** `"undeployed"`. */
  status: string;
}

/** One log line of a deployed algo. */
export interface LogLine {
  ts_ns: bigint;
  edge_id: string;
  level: string;
  message: string;
}

/** Answer of the logs endpoints (`…/logs`). */
export interface AlgoLogs {
  deployment_id: string;
  logs: LogLine[];
}

/** One row of a price history; the optional fields are present in tick mode only. */
export interface PricePoint {
  ts_ns: bigint;
  price_1e9: bigint;
  qty_1e8?: bigint;
  /** `"buy"` | `"sell"`. */
  side?: string;
  /** VenueId discriminant. */
  venue_id?: number;
}

/** Answer of `GET /v1/market/price-history`. */
export interface PriceHistory {
  symbol: string;
  /** Which path served the data: `"tape"`, `"venue_ticks"`, `"polymarket_rest"`, … */
  source: string;
  window: JsonObject | null;
  points: PricePoint[];
  /** Chainlink curve on Polymarket crypto markets, when `.underlying()` was asked. */
  underlying: JsonObject | null;
}

/** National best bid/offer; a side is `null` on a one-sided book. */
export interface QuoteNbbo {
  bid: number | null;
  ask: number | null;
  mid: number | null;
  spread_bps: number | null;
}

/** One venue's best bid/offer. */
export interface QuoteVenue {
  bid: number | null;
  ask: number | null;
  /** Age of the venue's quote in milliseconds. */
  age_ms: number | null;
}

/** One level of the merged book. Read from `{"price","qty"}` or `[price, qty]`. */
export interface BookLevel {
  price: number;
  qty: number;
}

export interface QuoteBook {
  bids: BookLevel[];
  asks: BookLevel[];
}

/** Answer of `GET /v1/quote/{symbol}`. */
export interface Quote {
  symbol: string;
  nbbo: QuoteNbbo;
  venues: Record<string, QuoteVenue>;
  book: QuoteBook | null;
  /** `"edge_nbbo"` | `"edge_rpc_snapshot"` | `"venue_public_api"` | `"unavailable"`. */
  source: string;
}

/** Fees on one venue. `null` means "do not route here", not "free". */
export interface FeeRow {
  venue: string;
  taker_bps: number | null;
  maker_bps: number | null;
}

/** Answer of `GET /v1/fees`. */
export interface Fees {
  fees: FeeRow[];
}

/** An algo keyed by symbol (`/v1/algos`); the wire leaves its fields free-form. */
export type Algo = JsonObject;

/** A hosted strategy (`/v1/strategies`); the wire leaves its fields free-form. */
export type Strategy = JsonObject;

// ---------------------------------------------------------------- decoders

export const deploymentEdge: Decoder<DeploymentEdge> = struct({
  edge_id: string,
  venue: string,
  status: string,
  position_1e8: bigint,
  realized_pnl_1e9: bigint,
  unrealized_pnl_1e9: bigint,
  fill_count: count,
  callback_latency_ns: bigint,
});

export const deployment: Decoder<Deployment> = struct({
  deployment_id: string,
  name: nullable(string),
  symbols: array(string),
  size_bytes: count,
  status: string,
  pushed_to: count,
  capable_edges: count,
  edges: array(deploymentEdge),
}, { params: record(string) });

export const deploymentList: Decoder<Deployment[]> = (v, at) =>
  struct({ deployments: array(deployment) })(v, at).deployments;

export const undeployResult: Decoder<UndeployResult> = struct({ deployment_id: string, status: string });

export const logLine: Decoder<LogLine> = struct({ ts_ns: bigint, edge_id: string, level: string, message: string });

export const algoLogs: Decoder<AlgoLogs> = struct({ deployment_id: string, logs: array(logLine) });

export const pricePoint: Decoder<PricePoint> = struct(
  { ts_ns: bigint, price_1e9: bigint },
  { qty_1e8: bigint, side: string, venue_id: count },
);

export const priceHistory: Decoder<PriceHistory> = struct({
  symbol: string,
  source: string,
  window: nullable(object),
  points: array(pricePoint),
  underlying: nullable(object),
});

const optNumber = nullable(number);

const bookLevel: Decoder<BookLevel> = (v, at) => {
  if (Array.isArray(v)) {
    if (v.length < 2) throw new DecodeError(at, "[price, qty]", `an array of ${v.length}`);
    return { price: number(v[0], `${at}[0]`), qty: number(v[1], `${at}[1]`) };
  }
  return struct({ price: number, qty: number })(v, at);
};

export const quote: Decoder<Quote> = struct({
  symbol: string,
  nbbo: struct({ bid: optNumber, ask: optNumber, mid: optNumber, spread_bps: optNumber }),
  venues: record(struct({ bid: optNumber, ask: optNumber, age_ms: optNumber })),
  book: nullable(struct({ bids: array(bookLevel), asks: array(bookLevel) })),
  source: string,
});

export const fees: Decoder<Fees> = struct({
  fees: array(struct({ venue: string, taker_bps: optNumber, maker_bps: optNumber })),
});

/** `{"<key>": [object, …]}` → the array. */
export function listOf(key: string): Decoder<JsonObject[]> {
  return (v, at) => struct({ [key]: array(object) })(v, at)[key] as JsonObject[];
}

export const anyObject: Decoder<JsonObject> = object;
export const anyJson: Decoder<JsonValue> = json;
