/**
 * The simulated exchange: the book the data shows, the algo's resting
 * orders, and matching. docs/backtesting.md states the model for users:
 * - Orders reach the venue after the latency model's delay, in the order sent.
 *   An order arriving at time T meets the book as it stands after every
 *   market event with ts <= T.
 * - A taker never fills more than the book shows (Book: the L1 touch here),
 *   less what the algo already took there. IOC cancels the rest, FOK fills
 *   completely or not at all, a market order's rest follows MarketRemainder.
 *   On data without quotes a taker fills in full at the last trade price.
 * - A resting limit order fills, as maker at its own price, when a trade
 *   prints through it or the opposite side of the quote moves onto or
 *   through it, sharing the printed or quoted size (all of a trade's when its
 *   size is unknown); a trade exactly at its price: the queue model decides.
 * - Fees come from the fee model; fills go to the ledger and back to the algo.
 */
import { Kind, RECORD_WORDS, SideCode } from "../data/record.ts";
import type { FeeModel } from "./fees.ts";
import type { LatencyModel } from "./latency.ts";
import { ThroughOnly, type QueueModel } from "./queue.ts";
import { L1Book, levelQty, type Book } from "./book.ts";
import { L2Book } from "./l2-book.ts";
import { ANY_INSTRUMENT, checkInstrument, describeInstrument, type InstrumentSpec } from "./instrument.ts";
import { DEFAULT_MARKET_REMAINDER, describeMarketRemainder, impactPrice, type MarketRemainder } from "./market-remainder.ts";
import { MAX_OPEN_ORDERS, OrderFlag, OrderStatus, RejectReason, Tif } from "../abi.ts";

export type Liquidity = "maker" | "taker";

/** Where the venue sends what happens; the engine turns these into records for the algo. */
export interface VenueListener {
  onFill(ts: bigint, orderId: bigint, side: number, px: bigint, qty: bigint, fee: bigint, liquidity: Liquidity): void;
  onOrder(ts: bigint, orderId: bigint, side: number, status: OrderStatus, reason: RejectReason, px: bigint, qty: bigint): void;
  /** The account's funds check at arrival (harness/account.ts); absent: every order can be paid for. */
  canPay?(side: number, px: bigint, qty: bigint): boolean;
  /** The algo's net position now (qty 1e8), for reduce-only orders. */
  position(): bigint;
}

/** The exchange's rules beyond fees, latency and queue position. */
export interface VenueRules {
  /** Tick, lot and minimum-notional checks (default: none). */
  instrument?: InstrumentSpec;
  /** Where `instrument` came from, for the report (e.g. "--instrument", "data file header"). */
  instrumentFrom?: string;
  /** What a market order's unfilled part does (default: cancel). */
  marketRemainder?: MarketRemainder;
  /** A taker fill against a quote side older than this many ns is stale: counted (0 or absent: never stale). */
  staleNs?: bigint;
  /** Refuse (reason stale_book) a taker order that would fill against a stale quote, instead of counting it. */
  refuseStale?: boolean;
}

interface Order {
  id: bigint;
  side: number;
  px: bigint;
  qty: bigint;
  /** Time in force: the low 8 bits of place()'s tif. */
  tif: number;
  market: boolean;
  reduceOnly: boolean;
}

type Request =
  | { at: bigint; kind: "place"; order: Order }
  | { at: bigint; kind: "cancel"; id: bigint }
  | { at: bigint; kind: "cancel_all" };

const NONE = -(1n << 62n);
const NO_SELL = 1n << 62n;

export class SimulatedVenue {
  /** The touch from the newest quote (L1 data). */
  private readonly l1 = new L1Book();
  /** Every level, from DEPTH records (L2 data; l2-book.ts): set at the first one. */
  private l2: L2Book | null = null;
  /** The market's side, as takers and resting orders meet it. */
  get book(): Book {
    return this.l2 ?? this.l1;
  }
  lastPx = 0n;
  /** Whether any trade was seen (a last price of 0 is a price). */
  hasLast = false;
  /** Price of the newest market record: trade price, or quote mid (rounded down). */
  mark = 0n;
  /** Taker fills against a quote older than the stale threshold. */
  staleFills = 0;

