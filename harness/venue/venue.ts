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
import { Half, hiAt, kindAt, loAt, recordStart, tsOf } from "../record-view.ts";
import type { FeeModel } from "./fees.ts";
import type { LatencyModel } from "./latency.ts";
import { ThroughOnly, type QueueModel } from "./queue.ts";
import { L1Book, levelQty, type Book } from "./book.ts";
import { L2Book, L2BookView } from "./l2-book.ts";
import { OrderState, OrderTable } from "./order-table.ts";
import { add, big, copy, eq, floorMid, lt, min, negative, positive, put, setZero, sub, zero } from "./i64.ts";
import { ANY_INSTRUMENT, describeInstrument, InstrumentCheck, type InstrumentSpec } from "./instrument.ts";
import { DEFAULT_MARKET_REMAINDER, describeMarketRemainder, impactPrice, type MarketRemainder } from "./market-remainder.ts";
import { Kind, Liquidity, MAX_OPEN_ORDERS, OrderFlag, OrderStatus, RejectReason, SideCode, Tif } from "../abi.ts";

/**
 * Where the venue sends what happens; the engine turns these into records for
 * the algo. Times are the engine's clock (BigInt); an order update's price
 * and open quantity are i64 halves (px[pi], qty[qi]) for the listener to copy,
 * so no BigInt is made for it.
 */
export interface VenueListener {
  onFill(ts: bigint, orderId: bigint, side: SideCode, px: bigint, qty: bigint, fee: bigint, liquidity: Liquidity): void;
  onOrder(ts: bigint, orderId: number, side: number, status: OrderStatus, reason: RejectReason, px: Int32Array, pi: number, qty: Int32Array, qi: number): void;
  /**
   * The account's funds check at arrival (harness/account.ts) of qty[qi] at
   * px[pi], given the orders resting in `slots` of `orders`. Absent: every
   * order can be paid for, and the venue skips the check (read once, at construction).
   */
  canPay?(side: number, px: Int32Array, pi: number, qty: Int32Array, qi: number, orders: OrderTable, slots: readonly number[]): boolean;
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

const enum RequestKind {
  Place = 0,
  Cancel = 1,
  CancelAll = 2,
}

// Scratch values (i64 halves, i64.ts) at these indices of `reg`.
const TOUCH = 0;
const Q = 2;
const LEFT = 4;
const REDUCIBLE = 6;
const BEFORE = 8;
const SEEN = 10;
const NOW = 12;
const TAKEN = 14;
const ZERO = 16;
/** The arriving request's time, a quote side's update time, and the difference (stale-book check). */
const AT = 18;
const UPDATED = 20;
const AGE = 22;
/** The impact rule's move. */
const MOVE = 24;
/** Stale threshold. */
const STALE = 26;
const REGISTERS = 28;

/** Highest possible buy / lowest possible sell sentinel halves: −2^62 and 2^62, as before. */
const NONE_HI = -(1 << 30);
const NO_SELL_HI = 1 << 30;

export class SimulatedVenue {
  /** The touch from the newest quote (L1 data). */
  private readonly l1 = new L1Book();
  /** Every level, from DEPTH records (L2 data; l2-book.ts): set at the first one. */
  private l2: L2Book | null = null;
  private l2View: L2BookView | null = null;
  /** The market's side, as takers and resting orders meet it. */
  get book(): Book {
    return this.l2View ?? this.l1;
  }
  /** Last trade price (halves) and whether any trade was seen (a last price of 0 is a price). */
  private readonly lastPxH = new Int32Array(2);
  hasLast = false;
  /** Price of the newest market record: trade price, or quote mid (rounded down); halves, and as a BigInt when asked. */
  private readonly markH = new Int32Array(2);
  private markBig: bigint | null = 0n;
  /** Taker fills against a quote older than the stale threshold. */
  staleFills = 0;

  get lastPx(): bigint {
    return big(this.lastPxH, 0);
  }

  get mark(): bigint {
    return (this.markBig ??= big(this.markH, 0));
  }

  /** The mark as i64 halves (at index 0): read only. */
  get markHalves(): Int32Array {
    return this.markH;
  }

  /** Highest resting buy and lowest resting sell price as halves: the engine's cheap "could tick j fill anything?" test. */
  private maxBuyHi = NONE_HI;
  private maxBuyLo = 0;
  private minSellHi = NO_SELL_HI;
  private minSellLo = 0;

  /** Changes whenever resting orders or requests in flight change: lets the engine reuse a scan. */
  version = 0;

