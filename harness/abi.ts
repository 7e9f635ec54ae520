/**
 * The host's side of ABI v1, as constants: the names docs/abi.md specifies.
 * runtime/host.ts and runtime/exports.ts are the module's side.
 */
export const ABI_MAJOR = 1;
export const ABI_MINOR = 2;

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

// The codes of runtime/events.ts, as the host sees them in place/ORDER/FILL (docs/abi.md).

export const enum Tif {
  GTC = 0,
  IOC = 1,
  FOK = 2,
  PostOnly = 3,
}

/** Flags or-ed into place()'s tif argument above its low 8 bits (ABI 1.2). */
export const enum OrderFlag {
  /** Only reduces the position: refused when it would increase it, trimmed to the position. */
  ReduceOnly = 0x100,
  /** A market order (its price is ignored). Price 0 without it is a limit at 0, except for modules built for ABI < 1.2. */
  Market = 0x200,
}

export const enum OrderStatus {
  Accepted = 1,
  Rejected = 2,
  Cancelled = 3,
}

export const enum RejectReason {
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

export const REJECT_REASONS = [
  "none", "invalid_qty", "invalid_price", "no_market", "would_take",
  "too_many_orders", "invalid_side", "not_running", "unfillable",
  "too_late", "reduce_only", "tick_size", "lot_size", "min_notional", "stale_book", "insufficient_funds",
] as const;

/** The `account` import's fields (docs/abi.md); runtime/host.ts has the same codes. */
export const enum AccountField {
  Capital = 0,
  Cash = 1,
  Equity = 2,
  RealizedPnl = 3,
  UnrealizedPnl = 4,
  Fees = 5,
}

/** The newest record kind a module of ABI minor version `minor` understands: a host never sends it a newer one. */
export function newestKind(minor: number): number {
  return minor >= 2 ? 7 : 5;
}

/** Open orders per module; runtime/orders.ts keeps a table of the same size. */
export const MAX_OPEN_ORDERS = 256;

/** A fill's liquidity, as the FILL record's sub byte carries it (docs/abi.md): venue, fees and ledger pass this code. */
export const enum Liquidity {
  Maker = 0,
  Taker = 1,
}

/** The names the report and JSON write for Liquidity codes. */
export const LIQUIDITY_NAMES = ["maker", "taker"] as const;
export type LiquidityName = (typeof LIQUIDITY_NAMES)[number];