  /** Highest resting buy and lowest resting sell price: the engine's cheap "could tick j fill anything?" test. */
  maxBuy = NONE;
  minSell = NO_SELL;
  private maxBuyHi = Number(NONE >> 32n);
  private maxBuyLo = 0;
  private minSellHi = Number(NO_SELL >> 32n);
  private minSellLo = 0;

  /** Changes whenever resting orders or requests in flight change: lets the engine reuse a scan. */
  version = 0;

  private resting: Order[] = [];
  private requests: Request[] = [];
  private requestHead = 0;
  private nextId = 1n;
  /** Set when the algo hears of the venue's events late (feed or response latency; engine.ts). */
  algoHearsLate = false;
  /** Ids of orders sent but not yet arrived. */
  private readonly inFlight = new Set<bigint>();

  private readonly instrument: InstrumentSpec;
  private readonly instrumentFrom: string | undefined;
  private readonly remainder: MarketRemainder;
  private readonly staleNs: bigint;
  private readonly refuseStale: boolean;

  constructor(
    private readonly fees: FeeModel,
    private readonly latency: LatencyModel,
    private readonly listener: VenueListener,
    private readonly queue: QueueModel = new ThroughOnly(),
    rules: VenueRules = {},
  ) {
    this.instrument = rules.instrument ?? ANY_INSTRUMENT;
    this.instrumentFrom = rules.instrument ? rules.instrumentFrom : undefined;
    this.remainder = rules.marketRemainder ?? DEFAULT_MARKET_REMAINDER;
    this.staleNs = rules.staleNs ?? 0n;
    this.refuseStale = rules.refuseStale ?? false;
  }

  /** Whether a stale threshold is set (the report then shows staleFills). */
  get tracksStale(): boolean {
    return this.staleNs > 0n;
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

  /** `tif`: the time in force in bits 0-7, OrderFlag bits above. */
  submit(now: bigint, side: number, px: bigint, qty: bigint, tif: number): bigint {
    const id = this.nextId++;
    this.inFlight.add(id);
    const market = (tif & OrderFlag.Market) !== 0;
    const order: Order = { id, side, px: market ? 0n : px, qty, tif: tif & 0xff, market, reduceOnly: (tif & OrderFlag.ReduceOnly) !== 0 };
    this.enqueue({ at: now + this.latency.orderEntryNs(now), kind: "place", order });
    return id;
  }

  /**
   * Returns 1 if the order is resting or on its way, else 0. When the algo
   * hears late, an order that ended here may still be open as far as the algo
   * knows: its cancel is sent, and answered too_late when it arrives.
   */
  cancel(now: bigint, id: bigint): number {
    const issued = id > 0n && id < this.nextId;
    const known = this.inFlight.has(id) || this.resting.some((o) => o.id === id) || (this.algoHearsLate && issued);
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
      if (order) this.cancelResting(request.at, order, RejectReason.None);
      // The order filled (or was refused or cancelled) while the cancel was on its way.
      else this.listener.onOrder(request.at, request.id, SideCode.None, OrderStatus.Rejected, RejectReason.TooLate, 0n, 0n);
    } else {
      for (const order of [...this.resting]) this.cancelResting(request.at, order, RejectReason.None);
    }
    return true;
  }

