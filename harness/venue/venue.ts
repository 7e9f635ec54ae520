/**
 * The simulated exchange: the touch, the algo's resting orders, and matching.
 *
 * Model (first version; docs/backtesting.md states it for users):
 * - Orders reach the venue after the latency model's delay, in the order sent.
 *   An order arriving at time T meets the book as it stands after every
 *   market event with ts <= T.
 * - A market order (price 0) fills completely at the touch: the best ask for
 *   a buy, the best bid for a sell, or the last trade price when the data has
 *   no quotes. A marketable limit order fills the same way, at the touch.
 * - A resting limit order fills, as maker at its own price, when a trade
 *   prints through it (strictly better than its price) or the opposite side
 *   of the quote moves onto or through it; at most the printed or quoted size
 *   is shared among the algo's orders (all of it when the size is unknown).
 * - Fees come from the fee model; fills go to the ledger and back to the algo.
 */
import { Kind, RECORD_WORDS, SideCode } from "../data/record.ts";
import type { FeeModel } from "./fees.ts";
import type { LatencyModel } from "./latency.ts";
import { ThroughOnly, type QueueModel } from "./queue.ts";
import { MAX_OPEN_ORDERS, OrderStatus, RejectReason, Tif } from "../abi.ts";

export type Liquidity = "maker" | "taker";

/** Where the venue sends what happens; the engine turns these into records for the algo. */
export interface VenueListener {
  onFill(ts: bigint, orderId: bigint, side: number, px: bigint, qty: bigint, fee: bigint, liquidity: Liquidity): void;
  onOrder(ts: bigint, orderId: bigint, side: number, status: OrderStatus, reason: RejectReason, px: bigint, qty: bigint): void;
  /** The account's funds check at arrival (harness/account.ts); absent: every order can be paid for. */
  canPay?(side: number, px: bigint, qty: bigint): boolean;
}

interface Order {
  id: bigint;
  side: number;
  px: bigint;
  qty: bigint;
  tif: number;
  /** Quantity ahead at its price (queue model), null: fills only through its price. */
  ahead: bigint | null;
}

type Request =
  | { at: bigint; kind: "place"; order: Order }
  | { at: bigint; kind: "cancel"; id: bigint }
  | { at: bigint; kind: "cancel_all" };

const NONE = -1n;
const NO_SELL = 1n << 62n;

export class SimulatedVenue {
  bidPx = 0n;
  bidQty = 0n;
  askPx = 0n;
  askQty = 0n;
  lastPx = 0n;
  /** Price of the newest market record: trade price, or quote mid (rounded down). */
  mark = 0n;

  /** Highest resting buy and lowest resting sell price: the engine's cheap "could tick j fill anything?" test. */
  maxBuy = NONE;
  minSell = NO_SELL;
  private maxBuyHi = -1;
  private maxBuyLo = 0xffffffff;
  private minSellHi = 2 ** 30;
  private minSellLo = 0;

  /** Changes whenever resting orders or requests in flight change: lets the engine reuse a scan. */
  version = 0;

  private resting: Order[] = [];
  private requests: Request[] = [];
  private requestHead = 0;
  private nextId = 1n;
  /** Ids of orders sent but not yet arrived. */
  private readonly inFlight = new Set<bigint>();

  /** Whether a trade exactly at a resting price can fill it (then such trades are stops too). */
  private readonly fillsAtPrice: boolean;

  constructor(
    private readonly fees: FeeModel,
    private readonly latency: LatencyModel,
    private readonly listener: VenueListener,
    private readonly queue: QueueModel = new ThroughOnly(),
  ) {
    this.fillsAtPrice = !(queue instanceof ThroughOnly);
  }

  get hasResting(): boolean {
    return this.resting.length > 0;
  }

  get openOrderCount(): number {
    return this.resting.length;
  }

  /** Time of the next request to reach the venue, or null. */
  nextArrival(): bigint | null {
    return this.requestHead < this.requests.length ? this.requests[this.requestHead].at : null;
  }

  submit(now: bigint, side: number, px: bigint, qty: bigint, tif: number): bigint {
    const id = this.nextId++;
    this.inFlight.add(id);
    this.enqueue({ at: now + this.latency.orderEntryNs(now), kind: "place", order: { id, side, px, qty, tif, ahead: null } });
    return id;
  }

  /** Returns 1 if the order is resting or on its way, else 0. */
  cancel(now: bigint, id: bigint): number {
    const known = this.inFlight.has(id) || this.resting.some((o) => o.id === id);
    if (known) this.enqueue({ at: now + this.latency.orderEntryNs(now), kind: "cancel", id });
    return known ? 1 : 0;
  }

  cancelAll(now: bigint): number {
    const open = this.resting.length + this.inFlight.size;
    this.enqueue({ at: now + this.latency.orderEntryNs(now), kind: "cancel_all" });
    return open;
  }

  private enqueue(request: Request): void {
    this.version++;
    if (this.requestHead > 64 && this.requestHead * 2 > this.requests.length) {
      this.requests = this.requests.slice(this.requestHead);
      this.requestHead = 0;
    }
    this.requests.push(request);
  }