  private readonly orders = new OrderTable();
  /** Each slot's id as the BigInt the algo was given, made once at submit: only the fill (onFill → the ledger) takes it. */
  private readonly idBig: bigint[] = [];
  /** Slots of resting orders, in arrival order. */
  private resting: number[] = [];
  /** Slot of every order sent and not ended, by id. */
  private readonly live = new Map<number, number>();
  private inFlight = 0;
  /** Requests in the order sent: arrival time (halves at k × 2), kind, and the order's slot (place) or id (cancel). */
  private reqAt = new Int32Array(128);
  private reqKind: number[] = [];
  private reqRef: number[] = [];
  private requestHead = 0;
  /** The head request's arrival time as a BigInt, made once when the engine's clock asks (null: not made yet). */
  private headAt: bigint | null = null;
  /** Submit's scratch: now and the entry delay, as halves. */
  private readonly times = new Int32Array(4);
  private nextId = 1;
  /** Set when the algo hears of the venue's events late (feed or response latency; engine.ts). */
  algoHearsLate = false;

  private readonly instrument: InstrumentSpec;
  private readonly instrumentFrom: string | undefined;
  private readonly instrumentCheck: InstrumentCheck;
  private readonly remainder: MarketRemainder;
  private readonly staleNs: bigint;
  private readonly refuseStale: boolean;
  /** Whether the listener checks funds (only then are an order's price and quantity made BigInt at arrival). */
  private readonly checksFunds: boolean;
  /** Scratch i64 values (see the indices above). */
  private readonly reg = new Int32Array(REGISTERS);
  /** Levels a taker sweeps (price, qty pairs), filled before any is executed. */
  private sweep = new Int32Array(64);
  /** Orders a market record reaches, in priority; and the side being sorted. */
  private readonly picked: number[] = [];
  private pickedSide = 0;
  private readonly byPriority = (a: number, b: number): number => {
    const px = this.orders.px;
    if (eq(px, a * 2, px, b * 2)) return this.orders.id[a] - this.orders.id[b];
    return (this.pickedSide === SideCode.Buy ? lt(px, a * 2, px, b * 2) : lt(px, b * 2, px, a * 2)) ? 1 : -1;
  };

  constructor(
    private readonly fees: FeeModel,
    private readonly latency: LatencyModel,
    private readonly listener: VenueListener,
    private readonly queue: QueueModel = new ThroughOnly(),
    rules: VenueRules = {},
  ) {
    this.instrument = rules.instrument ?? ANY_INSTRUMENT;
    this.instrumentFrom = rules.instrument ? rules.instrumentFrom : undefined;
    this.instrumentCheck = new InstrumentCheck(this.instrument);
    this.remainder = rules.marketRemainder ?? DEFAULT_MARKET_REMAINDER;
    this.staleNs = rules.staleNs ?? 0n;
    put(this.reg, STALE, this.staleNs);
    this.refuseStale = rules.refuseStale ?? false;
    this.checksFunds = listener.canPay !== undefined;
  }

  /** Whether a stale threshold is set (the report then shows staleFills). */
  get tracksStale(): boolean {
    return positive(this.reg, STALE);
  }

  get hasResting(): boolean {
    return this.resting.length > 0;
  }

  get openOrderCount(): number {
    return this.resting.length;
  }

  /** Time of the next request to reach the venue, or null. */
  nextArrival(): bigint | null {
    if (this.requestHead >= this.reqKind.length) return null;
    return (this.headAt ??= big(this.reqAt, this.requestHead * 2)); // the engine's clock is BigInt: one per request
  }

  /**
   * `tif`: the time in force in bits 0-7, OrderFlag bits above. The module's
   * host call hands BigInt values: they are stored as halves here, and the id
   * goes back as a BigInt, once.
   */
  submit(now: bigint, side: number, px: bigint, qty: bigint, tif: number): bigint {
    const id = this.nextId++;
    const slot = this.orders.alloc();
    const t = this.orders;
    const market = (tif & OrderFlag.Market) !== 0;
    t.id[slot] = id;
    t.side[slot] = side;
    t.tif[slot] = tif & 0xff;
    t.market[slot] = market ? 1 : 0;
    t.reduceOnly[slot] = (tif & OrderFlag.ReduceOnly) !== 0 ? 1 : 0;
    t.state[slot] = OrderState.InFlight;
    put(t.px, slot * 2, market ? 0n : px);
    put(t.qty, slot * 2, qty);
    this.live.set(id, slot);
    this.inFlight++;
    this.enqueue(now, RequestKind.Place, slot);
    const idBig = BigInt(id);
    this.idBig[slot] = idBig;
    return idBig;
  }