  private arrive(at: bigint, order: Order): void {
    let reason = this.validate(order);
    if (reason !== RejectReason.None) return this.refuse(at, order, reason);
    const buy = order.side === SideCode.Buy;
    const opposite = buy ? SideCode.Sell : SideCode.Buy;
    const quoted = this.book.present(opposite);
    const hasTouch = quoted || this.hasLast;
    const touch = quoted ? this.book.bestPx(opposite) : this.lastPx;
    if (order.market && !hasTouch) return this.refuse(at, order, RejectReason.NoMarket);
    reason = checkInstrument(this.instrument, order.market ? null : order.px, order.qty, touch);
    if (reason !== RejectReason.None) return this.refuse(at, order, reason);
    const marketable = hasTouch && (order.market || (buy ? order.px >= touch : order.px <= touch));
    if (marketable && order.tif === Tif.PostOnly) return this.refuse(at, order, RejectReason.WouldTake);
    if (order.reduceOnly) {
      const reducible = this.reducible(order.side);
      if (reducible === 0n) return this.refuse(at, order, RejectReason.ReduceOnly);
      if (order.qty > reducible) order.qty = reducible; // trimmed: the accepted update carries the new size
    }
    const stale = marketable && quoted && this.staleNs > 0n && at - this.book.updatedAt(opposite) > this.staleNs;
    if (stale && this.refuseStale) return this.refuse(at, order, RejectReason.StaleBook);

    // A market order costs what it would take at the touch (the account's rule: docs/backtesting.md, "Account").
    if (this.listener.canPay?.(order.side, order.market ? touch : order.px, order.qty) === false)
      return this.refuse(at, order, RejectReason.InsufficientFunds);
    if (marketable && order.tif === Tif.FOK && quoted && this.fillableNow(order) < order.qty) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Accepted, RejectReason.None, order.px, order.qty);
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Cancelled, RejectReason.Unfillable, order.px, order.qty);
      return;
    }
    this.listener.onOrder(at, order.id, order.side, OrderStatus.Accepted, RejectReason.None, order.px, order.qty);
    if (marketable) this.take(at, order, quoted, touch, stale);
    if (order.qty === 0n) return;
    if (order.tif === Tif.IOC || order.tif === Tif.FOK) {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Cancelled, RejectReason.Unfillable, order.px, order.qty);
    } else if (!order.market) {
      this.rest(order);
    } else if (this.remainder.rule === "rest") {
      order.px = touch;
      order.market = false;
      this.rest(order);
    } else if (this.remainder.rule === "impact") {
      this.execute(at, order, impactPrice(touch, this.remainder.bps, buy), order.qty, "taker");
      if (stale) this.staleFills++;
    } else {
      this.listener.onOrder(at, order.id, order.side, OrderStatus.Cancelled, RejectReason.Unfillable, order.px, order.qty);
    }
  }

  private refuse(at: bigint, order: Order, reason: RejectReason): void {
    this.listener.onOrder(at, order.id, order.side, OrderStatus.Rejected, reason, order.px, order.qty);
  }

  /** What a taker order could fill on arrival, from the book's levels within its limit. */
  private fillableNow(order: Order): bigint {
    let total = 0n;
    const buy = order.side === SideCode.Buy;
    this.book.walk(buy ? SideCode.Sell : SideCode.Buy, (px, qty) => {
      if (!order.market && (buy ? px > order.px : px < order.px)) return false;
      total += qty;
      return total < order.qty;
    });
    return total;
  }

  /** Fills a marketable order against the book (or, with no quote, in full at the last trade price). */
  private take(at: bigint, order: Order, quoted: boolean, touch: bigint, stale: boolean): void {
    if (!quoted) {
      this.execute(at, order, touch, order.qty, "taker");
      return;
    }
    const buy = order.side === SideCode.Buy;
    const side = buy ? SideCode.Sell : SideCode.Buy;
    const fills: Array<[bigint, bigint]> = [];
    let left = order.qty;
    this.book.walk(side, (px, qty) => {
      if (!order.market && (buy ? px > order.px : px < order.px)) return false;
      const q = qty < left ? qty : left;
      fills.push([px, q]);
      left -= q;
      return left > 0n;
    });
    for (const [px, qty] of fills) {
      this.book.take(side, px, qty);
      this.execute(at, order, px, qty, "taker");
      if (stale) this.staleFills++;
    }
  }

  /** How much an order on `side` may trade without increasing the position. */
  private reducible(side: number): bigint {
    const position = this.listener.position();
    if (side === SideCode.Buy) return position < 0n ? -position : 0n;
    return position > 0n ? position : 0n;
  }

  private rest(order: Order): void {
    if (this.queue.fillsAtPrice) this.queue.onNew(order.id, this.book.displayedAt(order.side, order.px));
    this.resting.push(order);
    this.updateBestPrices();
  }

  private validate(order: Order): RejectReason {
    if (order.side !== SideCode.Buy && order.side !== SideCode.Sell) return RejectReason.InvalidSide;
    if (order.qty <= 0n) return RejectReason.InvalidQty;
    if (order.market && order.tif === Tif.PostOnly) return RejectReason.InvalidPrice;
    if (this.resting.length >= MAX_OPEN_ORDERS) return RejectReason.TooManyOrders;
    return RejectReason.None;
  }

  private cancelResting(at: bigint, order: Order, reason: RejectReason): void {
    this.resting.splice(this.resting.indexOf(order), 1);
    if (this.queue.fillsAtPrice) this.queue.onDone(order.id);
    this.updateBestPrices();
    this.listener.onOrder(at, order.id, order.side, OrderStatus.Cancelled, reason, order.px, order.qty);
  }

  /** Fills `qty` of `order` at `px`; a reduce-only order is trimmed to the position, and cancelled once it cannot reduce. */
  private execute(ts: bigint, order: Order, px: bigint, qty: bigint, liquidity: Liquidity): void {
    if (order.reduceOnly) {
      const reducible = this.reducible(order.side);
      if (qty > reducible) qty = reducible;
    }
    if (qty > 0n) {
      order.qty -= qty;
      this.listener.onFill(ts, order.id, order.side, px, qty, this.fees.fee(qty, px, liquidity), liquidity);
    }
    if (order.reduceOnly && order.qty > 0n && this.reducible(order.side) === 0n) {
      const open = this.resting.indexOf(order);
      if (open >= 0) this.cancelResting(ts, order, RejectReason.ReduceOnly);
      else this.listener.onOrder(ts, order.id, order.side, OrderStatus.Cancelled, RejectReason.ReduceOnly, order.px, order.qty);
      order.qty = 0n;
    }
  }

  /**
   * True when record j would fill a resting order. Runs on every tick while orders
   * rest, so it compares prices as 32-bit halves read from an Int32Array
   * view: reading a BigInt64Array would allocate a BigInt per field.
   */
  crosses(heads: Int32Array, kind: number, j: number): boolean {
    const b = j * RECORD_WORDS * 2;
    if (kind === Kind.Trade) {
      const hi = heads[b + 5];
      const lo = heads[b + 4] >>> 0;
      if (this.queue.fillsAtPrice) // at or through
        return !lessThan(this.maxBuyHi, this.maxBuyLo, hi, lo) || !lessThan(hi, lo, this.minSellHi, this.minSellLo);
      return lessThan(hi, lo, this.maxBuyHi, this.maxBuyLo) || lessThan(this.minSellHi, this.minSellLo, hi, lo);
    }
    if (kind === Kind.Quote) {
      // A side is present when its size is > 0, whatever its price.
      const askPresent = heads[b + 11] > 0 || (heads[b + 11] === 0 && heads[b + 10] !== 0);
      const bidPresent = heads[b + 7] > 0 || (heads[b + 7] === 0 && heads[b + 6] !== 0);
      const askCrosses = askPresent && !lessThan(this.maxBuyHi, this.maxBuyLo, heads[b + 9], heads[b + 8] >>> 0);
      const bidCrosses = bidPresent && !lessThan(heads[b + 5], heads[b + 4] >>> 0, this.minSellHi, this.minSellLo);
      return askCrosses || bidCrosses;
    }
    return false;
  }

  /** Fills resting orders against record j (which `crosses` said might). */
  match(words: BigInt64Array, kind: number, j: number): void {
    const o = j * RECORD_WORDS;
    const ts = words[o];
    if (kind === Kind.Trade) {
      const px = words[o + 2];
      const available = words[o + 3];
      this.fillThrough(ts, SideCode.Buy, (p) => p > px, available);
      this.fillThrough(ts, SideCode.Sell, (p) => p < px, available);
      if (this.queue.fillsAtPrice && available > 0n) this.fillAtPrice(ts, px, available);
    } else if (kind === Kind.Quote) {
      // With an L2 book the quote is its own top, already applied from the DEPTH records before it.
      if (!this.l2) {
        if (this.queue.watchesDepth) this.reportDepth(words[o + 2], words[o + 3], words[o + 4], words[o + 5]);
        this.l1.quote(ts, words[o + 2], words[o + 3], words[o + 4], words[o + 5]);
      }
      const book = this.book;
      if (book.present(SideCode.Sell)) {
        const ask = book.bestPx(SideCode.Sell);
        this.fillFromBook(ts, SideCode.Buy, (p) => p >= ask, ask);
      }
      if (book.present(SideCode.Buy)) {
        const bid = book.bestPx(SideCode.Buy);
        this.fillFromBook(ts, SideCode.Sell, (p) => p <= bid, bid);
      }
    }
    this.removeDone();
  }

  private removeDone(): void {
    if (!this.resting.some((o) => o.qty === 0n)) return;
    if (this.queue.fillsAtPrice) for (const o of this.resting) if (o.qty === 0n) this.queue.onDone(o.id);
    this.resting = this.resting.filter((order) => order.qty > 0n);
    this.updateBestPrices();
  }

  /** Tells the queue model how the displayed size at each resting order's level changes with a quote (before the book takes it). */
  private reportDepth(bidPx: bigint, bidQty: bigint, askPx: bigint, askQty: bigint): void {
    for (const o of this.resting) {
      const prev = this.book.displayedAt(o.side, o.px);
      const now = o.side === SideCode.Buy ? levelQty(o.side, o.px, bidPx, bidQty) : levelQty(o.side, o.px, askPx, askQty);
      if (prev !== null && now !== null && prev !== now) this.queue.onDepth(o.id, prev, now);
    }
  }

  /**
   * A trade of `printed` exactly at `px`: the queue model says how much of it
   * reaches each order there; fills oldest first, never more than printed.
   */
  private fillAtPrice(ts: bigint, px: bigint, printed: bigint): void {
    let left = printed;
    for (const order of this.resting) {
      if (order.px !== px || order.qty <= 0n) continue;
      const reach = this.queue.onTrade(order.id, printed);
      let qty = reach < order.qty ? reach : order.qty;
      if (qty > left) qty = left;
      if (qty <= 0n) continue;
      this.execute(ts, order, px, qty, "maker");
      left -= qty;
    }
  }

  /** Orders on `side` that the predicate selects, in price then time priority (ids increase with time). */
  private eligible(side: number, selects: (px: bigint) => boolean): Order[] {
    return this.resting
      .filter((o) => o.side === side && o.qty > 0n && selects(o.px))
      .sort((a, b) => (a.px === b.px ? Number(a.id - b.id) : side === SideCode.Buy ? (b.px > a.px ? 1 : -1) : a.px > b.px ? 1 : -1));
  }

  /** A trade printed through resting prices: `available` shared in priority; 0 means unknown size: fill all. */
  private fillThrough(ts: bigint, side: number, through: (px: bigint) => boolean, available: bigint): void {
    let left = available;
    for (const order of this.eligible(side, through)) {
      const qty = available === 0n ? order.qty : order.qty < left ? order.qty : left;
      if (qty <= 0n) break;
      this.execute(ts, order, order.px, qty, "maker");
      left -= qty;
    }
  }

  /** The opposite touch reached resting prices: what the book still offers there is shared in priority, and taken. */
  private fillFromBook(ts: bigint, side: number, reached: (px: bigint) => boolean, touchPx: bigint): void {
    const bookSide = side === SideCode.Buy ? SideCode.Sell : SideCode.Buy;
    for (const order of this.eligible(side, reached)) {
      const left = this.book.bestQty(bookSide);
      if (left <= 0n) break;
      const before = order.qty;
      this.execute(ts, order, order.px, order.qty < left ? order.qty : left, "maker");
      this.book.take(bookSide, touchPx, before - order.qty);
    }
  }

  /** Brings the touch and last price up to date with records [from, to] (the newest wins). */
  syncBook(words: BigInt64Array, heads: Int32Array, from: number, to: number): void {
    if (this.l2) this.applyDepth(words, heads, from, to);
    // Depth changes fill nothing, so a queue model that watches them hears of every quote here, in order.
    else if (this.queue.watchesDepth && this.resting.length > 0)
      for (let j = from; j <= to; j++) {
        if ((heads[j * RECORD_WORDS * 2 + 2] & 0xff) !== Kind.Quote) continue;
        const o = j * RECORD_WORDS;
        this.reportDepth(words[o + 2], words[o + 3], words[o + 4], words[o + 5]);
        this.l1.quote(words[o], words[o + 2], words[o + 3], words[o + 4], words[o + 5]);
      }
    let needQuote = true;
    let needTrade = true;
    for (let j = to; j >= from && (needQuote || needTrade); j--) {
      const kind = heads[j * RECORD_WORDS * 2 + 2] & 0xff;
      const o = j * RECORD_WORDS;
      if (needQuote && kind === Kind.Quote) {
        const bidQty = words[o + 3];
        const askQty = words[o + 5];
        if (!this.l2) this.l1.quote(words[o], words[o + 2], bidQty, words[o + 4], askQty);
        if (needTrade) this.mark = sizedQuoteMark(words[o + 2], bidQty, words[o + 4], askQty, this.mark);
        needQuote = false;
      } else if (needTrade && kind === Kind.Trade) {
        this.lastPx = words[o + 2];
        this.hasLast = true;
        if (needQuote) this.mark = this.lastPx;
        needTrade = false;
      }
    }
  }

  /**
   * The data has depth (DEPTH records, kind 7): from now on the venue keeps
   * every level (l2-book.ts) and the QUOTE records are only its top. Called by
   * the engine before the first batch holding DEPTH records is synced.
   */
  useDepth(): void {
    this.l2 ??= new L2Book();
  }

  /** Applies the DEPTH records of [from, to] in order; a queue model that watches depth hears of each resting order's level that changed. */
  private applyDepth(words: BigInt64Array, heads: Int32Array, from: number, to: number): void {
    const l2 = this.l2!;
    const watch = this.queue.watchesDepth && this.resting.length > 0;
    for (let j = from; j <= to; j++) {
      if ((heads[j * RECORD_WORDS * 2 + 2] & 0xff) !== Kind.Depth) continue;
      if (!watch) {
        l2.applyRecord(words, j);
        continue;
      }
      const before = this.resting.map((o) => l2.displayedAt(o.side, o.px));
      l2.applyRecord(words, j);
      this.resting.forEach((o, k) => {
        const now = l2.displayedAt(o.side, o.px);
        if (now !== before[k]) this.queue.onDepth(o.id, before[k], now);
      });
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
    const rules: Record<string, string> = { ...describeInstrument(this.instrument) };
    if (this.instrumentFrom !== undefined) rules.instrument_from = this.instrumentFrom;
    if (this.remainder !== DEFAULT_MARKET_REMAINDER) rules.market_remainder = describeMarketRemainder(this.remainder);
    if (this.staleNs > 0n) rules.stale_ns = this.staleNs.toString();
    if (this.refuseStale) rules.refuse_stale = "true";
    return { ...this.fees.describe(), ...this.latency.describe(), queue: this.queue.name, ...this.queue.describe(), ...rules };
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

/** A quote's mark when prices are positive and size is unknown: the mid rounded down to 1e-9, or the one side present. */
export function quoteMark(bid: bigint, ask: bigint): bigint {
  return bid > 0n && ask > 0n ? (bid + ask) / 2n : bid > 0n ? bid : ask;
}

/**
 * A quote's mark in the venue's terms: the mid rounded toward −∞ to 1e-9, or
 * the one side present (size > 0, any price); `fallback` when neither is.
 */
export function sizedQuoteMark(bid: bigint, bidQty: bigint, ask: bigint, askQty: bigint, fallback: bigint): bigint {
  if (bidQty > 0n && askQty > 0n) {
    const sum = bid + ask;
    return sum >= 0n || sum % 2n === 0n ? sum / 2n : sum / 2n - 1n;
  }
  return bidQty > 0n ? bid : askQty > 0n ? ask : fallback;
}
