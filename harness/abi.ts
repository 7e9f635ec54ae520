/**
 * The host's side of ABI v1, as constants: the names and codes docs/abi.md
 * specifies, in this one file. runtime/host.ts, runtime/exports.ts and
 * runtime/events.ts are the module's side (test/harness/abi-enums.test.ts
 * checks that both agree). How one event record is read and written in
 * place is record-view.ts.
 *
 * The enums are plain `enum`s, not `const enum`s, so a test can list their
 * members; the bundler inlines their values all the same.
 */
export const ABI_MAJOR = 1;
export const ABI_MINOR = 3;

/** Every host import lives in this one namespace. */
export const HOST_NAMESPACE = "sequence";

export const HOST_IMPORTS = ["place", "cancel", "cancel_all", "set_timer", "log", "param", "panic", "account"] as const;
export type HostImportName = (typeof HOST_IMPORTS)[number];

export const REQUIRED_EXPORTS = {
  memory: "memory",
  sequence_abi_version: "function",
  sequence_init: "function",
  sequence_events: "function",
  sequence_events_capacity: "function",
  sequence_on_start: "function",
  sequence_on_stop: "function",
  sequence_run: "function",
  sequence_now: "function",
} as const;

/** The custom section where `algo build` records metadata (JSON). */
export const META_SECTION = "sequence.meta";

/** The custom section where `algo deploy --param` / `strategy push --param` record params (JSON, name → decimal string). */
export const PARAMS_SECTION = "sequence.params";

export function packVersion(major: number, minor: number): number {
  return (major << 16) | minor;
}

export function unpackVersion(packed: number): { major: number; minor: number } {
  return { major: packed >>> 16, minor: packed & 0xffff };
}

/** Largest module accepted by hosts (the platform's upload limit). */
export const MAX_MODULE_BYTES = 4 * 1024 * 1024;

/** Largest linear memory a module may declare, in 64 KiB pages (16 MiB). `algo build` declares exactly this. */
export const MAX_MEMORY_PAGES = 256;

// ---- The event record (docs/abi.md, "Event records") ----

/**
 * One record = 6 little-endian i64 words (48 bytes):
 *   w0  ts_ns
 *   w1  header: bits 0-7 kind, bits 8-15 side (SideCode), bits 16-23 sub
 *       (order status, liquidity, DepthFlag bits, bar part), bits 32-63 aux (u32)
 *   w2..w5 payload, by kind:
 *     QUOTE  bid_px_1e9, bid_qty_1e8, ask_px_1e9, ask_qty_1e8
 *     TRADE  px_1e9, qty_1e8 (side = aggressor)
 *     FILL   order_id, px_1e9, qty_1e8, fee_1e9 (side = order side, sub = Liquidity)
 *     ORDER  order_id, px_1e9, qty_1e8 (sub = OrderStatus, aux = RejectReason)
 *     TIMER  timer_id
 *     DEPTH  price_1e9, qty_1e8 (side = book side: 1 bid, 2 ask; sub = DepthFlag bits)
 *     BAR    two records per bar (ABI 1.2): sub 0 open, high, low, close (px 1e9);
 *            sub 1 volume_1e8, start_ns. Both at the bar's close, after its close print.
 * A TRADE with sub = BAR_CLOSE_PRINT is a bar's last print: the market is shut
 * until the next print (docs/backtesting.md, "Bars").
 * The module reads records in place in runtime/exports.ts (`sequence_run`).
 */
export const RECORD_WORDS = 6;
export const RECORD_BYTES = RECORD_WORDS * 8;

export enum Kind {
  Quote = 1,
  Trade = 2,
  Fill = 3,
  Order = 4,
  Timer = 5,
  /** A bar's prices, then its volume and start (ABI 1.2): two records per bar. */
  Bar = 6,
  /** One L2 book level (ABI 1.2); an update is a run of them ending with DepthFlag.Last. */
  Depth = 7,
}

/** Kind names for messages. */
export const KIND_NAMES: Readonly<Record<number, string>> = {
  [Kind.Quote]: "QUOTE",
  [Kind.Trade]: "TRADE",
  [Kind.Fill]: "FILL",
  [Kind.Order]: "ORDER",
  [Kind.Timer]: "TIMER",
  [Kind.Bar]: "BAR",
  [Kind.Depth]: "DEPTH",
};