  /**
   * Returns 1 if the order is resting or on its way, else 0. When the algo
   * hears late, an order that ended here may still be open as far as the algo
   * knows: its cancel is sent, and answered too_late when it arrives.
   */
  cancel(now: bigint, id: bigint): number {
    const n = Number(id); // ids are far below 2^53: a larger one is no order
    const issued = n > 0 && n < this.nextId;
    const known = this.live.has(n) || (this.algoHearsLate && issued);
    if (known) this.enqueue(now, RequestKind.Cancel, n);
    return known ? 1 : 0;
  }

  cancelAll(now: bigint): number {
    const open = this.resting.length + this.inFlight;
    this.enqueue(now, RequestKind.CancelAll, 0);
    return open;
  }

  /** Queues a request sent at `now`; it arrives after the entry latency (added on halves). */
  private enqueue(now: bigint, kind: RequestKind, ref: number): void {
    this.version++;
    if (this.requestHead > 64 && this.requestHead * 2 > this.reqKind.length) {
      this.reqAt.copyWithin(0, this.requestHead * 2, this.reqKind.length * 2);
      this.reqKind = this.reqKind.slice(this.requestHead);
      this.reqRef = this.reqRef.slice(this.requestHead);
      this.requestHead = 0;
    }
    const k = this.reqKind.length;
    if ((k + 1) * 2 > this.reqAt.length) {
      const wider = new Int32Array(this.reqAt.length * 2);
      wider.set(this.reqAt);
      this.reqAt = wider;
    }
    const times = this.times;
    put(times, 0, now);
    put(times, 2, this.latency.orderEntryNs(now));
    add(this.reqAt, k * 2, times, 0, times, 2);
    this.reqKind.push(kind);
    this.reqRef.push(ref);
  }

  /** Handles the next request if it arrives at or before `t`; returns false when none is due. */
  arriveNext(t: bigint): boolean {
    const k = this.requestHead;
    if (k >= this.reqKind.length) return false;
    const r = this.reg;
    put(r, AGE, t);
    if (lt(r, AGE, this.reqAt, k * 2)) return false;
    copy(r, AT, this.reqAt, k * 2);
    const at = this.nextArrival()!; // for the listener: the engine's clock
    this.headAt = null;
    this.requestHead++;
    this.version++;
    const kind = this.reqKind[k];
    const ref = this.reqRef[k];
    if (kind === RequestKind.Place) {
      this.inFlight--;
      this.orders.state[ref] = OrderState.Arrived;
      this.arrive(at, ref);
      if (this.orders.state[ref] !== OrderState.Resting) this.end(ref);
    } else if (kind === RequestKind.Cancel) {
      const slot = this.live.get(ref);
      if (slot !== undefined && this.orders.state[slot] === OrderState.Resting) this.cancelResting(at, slot, RejectReason.None);
      // The order filled (or was refused or cancelled) while the cancel was on its way.
      else this.listener.onOrder(at, ref, SideCode.None, OrderStatus.Rejected, RejectReason.TooLate, r, ZERO, r, ZERO);
    } else {
      for (const slot of [...this.resting]) this.cancelResting(at, slot, RejectReason.None);
    }
    return true;
  }

  /** The order's slot is free again (it was refused, filled or cancelled). */
  private end(slot: number): void {
    this.live.delete(this.orders.id[slot]);
    this.orders.release(slot);
  }