  /** Handles the next request if it arrives at or before `t`; returns false when none is due. */
  arriveNext(t: bigint): boolean {
    if (this.requestHead >= this.requests.length || this.requests[this.requestHead].at > t) return false;
    const request = this.requests[this.requestHead++];
    this.version++;
    if (request.kind === "place") {
      this.inFlight.delete(request.order.id);
      this.arrive(request.at, request.order);
    } else if (request.kind === "cancel") {
      const order = this.resting.find((o) => o.id === request.id);
      if (order) this.cancelResting(request.at, order);
    } else {
      for (const order of [...this.resting]) this.cancelResting(request.at, order);
    }
    return true;
  }

  private arrive(at: bigint, order: Order): void {
    const reason = this.validate(order);
    if (reason !== RejectReason.None) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Rejected, reason, order.px, order.qty);
      return;
    }
    const take = order.side === SideCode.Buy ? (this.askPx > 0n ? this.askPx : this.lastPx) : this.bidPx > 0n ? this.bidPx : this.lastPx;
    const isMarket = order.px === 0n;
    if (isMarket && take === 0n) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Rejected, RejectReason.NoMarket, order.px, order.qty);
      return;
    }
    const marketable = take > 0n && (isMarket || (order.side === SideCode.Buy ? order.px >= take : order.px <= take));
    if (marketable && order.tif === Tif.PostOnly) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Rejected, RejectReason.WouldTake, order.px, order.qty);
      return;
    }
    if (this.listener.canPay?.(order.side, isMarket ? take : order.px, order.qty) === false) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Rejected, RejectReason.InsufficientFunds, order.px, order.qty);
      return;
    }
    this.listener.onOrder(at, order.id, order.side, OrderStatus.Accepted, RejectReason.None, order.px, order.qty);
    if (marketable) {
      this.execute(at, order, take, order.qty, "taker");
    } else if (order.tif === Tif.IOC || order.tif === Tif.FOK) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Cancelled, RejectReason.Unfillable, order.px, order.qty);
    } else {
      order.ahead =
        order.side === SideCode.Buy
          ? this.queue.queueAhead("buy", order.px, this.bidPx, this.bidQty)
          : this.queue.queueAhead("sell", order.px, this.askPx, this.askQty);
      this.resting.push(order);
      this.updateBestPrices();
    }
  }

  private validate(order: Order): RejectReason {
    if (order.side !== SideCode.Buy && order.side !== SideCode.Sell) return RejectReason.InvalidSide;
    if (order.qty <= 0n) return RejectReason.InvalidQty;
    if (order.px < 0n) return RejectReason.InvalidPrice;
    if (order.px === 0n && order.tif === Tif.PostOnly) return RejectReason.InvalidPrice;
    if (this.resting.length >= MAX_OPEN_ORDERS) return RejectReason.TooManyOrders;
    return RejectReason.None;
  }

  private cancelResting(at: bigint, order: Order): void {
    this.resting.splice(this.resting.indexOf(order), 1);
    this.updateBestPrices();
    this.listener.onOrder(at, order.id, order.side, OrderStatus.Cancelled, RejectReason.None, order.px, order.qty);
  }

  private execute(ts: bigint, order: Order, px: bigint, qty: bigint, liquidity: Liquidity): void {
    order.qty -= qty;
    this.listener.onFill(ts, order.id, order.side, px, qty, this.fees.fee(qty, px, liquidity), liquidity);
  }

  /**
   * True when record j would fill a resting order. Runs on every tick while
   * orders rest, so it compares prices as 32-bit halves read from an
   * Int32Array view: reading a BigInt64Array would allocate a BigInt per field.
   */
  crosses(heads: Int32Array, kind: number, j: number): boolean {
    const b = j * RECORD_WORDS * 2;
    if (kind === Kind.Trade) {
      const hi = heads[b + 5];
      const lo = heads[b + 4] >>> 0;
      if (this.fillsAtPrice) // at or through
        return !lessThan(this.maxBuyHi, this.maxBuyLo, hi, lo) || !lessThan(hi, lo, this.minSellHi, this.minSellLo);
      return lessThan(hi, lo, this.maxBuyHi, this.maxBuyLo) || lessThan(this.minSellHi, this.minSellLo, hi, lo);
    }
    if (kind === Kind.Quote) {
      const bidHi = heads[b + 5];
      const bidLo = heads[b + 4] >>> 0;
      const askHi = heads[b + 9];
      const askLo = heads[b + 8] >>> 0;
      const askCrosses = (askHi !== 0 || askLo !== 0) && !lessThan(this.maxBuyHi, this.maxBuyLo, askHi, askLo);
      const bidCrosses = (bidHi !== 0 || bidLo !== 0) && !lessThan(bidHi, bidLo, this.minSellHi, this.minSellLo);
      return askCrosses || bidCrosses;
    }
    return false;
  }

  /** Fills resting orders against record j (which `crosses` said it would). */
  match(words: BigInt64Array, kind: number, j: number): void {
    const o = j * RECORD_WORDS;
    const ts = words[o];
    if (kind === Kind.Trade) {
      const px = words[o + 2];
      const available = words[o + 3];
      this.fillAgainst(ts, SideCode.Buy, (p) => p > px, available);
      this.fillAgainst(ts, SideCode.Sell, (p) => p < px, available);
      if (this.fillsAtPrice && available > 0n) this.fillAtPrice(ts, px, available);
    } else {
      const bid = words[o + 2];
      const ask = words[o + 4];
      if (ask !== 0n) this.fillAgainst(ts, SideCode.Buy, (p) => p >= ask, words[o + 5]);
      if (bid !== 0n) this.fillAgainst(ts, SideCode.Sell, (p) => p <= bid, words[o + 3]);
    }
    this.resting = this.resting.filter((order) => order.qty > 0n);
    this.updateBestPrices();
  }

  /**
   * A trade of `printed` exactly at `px`: it advances every order there by the
   * printed quantity (the real queue moves), and fills what reaches the front,
   * oldest order first, never more than was printed in all.
   */
  private fillAtPrice(ts: bigint, px: bigint, printed: bigint): void {
    let left = printed;
    for (const order of this.resting) {
      if (order.px !== px || order.qty <= 0n || order.ahead === null) continue;
      if (order.ahead >= printed) {
        order.ahead -= printed;
        continue;
      }
      const reach = printed - order.ahead;
      order.ahead = 0n;
      let qty = reach < order.qty ? reach : order.qty;
      if (qty > left) qty = left;
      if (qty <= 0n) continue;
      this.execute(ts, order, px, qty, "maker");
      left -= qty;
    }
  }

  /** Price priority, then time (ids increase with time); `available` 0 means unknown size: fill all. */
  private fillAgainst(ts: bigint, side: number, through: (px: bigint) => boolean, available: bigint): void {
    const eligible = this.resting
      .filter((o) => o.side === side && o.qty > 0n && through(o.px))
      .sort((a, b) => (a.px === b.px ? Number(a.id - b.id) : side === SideCode.Buy ? (b.px > a.px ? 1 : -1) : a.px > b.px ? 1 : -1));
    let left = available;
    for (const order of eligible) {
      const qty = available === 0n ? order.qty : order.qty < left ? order.qty : left;
      if (qty <= 0n) break;
      this.execute(ts, order, order.px, qty, "maker");
      left -= qty;
    }
  }

  /** Brings the touch and last price up to date with records [from, to] (the newest wins). */
  syncBook(words: BigInt64Array, heads: Int32Array, from: number, to: number): void {
    let needQuote = true;
    let needTrade = true;
    for (let j = to; j >= from && (needQuote || needTrade); j--) {
      const kind = heads[j * RECORD_WORDS * 2 + 2] & 0xff;
      const o = j * RECORD_WORDS;
      if (needQuote && kind === Kind.Quote) {
        this.bidPx = words[o + 2];
        this.bidQty = words[o + 3];
        this.askPx = words[o + 4];
        this.askQty = words[o + 5];
        if (needTrade) this.mark = quoteMark(this.bidPx, this.askPx);
        needQuote = false;
      } else if (needTrade && kind === Kind.Trade) {
        this.lastPx = words[o + 2];
        if (needQuote) this.mark = this.lastPx;
        needTrade = false;
      }
    }
  }

  private updateBestPrices(): void {
    this.version++;
    let maxBuy = NONE;
    let minSell = NO_SELL;
    for (const o of this.resting) {
      if (o.side === SideCode.Buy) {
        if (o.px > maxBuy) maxBuy = o.px;
      } else if (o.px < minSell) minSell = o.px;
    }
    if (maxBuy !== this.maxBuy) {
      this.maxBuy = maxBuy;
      this.maxBuyHi = Number(maxBuy >> 32n);
      this.maxBuyLo = Number(maxBuy & 0xffffffffn);
    }
    if (minSell !== this.minSell) {
      this.minSell = minSell;
      this.minSellHi = Number(minSell >> 32n);
      this.minSellLo = Number(minSell & 0xffffffffn);
    }
  }

  /** The models in use, for the report. */
  describe(): Record<string, string> {
    return { ...this.fees.describe(), ...this.latency.describe(), queue: this.queue.name };
  }

  /** Open orders at the end, for the report. */
  openOrders(): Array<{ order_id: bigint; side: "buy" | "sell"; price_1e9: bigint; qty_1e8: bigint }> {
    return this.resting.map((o) => ({
      order_id: o.id,
      side: o.side === SideCode.Buy ? "buy" : "sell",
      price_1e9: o.px,
      qty_1e8: o.qty,
    }));
  }
}

/** a < b for signed 64-bit values given as (signed high half, unsigned low half). */
function lessThan(aHi: number, aLo: number, bHi: number, bLo: number): boolean {
  return aHi < bHi || (aHi === bHi && aLo < bLo);
}

/** A quote's mark: the mid rounded down to 1e-9, or the one side present. */
export function quoteMark(bid: bigint, ask: bigint): bigint {
  return bid > 0n && ask > 0n ? (bid + ask) / 2n : bid > 0n ? bid : ask;
}
