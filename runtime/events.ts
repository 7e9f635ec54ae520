// What the algo is told. One instance of each event class lives for the whole
// run and is refilled in place for every event, so the per-tick path
// allocates nothing: read the fields inside the callback, do not keep the object.
import { Px, Qty, Usd } from "./fixed";

export enum Side {
  None = 0,
  Buy = 1,
  Sell = 2,
}

/**
 * A price that means "at market": pass it to place(), buy() or sell() (their
 * default). Any other value, 0 and negative prices included, is a limit.
 */
export const MARKET: Px = i64.MIN_VALUE;

/**
 * Time in force, optionally or-ed with a flag: `Tif.IOC | Tif.ReduceOnly`.
 */
export enum Tif {
  /** Rests until filled or cancelled. */
  GTC = 0,
  /** Fills what it can on arrival; the rest is cancelled. */
  IOC = 1,
  /** Fills completely on arrival or not at all. */
  FOK = 2,
  /** Rests only: rejected if it would take liquidity on arrival. */
  PostOnly = 3,
  /** Flag: only reduces the position; refused (ReduceOnly) if it would increase it, trimmed to the position if larger. */
  ReduceOnly = 0x100,
  /** Flag: a market order (MARKET as the price sets it for you). */
  Market = 0x200,
}

export enum Liquidity {
  Maker = 0,
  Taker = 1,
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
  /** A cancel reached the venue after its order had filled or ended. */
  TooLate = 9,
  /** A reduce-only order would have increased the position. */
  ReduceOnly = 10,
  /** The price is not a multiple of the instrument's tick size. */
  TickSize = 11,
  /** The quantity is not a multiple of the instrument's lot size. */
  LotSize = 12,
  /** |price| × quantity is below the instrument's minimum notional. */
  MinNotional = 13,
  /** The book the order would take from is older than the venue's stale threshold. */
  StaleBook = 14,
  /** The account cannot pay for the order (docs/backtesting.md, "Account"). */
  InsufficientFunds = 15,
}

/** Top of book. */
export class Quote {
  ts: i64 = 0;
  bidPx: Px = 0;
  bidQty: Qty = 0;
  askPx: Px = 0;
  askQty: Qty = 0;
}

/** A print on the tape; `side` is the aggressor (Side.None when unknown). */
export class Trade {
  ts: i64 = 0;
  px: Px = 0;
  qty: Qty = 0;
  side: Side = Side.None;
  /** One of the prints a bar is replayed as (its open, high, low or close), not a real trade: bar data only. */
  ofBar: bool = false;
}

/** One execution of one of this algo's orders. */
export class Fill {
  ts: i64 = 0;
  orderId: i64 = 0;
  side: Side = Side.None;
  px: Px = 0;
  qty: Qty = 0;
  /** Fee charged, USD 1e9 (negative for a rebate). */
  fee: Usd = 0;
  liquidity: Liquidity = Liquidity.Maker;
}

/** The venue's answer to an order: accepted, rejected (with reason) or cancelled. */
export class OrderUpdate {
  ts: i64 = 0;
  orderId: i64 = 0;
  status: OrderStatus = OrderStatus.Accepted;
  reason: RejectReason = RejectReason.None;
  side: Side = Side.None;
  px: Px = 0;
  /** For a cancel: the quantity that was still open. */
  qty: Qty = 0;
}

/**
 * One OHLCV bar, delivered whole to `onBar` at the bar's close (after its
 * open, high/low and close have been replayed as trades, docs/backtesting.md).
 */
export class Bar {
  /** Time of the bar's open print, ns since the epoch. */
  startTs: i64 = 0;
  /** Time of the bar's close print (= now in onBar), ns since the epoch. */
  endTs: i64 = 0;
  open: Px = 0;
  high: Px = 0;
  low: Px = 0;
  close: Px = 0;
  /** Traded volume over the bar, qty 1e8 (0 when the data has none). */
  volume: Qty = 0;
}