  /** The order in `slot` reaches the venue at `at` (also at reg[AT], as halves). */
  private arrive(at: bigint, slot: number): void {
    const t = this.orders;
    const r = this.reg;
    const o = slot * 2;
    let reason = this.validate(slot);
    if (reason !== RejectReason.None) return this.refuse(at, slot, reason);
    const side = t.side[slot];
    const market = t.market[slot] === 1;
    const buy = side === SideCode.Buy;
    const opposite = buy ? SideCode.Sell : SideCode.Buy;
    const book = this.book;
    const quoted = book.present(opposite);
    const hasTouch = quoted || this.hasLast;
    if (quoted) book.bestPx(opposite, r, TOUCH);
    else copy(r, TOUCH, this.lastPxH, 0);
    if (market && !hasTouch) return this.refuse(at, slot, RejectReason.NoMarket);
    if (this.instrumentCheck.active) {
      reason = this.instrumentCheck.check(market, t.px, o, t.qty, o, r, TOUCH);
      if (reason !== RejectReason.None) return this.refuse(at, slot, reason);
    }
    const marketable = hasTouch && (market || (buy ? !lt(t.px, o, r, TOUCH) : !lt(r, TOUCH, t.px, o)));
    if (marketable && t.tif[slot] === Tif.PostOnly) return this.refuse(at, slot, RejectReason.WouldTake);
    if (t.reduceOnly[slot]) {
      this.reducible(side, r, REDUCIBLE);
      if (!positive(r, REDUCIBLE)) return this.refuse(at, slot, RejectReason.ReduceOnly);
      if (lt(r, REDUCIBLE, t.qty, o)) copy(t.qty, o, r, REDUCIBLE); // trimmed: the accepted update carries the new size
    }
    let stale = false;
    if (marketable && quoted && this.tracksStale) {
      book.updatedAt(opposite, r, UPDATED);
      sub(r, AGE, r, AT, r, UPDATED);
      stale = lt(r, STALE, r, AGE);
    }
    if (stale && this.refuseStale) return this.refuse(at, slot, RejectReason.StaleBook);

    // A market order costs what it would take at the touch (the account's rule: docs/backtesting.md, "Account").
    if (this.checksFunds && !this.listener.canPay!(side, market ? r : t.px, market ? TOUCH : o, t.qty, o, t, this.resting))
      return this.refuse(at, slot, RejectReason.InsufficientFunds);
    if (marketable && t.tif[slot] === Tif.FOK && quoted && !this.fillsInFull(slot)) {
      this.update(at, slot, OrderStatus.Accepted, RejectReason.None);
      this.update(at, slot, OrderStatus.Cancelled, RejectReason.Unfillable);
      return;
    }
    this.update(at, slot, OrderStatus.Accepted, RejectReason.None);
    if (marketable) this.take(at, slot, quoted, stale);
    if (zero(t.qty, o)) return;
    if (t.tif[slot] === Tif.IOC || t.tif[slot] === Tif.FOK) {
      this.update(at, slot, OrderStatus.Cancelled, RejectReason.Unfillable);
    } else if (!market) {
      this.rest(slot);
    } else if (this.remainder.rule === "rest") {
      copy(t.px, o, r, TOUCH);
      t.market[slot] = 0;
      this.rest(slot);
    } else if (this.remainder.rule === "impact") {
      impactPrice(r, TOUCH, r, TOUCH, this.remainder.bps, buy, r, MOVE);
      this.execute(at, slot, r, TOUCH, t.qty, o, Liquidity.Taker);
      if (stale) this.staleFills++;
    } else {
      this.update(at, slot, OrderStatus.Cancelled, RejectReason.Unfillable);
    }
  }

  /** Tells the listener of the order's new status, with its price and open quantity. */
  private update(at: bigint, slot: number, status: OrderStatus, reason: RejectReason): void {
    const t = this.orders;
    this.listener.onOrder(at, t.id[slot], t.side[slot], status, reason, t.px, slot * 2, t.qty, slot * 2);
  }

  private refuse(at: bigint, slot: number, reason: RejectReason): void {
    this.update(at, slot, OrderStatus.Rejected, reason);
  }

  /** Whether the book's levels within the order's limit hold its whole quantity (FOK). */
  private fillsInFull(slot: number): boolean {
    const t = this.orders;
    const o = slot * 2;
    const buy = t.side[slot] === SideCode.Buy;
    const market = t.market[slot] === 1;
    const need = this.reg;
    copy(need, LEFT, t.qty, o);
    this.book.walk(buy ? SideCode.Sell : SideCode.Buy, (level) => {
      if (!market && (buy ? lt(t.px, o, level, 0) : lt(level, 0, t.px, o))) return false;
      if (!lt(level, 2, need, LEFT)) {
        setZero(need, LEFT);
        return false;
      }
      sub(need, LEFT, need, LEFT, level, 2);
      return true;
    });
    return !positive(need, LEFT);
  }

  /** Fills a marketable order against the book (or, with no quote, in full at the last trade price in reg[TOUCH]). */
  private take(at: bigint, slot: number, quoted: boolean, stale: boolean): void {
    const t = this.orders;
    const o = slot * 2;
    const r = this.reg;
    if (!quoted) {
      this.execute(at, slot, r, TOUCH, t.qty, o, Liquidity.Taker);
      return;
    }
    const buy = t.side[slot] === SideCode.Buy;
    const market = t.market[slot] === 1;
    const side = buy ? SideCode.Sell : SideCode.Buy;
    let n = 0;
    copy(r, LEFT, t.qty, o);
    this.book.walk(side, (level) => {
      if (!market && (buy ? lt(t.px, o, level, 0) : lt(level, 0, t.px, o))) return false;
      if (this.sweep.length < (n + 1) * 4) {
        const wider = new Int32Array(this.sweep.length * 2);
        wider.set(this.sweep);
        this.sweep = wider;
      }
      copy(this.sweep, n * 4, level, 0);
      min(this.sweep, n * 4 + 2, level, 2, r, LEFT);
      sub(r, LEFT, r, LEFT, this.sweep, n * 4 + 2);
      n++;
      return positive(r, LEFT);
    });
    const fills = this.sweep;
    for (let k = 0; k < n; k++) {
      this.book.take(side, fills, k * 4, fills, k * 4 + 2);
      this.execute(at, slot, fills, k * 4, fills, k * 4 + 2, Liquidity.Taker);
      if (stale) this.staleFills++;
    }
  }