/**
 * The kinds a market-data source may carry. Fills, orders and timers are the
 * host's events (the venue's answers to the algo): a data file holding one
 * would make the algo believe in fills the ledger never saw.
 */
export const MARKET_KINDS: readonly number[] = [Kind.Quote, Kind.Trade, Kind.Bar, Kind.Depth];

/** The newest record kind a module of ABI minor version `minor` understands: a host never sends it a newer one. */
export function newestKind(minor: number): number {
  return minor >= 2 ? Kind.Depth : Kind.Timer;
}

/** A record's side: a trade's aggressor, an order's or fill's side, a DEPTH record's book side. */
export enum SideCode {
  None = 0,
  Buy = 1,
  Sell = 2,
}

/** A fill's liquidity, as the FILL record's sub byte carries it (docs/abi.md): venue, fees and ledger pass this code. */
export enum Liquidity {
  Maker = 0,
  Taker = 1,
}

/** The names the report and JSON write for Liquidity codes. */
export const LIQUIDITY_NAMES = ["maker", "taker"] as const;
export type LiquidityName = (typeof LIQUIDITY_NAMES)[number];

/** The `sub` bits of a DEPTH record. */
export enum DepthFlag {
  /** Empty this side of the book before applying the record: a snapshot starts. */
  Clear = 1,
  /** The last record of one update: the book is complete and uncrossed after it. */
  Last = 2,
}

/** TRADE sub-kind: the close of a bar (orders sent after it wait for the next print). */
export const BAR_CLOSE_PRINT = 1;
/** TRADE sub-kind: a bar's open or extreme, replayed as a print. */
export const BAR_PRINT = 2;
/** BAR sub-kinds: the prices record, then the volume-and-start record that completes it. */
export const BAR_PRICES = 0;
export const BAR_VOLUME = 1;

// ---- Orders: the codes of runtime/events.ts, as the host sees them in place/ORDER/FILL ----

export enum Tif {
  GTC = 0,
  IOC = 1,
  FOK = 2,
  PostOnly = 3,
}

/** Flags or-ed into place()'s tif argument above its low 8 bits (ABI 1.2). */
export enum OrderFlag {
  /** Only reduces the position: refused when it would increase it, trimmed to the position. */
  ReduceOnly = 0x100,
  /** A market order (its price is ignored). Price 0 without it is a limit at 0, except for modules built for ABI < 1.2. */
  Market = 0x200,
}

export enum OrderStatus {
  Accepted = 1,
  Rejected = 2,
  Cancelled = 3,
}

export enum RejectReason {
  None = 0,
  InvalidQty = 1,
  InvalidPrice = 2,
  NoMarket = 3,
  WouldTake = 4,
  TooManyOrders = 5,
  InvalidSide = 6,
  NotRunning = 7,
  Unfillable = 8,
  TooLate = 9,
  ReduceOnly = 10,
  TickSize = 11,
  LotSize = 12,
  MinNotional = 13,
  StaleBook = 14,
  InsufficientFunds = 15,
}

/** RejectReason's names as they appear in reports and messages, by code. */
export const REJECT_REASONS = [
  "none", "invalid_qty", "invalid_price", "no_market", "would_take",
  "too_many_orders", "invalid_side", "not_running", "unfillable",
  "too_late", "reduce_only", "tick_size", "lot_size", "min_notional", "stale_book", "insufficient_funds",
] as const;

/** The `account` import's fields (docs/abi.md); runtime/host.ts has the same codes. */
export enum AccountField {
  Capital = 0,
  Cash = 1,
  Equity = 2,
  RealizedPnl = 3,
  UnrealizedPnl = 4,
  Fees = 5,
  /** ABI 1.3: the fee model's maker and taker rates, in 1e-4 bps (10 000 = 1 bp; negative: a rebate). */
  MakerFeeRate = 6,
  TakerFeeRate = 7,
}

/** Open orders per module; runtime/orders.ts keeps a table of the same size. */
export const MAX_OPEN_ORDERS = 256;
