// The class an author extends. Override the callbacks you need; each has an
// empty default. Orders, position and the clock are methods on the class.
import { Px, Qty } from "./fixed";
import { Bar, Fill, MARKET, OrderUpdate, Quote, Side, Tif, Trade } from "./events";
import { Account } from "./account";
import { Book } from "./book";
import { OpenOrders } from "./orders";
import { host_cancel, host_cancel_all, host_place, host_set_timer } from "./host";
import { state } from "./state";

export abstract class Algo {
  /** Open orders as this algo knows them (placed, not yet filled, cancelled or rejected). */
  readonly orders: OpenOrders = new OpenOrders();
  /** Net position, qty 1e8, from this algo's own fills. */
  position: Qty = 0;
  /** The latest top of book seen (zeros before the first quote). */
  readonly book: Quote = new Quote();
  /** The latest trade price seen (0 before the first trade). */
  lastPx: Px = 0;
  /** The L2 book (data with depth only), kept only for an algo that defines onBook. */
  readonly depth: Book = new Book();
  /** Cash, equity and PnL as the host's account has them (exact, USD 1e9). */
  readonly account: Account = new Account();

  onStart(): void {}
  onQuote(quote: Quote): void {}
  onTrade(trade: Trade): void {}
  /** A whole bar, at its close (bar data only; ABI 1.2). */
  onBar(bar: Bar): void {}
  onFill(fill: Fill): void {}
  onOrder(update: OrderUpdate): void {}
  onTimer(timerId: i32): void {}
  /**
   * After each complete L2 book update (data with depth). This default runs
   * only for an algo that does not define onBook: it tells the runtime to
   * stop keeping the book, so such an algo pays nothing for depth. An
   * override should not call super.onBook.
   */
  onBook(book: Book): void {
    state.bookWanted = false;
  }
  onStop(): void {}

  /** Event time in ns since the Unix epoch: simulated in a backtest, the edge's clock live. */
  now(): i64 {
    return state.now;
  }

  /** Places an order and returns its id. price MARKET = market order; any other price (0 and negative too) is a limit. */
  place(side: Side, price: Px, qty: Qty, tif: Tif = Tif.GTC): i64 {
    const market = price == MARKET || (tif & Tif.Market) != 0;
    const px: Px = market ? 0 : price;
    const id = host_place(side, px, qty, market ? tif | Tif.Market : tif);
    this.orders.add(id, side, px, qty);
    state.halted = true;
    return id;
  }

  buy(qty: Qty, price: Px = MARKET, tif: Tif = Tif.GTC): i64 {
    return this.place(Side.Buy, price, qty, tif);
  }

  sell(qty: Qty, price: Px = MARKET, tif: Tif = Tif.GTC): i64 {
    return this.place(Side.Sell, price, qty, tif);
  }

  /** Asks to cancel; the order stays in `orders` until the venue confirms (onOrder Cancelled) or it fills. */
  cancel(orderId: i64): bool {
    state.halted = true;
    return host_cancel(orderId) != 0;
  }

  cancelAll(): i32 {
    state.halted = true;
    return host_cancel_all();
  }

  /** Calls onTimer(timerId) at time atNs (ns since epoch). */
  setTimer(atNs: i64, timerId: i32 = 0): void {
    state.halted = true;
    host_set_timer(atNs, timerId);
  }

  /** Calls onTimer(timerId) after delayNs from now. */
  setTimerIn(delayNs: i64, timerId: i32 = 0): void {
    this.setTimer(state.now + delayNs, timerId);
  }
}

/** Makes `algo` the module's algo. Call once, at the top level of your algo file. */
export function register(algo: Algo): void {
  state.algo = algo;
}