  /** How much an order on `side` may trade without increasing the position, into out[i]. */
  private reducible(side: number, out: Int32Array, i: number): void {
    put(out, i, this.listener.position()); // the ledger's position is BigInt: stored as halves (no arithmetic on it)
    if (side === SideCode.Buy) {
      if (negative(out, i)) sub(out, i, this.reg, ZERO, out, i); // 0 − position
      else setZero(out, i);
    } else if (!positive(out, i)) setZero(out, i);
  }

  private rest(slot: number): void {
    const t = this.orders;
    if (this.queue.fillsAtPrice) {
      const seen = this.book.displayedAt(t.side[slot], t.px, slot * 2, this.reg, SEEN);
      this.queue.onNew(t.id[slot], seen ? this.reg : null, SEEN);
    }
    t.state[slot] = OrderState.Resting;
    this.resting.push(slot);
    this.updateBestPrices();
  }

  private validate(slot: number): RejectReason {
    const t = this.orders;
    const side = t.side[slot];
    if (side !== SideCode.Buy && side !== SideCode.Sell) return RejectReason.InvalidSide;
    if (!positive(t.qty, slot * 2)) return RejectReason.InvalidQty;
    if (t.market[slot] === 1 && t.tif[slot] === Tif.PostOnly) return RejectReason.InvalidPrice;
    if (this.resting.length >= MAX_OPEN_ORDERS) return RejectReason.TooManyOrders;
    return RejectReason.None;
  }

  private cancelResting(at: bigint, slot: number, reason: RejectReason): void {
    this.resting.splice(this.resting.indexOf(slot), 1);
    if (this.queue.fillsAtPrice) this.queue.onDone(this.orders.id[slot]);
    this.updateBestPrices();
    this.update(at, slot, OrderStatus.Cancelled, reason);
    this.orders.state[slot] = OrderState.Arrived; // ended: freed by the caller's end of request, or here
    if (!this.handling) this.end(slot);
    else this.ended.push(slot);
  }

  /** Set while a market record is matched: slots that end then are freed after it (priority lists still hold them). */
  private handling = false;
  private readonly ended: number[] = [];

  /**
   * Fills qty[qi] of the order at px[pi]; a reduce-only order is trimmed to
   * the position, and cancelled once it cannot reduce.
   */
  private execute(ts: bigint, slot: number, px: Int32Array, pi: number, qty: Int32Array, qi: number, liquidity: Liquidity): void {
    const t = this.orders;
    const r = this.reg;
    const o = slot * 2;
    const side = t.side[slot];
    copy(r, Q, qty, qi);
    if (t.reduceOnly[slot]) {
      this.reducible(side, r, REDUCIBLE);
      if (lt(r, REDUCIBLE, r, Q)) copy(r, Q, r, REDUCIBLE);
    }
    if (positive(r, Q)) {
      sub(t.qty, o, t.qty, o, r, Q);
      const fillPx = big(px, pi);
      const fillQty = big(r, Q);
      this.listener.onFill(ts, this.idBig[slot], side, fillPx, fillQty, this.fees.fee(fillQty, fillPx, liquidity), liquidity);
    }
    if (t.reduceOnly[slot] && positive(t.qty, o)) {
      this.reducible(side, r, REDUCIBLE);
      if (!positive(r, REDUCIBLE)) {
        if (t.state[slot] === OrderState.Resting) this.cancelResting(ts, slot, RejectReason.ReduceOnly);
        else this.update(ts, slot, OrderStatus.Cancelled, RejectReason.ReduceOnly);
        setZero(t.qty, o);
      }
    }
  }

  /**
   * True when record j would fill a resting order. Runs on every tick while orders
   * rest, so it compares prices as 32-bit halves read from an Int32Array
   * view: reading a BigInt64Array would allocate a BigInt per field.
   */
  crosses(heads: Int32Array, kind: number, j: number): boolean {
    const b = recordStart(j);
    if (kind === Kind.Trade) {
      const hi = hiAt(heads, b + Half.TradePx);
      const lo = loAt(heads, b + Half.TradePx);
      if (this.queue.fillsAtPrice) // at or through
        return !lessThan(this.maxBuyHi, this.maxBuyLo, hi, lo) || !lessThan(hi, lo, this.minSellHi, this.minSellLo);
      return lessThan(hi, lo, this.maxBuyHi, this.maxBuyLo) || lessThan(this.minSellHi, this.minSellLo, hi, lo);
    }
    if (kind === Kind.Quote) {
      // A side is present when its size is > 0, whatever its price.
      const askPresent = positive(heads, b + Half.AskQty);
      const bidPresent = positive(heads, b + Half.BidQty);
      const askCrosses = askPresent && !lessThan(this.maxBuyHi, this.maxBuyLo, hiAt(heads, b + Half.AskPx), loAt(heads, b + Half.AskPx));
      const bidCrosses = bidPresent && !lessThan(hiAt(heads, b + Half.BidPx), loAt(heads, b + Half.BidPx), this.minSellHi, this.minSellLo);
      return askCrosses || bidCrosses;
    }
    return false;
  }

  /** Fills resting orders against record j (which `crosses` said might); `heads` is the Int32Array view of `words`. */
  match(words: BigInt64Array, heads: Int32Array, kind: number, j: number): void {
    const b = recordStart(j);
    const ts = tsOf(words, j); // the record's time as BigInt: it goes with a fill to the ledger (the boundary)
    this.handling = true;
    if (kind === Kind.Trade) {
      // size 0: unknown
      const px = b + Half.TradePx;
      const qty = b + Half.TradeQty;
      this.fillThrough(ts, SideCode.Buy, heads, px, heads, qty);
      this.fillThrough(ts, SideCode.Sell, heads, px, heads, qty);
      if (this.queue.fillsAtPrice && positive(heads, qty)) this.fillAtPrice(ts, heads, px, heads, qty);
    } else if (kind === Kind.Quote) {
      // With an L2 book the quote is its own top, already applied from the DEPTH records before it.
      if (!this.l2) {
        if (this.queue.watchesDepth) this.reportDepth(heads, b);
        this.l1.quote(heads, b);
      }
      const book = this.book;
      const touch = this.reg;
      if (book.present(SideCode.Sell)) {
        book.bestPx(SideCode.Sell, touch, TOUCH);
        this.fillFromBook(ts, SideCode.Buy, touch, TOUCH);
      }
      if (book.present(SideCode.Buy)) {
        book.bestPx(SideCode.Buy, touch, TOUCH);
        this.fillFromBook(ts, SideCode.Sell, touch, TOUCH);
      }
    }
    this.handling = false;
    this.removeDone();
  }

  private removeDone(): void {
    const t = this.orders;
    let done = false;
    for (const slot of this.resting) if (zero(t.qty, slot * 2)) done = true;
    if (done) {
      const open: number[] = [];
      for (const slot of this.resting) {
        if (!zero(t.qty, slot * 2)) open.push(slot);
        else {
          if (this.queue.fillsAtPrice) this.queue.onDone(this.orders.id[slot]);
          t.state[slot] = OrderState.Arrived;
          this.ended.push(slot);
        }
      }
      this.resting = open;
      this.updateBestPrices();
    }
    if (this.ended.length === 0) return; // setting an array's length is a call: skip it on the common path
    for (const slot of this.ended) this.end(slot);
    this.ended.length = 0;
  }

  /** Tells the queue model how the displayed size at each resting order's level changes with the quote at heads[b] (before the book takes it). */
  private reportDepth(heads: Int32Array, b: number): void {
    const t = this.orders;
    const r = this.reg;
    for (const slot of this.resting) {
      const side = t.side[slot];
      const seenBefore = this.book.displayedAt(side, t.px, slot * 2, r, SEEN);
      const seenNow =
        side === SideCode.Buy
          ? levelQty(side, t.px, slot * 2, heads, b + Half.BidPx, heads, b + Half.BidQty, r, NOW)
          : levelQty(side, t.px, slot * 2, heads, b + Half.AskPx, heads, b + Half.AskQty, r, NOW);
      if (seenBefore && seenNow && !eq(r, SEEN, r, NOW)) this.queue.onDepth(t.id[slot], r, SEEN, r, NOW);
    }
  }

  /**
   * A trade of printed[qi] exactly at px[pi]: the queue model says how much
   * of it reaches each order there; fills oldest first, never more than printed.
   */
  private fillAtPrice(ts: bigint, px: Int32Array, pi: number, printed: Int32Array, qi: number): void {
    const t = this.orders;
    const r = this.reg;
    copy(r, LEFT, printed, qi);
    // Index loop over the live list, as the order of fills requires: an order cancelled here leaves it.
    for (let k = 0; k < this.resting.length; k++) {
      const slot = this.resting[k];
      const o = slot * 2;
      if (!eq(t.px, o, px, pi) || !positive(t.qty, o)) continue;
      this.queue.onTrade(t.id[slot], printed, qi, r, TAKEN);
      min(r, TAKEN, r, TAKEN, t.qty, o);
      min(r, TAKEN, r, TAKEN, r, LEFT);
      if (!positive(r, TAKEN)) continue;
      copy(r, BEFORE, r, TAKEN);
      this.execute(ts, slot, px, pi, r, BEFORE, Liquidity.Maker);
      sub(r, LEFT, r, LEFT, r, BEFORE);
    }
  }

  /**
   * Resting orders on `side` priced through limit[li] (strictly, or at it
   * too when `inclusive`), in price then time priority (ids increase with time):
   * the first n of `picked`; returns n.
   */
  private eligible(side: number, limit: Int32Array, li: number, inclusive: boolean): number {
    const t = this.orders;
    const picked = this.picked;
    let n = 0;
    for (const slot of this.resting) {
      const o = slot * 2;
      if (t.side[slot] !== side || !positive(t.qty, o)) continue;
      const through = side === SideCode.Buy ? lt(limit, li, t.px, o) : lt(t.px, o, limit, li);
      if (through || (inclusive && eq(t.px, o, limit, li))) picked[n++] = slot;
    }
    if (n > 1) {
      if (picked.length !== n) picked.length = n; // sort sees exactly the picked ones
      this.pickedSide = side;
      picked.sort(this.byPriority);
    }
    return n;
  }

  /** A trade at px[pi] printed through resting prices: available[ai] shared in priority; 0 means unknown size: fill all. */
  private fillThrough(ts: bigint, side: number, px: Int32Array, pi: number, available: Int32Array, ai: number): void {
    const t = this.orders;
    const r = this.reg;
    const unknown = zero(available, ai);
    copy(r, LEFT, available, ai);
    const picked = this.picked;
    const n = this.eligible(side, px, pi, false);
    for (let k = 0; k < n; k++) {
      const slot = picked[k];
      const o = slot * 2;
      if (unknown) copy(r, Q, t.qty, o);
      else min(r, Q, t.qty, o, r, LEFT);
      if (!positive(r, Q)) break;
      copy(r, BEFORE, r, Q); // execute reuses Q
      this.execute(ts, slot, t.px, o, r, BEFORE, Liquidity.Maker);
      sub(r, LEFT, r, LEFT, r, BEFORE);
    }
  }

  /** The opposite touch touch[ti] reached resting prices: what the book still offers there is shared in priority, and taken. */
  private fillFromBook(ts: bigint, side: number, touch: Int32Array, ti: number): void {
    const t = this.orders;
    const r = this.reg;
    const bookSide = side === SideCode.Buy ? SideCode.Sell : SideCode.Buy;
    const picked = this.picked;
    const n = this.eligible(side, touch, ti, true);
    for (let k = 0; k < n; k++) {
      const slot = picked[k];
      const o = slot * 2;
      this.book.bestQty(bookSide, r, LEFT);
      if (!positive(r, LEFT)) break;
      copy(r, BEFORE, t.qty, o);
      min(r, TAKEN, t.qty, o, r, LEFT);
      this.execute(ts, slot, t.px, o, r, TAKEN, Liquidity.Maker);
      sub(r, TAKEN, r, BEFORE, t.qty, o);
      this.book.take(bookSide, touch, ti, r, TAKEN);
    }
  }

  /** Brings the touch and last price up to date with records [from, to] (the newest wins). */
  syncBook(words: BigInt64Array, heads: Int32Array, from: number, to: number): void {
    if (this.l2) this.applyDepth(heads, from, to);
    // Depth changes fill nothing, so a queue model that watches them hears of every quote here, in order.
    else if (this.queue.watchesDepth && this.resting.length > 0)
      for (let j = from; j <= to; j++) {
        const b = recordStart(j);
        if (kindAt(heads, b) !== Kind.Quote) continue;
        this.reportDepth(heads, b);
        this.l1.quote(heads, b);
      }
    let needQuote = true;
    let needTrade = true;
    for (let j = to; j >= from && (needQuote || needTrade); j--) {
      const b = recordStart(j);
      const kind = kindAt(heads, b);
      if (needQuote && kind === Kind.Quote) {
        if (!this.l2) this.l1.quote(heads, b);
        if (needTrade) this.setMark(sizedQuoteMarkAt(heads, b, this.markH, 0, this.markH, 0));
        needQuote = false;
      } else if (needTrade && kind === Kind.Trade) {
        copy(this.lastPxH, 0, heads, b + Half.TradePx);
        this.hasLast = true;
        if (needQuote) this.setMark(copyChanged(this.markH, 0, heads, b + Half.TradePx));
        needTrade = false;
      }
    }
  }

  private setMark(changed: boolean): void {
    if (changed) this.markBig = null;
  }

  /**
   * The data has depth (DEPTH records, kind 7): from now on the venue keeps
   * every level (l2-book.ts) and the QUOTE records are only its top. Called by
   * the engine before the first batch holding DEPTH records is synced.
   */
  useDepth(): void {
    if (this.l2) return;
    this.l2 = new L2Book();
    this.l2View = new L2BookView(this.l2);
  }

  /** Applies the DEPTH records of [from, to] in order; a queue model that watches depth hears of each resting order's level that changed. */
  private applyDepth(heads: Int32Array, from: number, to: number): void {
    const l2 = this.l2!;
    const view = this.l2View!;
    const t = this.orders;
    const watch = this.queue.watchesDepth && this.resting.length > 0;
    for (let j = from; j <= to; j++) {
      if (kindAt(heads, recordStart(j)) !== Kind.Depth) continue;
      if (!watch) {
        l2.applyRecord(heads, j);
        continue;
      }
      const n = this.resting.length;
      if (this.depthBefore.length < n * 2) this.depthBefore = new Int32Array(n * 4);
      const before = this.depthBefore;
      for (let k = 0; k < n; k++) {
        const slot = this.resting[k];
        view.displayedAt(t.side[slot], t.px, slot * 2, before, k * 2);
      }
      l2.applyRecord(heads, j);
      const now = this.reg;
      for (let k = 0; k < n; k++) {
        const slot = this.resting[k];
        view.displayedAt(t.side[slot], t.px, slot * 2, now, SEEN);
        if (!eq(now, SEEN, before, k * 2)) this.queue.onDepth(t.id[slot], before, k * 2, now, SEEN);
      }
    }
  }

  /** applyDepth's scratch: each resting order's displayed size before a DEPTH record (halves). */
  private depthBefore = new Int32Array(0);

  private updateBestPrices(): void {
    this.version++;
    const t = this.orders;
    let buyHi = NONE_HI;
    let buyLo = 0;
    let sellHi = NO_SELL_HI;
    let sellLo = 0;
    for (const slot of this.resting) {
      const hi = t.px[slot * 2 + 1];
      const lo = t.px[slot * 2] >>> 0;
      if (t.side[slot] === SideCode.Buy) {
        if (lessThan(buyHi, buyLo, hi, lo)) (buyHi = hi), (buyLo = lo);
      } else if (lessThan(hi, lo, sellHi, sellLo)) (sellHi = hi), (sellLo = lo);
    }
    this.maxBuyHi = buyHi;
    this.maxBuyLo = buyLo;
    this.minSellHi = sellHi;
    this.minSellLo = sellLo;
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
    const t = this.orders;
    return this.resting.map((slot) => ({
      order_id: this.idBig[slot],
      side: t.side[slot] === SideCode.Buy ? "buy" : "sell",
      price_1e9: big(t.px, slot * 2),
      qty_1e8: big(t.qty, slot * 2),
    }));
  }
}

/** dst[i] = src[j]; whether that changed it. */
function copyChanged(dst: Int32Array, i: number, src: Int32Array, j: number): boolean {
  if (eq(dst, i, src, j)) return false;
  copy(dst, i, src, j);
  return true;
}

/**
 * The QUOTE record at heads[b]'s mark, as sizedQuoteMark, into dst[i]
 * (fallback[fi] when neither side is present); whether dst changed.
 */
export function sizedQuoteMarkAt(heads: Int32Array, b: number, fallback: Int32Array, fi: number, dst: Int32Array, i: number): boolean {
  const bid = positive(heads, b + Half.BidQty);
  const ask = positive(heads, b + Half.AskQty);
  if (bid && ask) {
    const oldLo = dst[i];
    const oldHi = dst[i + 1];
    floorMid(dst, i, heads, b + Half.BidPx, heads, b + Half.AskPx);
    return dst[i] !== oldLo || dst[i + 1] !== oldHi;
  }
  if (bid) return copyChanged(dst, i, heads, b + Half.BidPx);
  if (ask) return copyChanged(dst, i, heads, b + Half.AskPx);
  return copyChanged(dst, i, fallback, fi);
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
