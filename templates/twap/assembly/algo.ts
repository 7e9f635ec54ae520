// twap: works a parent order of `qty` over `horizon_s` seconds in `slices`
// equal slices, and has it all done by the deadline.
//
//   start     = time of the first quote or trade (the first price)
//   slice k   = at start + k·horizon/slices, k = 0 … slices−1 (a timer each)
//   target(k) = qty·(k+1)/slices rounded down to `lot` (target(slices−1) = qty):
//               what should be done by the end of slice k
//   deadline  = start + horizon
//
// At slice k (passive, the default):
//   1. the previous slice's child is cancelled (what it did not fill is now behind);
//   2. catch-up: whatever is still short of target(k−1) goes at market;
//   3. slice k's own quantity, target(k) − target(k−1), is posted post-only at
//      the near touch (the best bid for a buy, the best ask for a sell),
//      earning the maker fee instead of paying the taker fee.
// At the deadline the last child is cancelled and the rest goes at market.
// With passive=false every slice goes at market, so the parent is done one
// interval before the deadline.
//
// A child is replaced only once the venue has confirmed its cancel (or it has
// filled), and every catch-up counts the orders still on their way, so the
// parent is never overfilled, also with order latency.
//
// Timers are delivered while market data flows: if the data ends before the
// deadline, onStop cancels the child and says how much was left undone.
import {
  Algo,
  Fill,
  MARKET,
  OrderStatus,
  OrderUpdate,
  Px,
  Qty,
  Quote,
  Rounding,
  Side,
  Tif,
  Trade,
  Usd,
  formatFixed,
  log,
  mulDiv,
  notional,
  params,
  register,
  roundToLot,
} from "sequence-algo/runtime";

const NS_PER_S: i64 = 1_000_000_000;

class Twap extends Algo {
  // Parameters (read once, when the module starts; `--param name=value` overrides them).
  /** The parent quantity to work (qty, 1e8). */
  parent: Qty = params.qty("qty", Qty.fromInt(10));
  /** Sell the parent instead of buying it ("--param sell=true"). */
  selling: bool = params.bool("sell", false);
  /** Time from the first price to the deadline, seconds with up to 9 decimals (read at 1e9 = ns). */
  horizonNs: i64 = params.fixed("horizon_s", 120 * NS_PER_S, 9);
  /** Number of equal slices. */
  slices: i64 = params.int("slices", 12);
  /** Quantity grid (qty, 1e8): every slice target is a multiple of it. */
  lot: Qty = params.qty("lot", Qty.fromParts(0, 1_000_000));
  /** Post each slice at the near touch (true) or send it at market (false). */
  passive: bool = params.bool("passive", true);

  side: Side = Side.Buy;
  /** Time of the first price, ns; −1 until then. */
  startNs: i64 = -1;
  /** Filled so far (qty, 1e8) and what it cost (USD 1e9, for the average price in the logs). */
  done: Qty = 0;
  spent: Usd = 0;
  /** The resting passive child (0 = none). */
  childId: i64 = 0;
  /** A slice (or the deadline, = slices) waiting for the child's cancel to be confirmed; −1 = none. */
  waiting: i32 = -1;
  /** Done, or stopped: nothing more is sent (a cancel confirmed after onStop must not start a slice). */
  finished: bool = false;

  onStart(): void {
    if (this.parent <= 0) throw new Error("twap: qty must be > 0");
    if (this.lot <= 0) throw new Error("twap: lot must be > 0");
    if (this.parent % this.lot != 0) throw new Error("twap: qty must be a multiple of lot");
    if (this.slices < 1 || this.slices > 100_000) throw new Error("twap: slices must be in 1..100000");
    if (this.horizonNs < this.slices) throw new Error("twap: horizon_s must be at least 1 ns per slice");
    this.side = this.selling ? Side.Sell : Side.Buy;
  }

  onQuote(q: Quote): void {
    if (this.startNs < 0 && q.bidPx > 0 && q.askPx > 0) this.begin();
  }

  onTrade(t: Trade): void {
    if (this.startNs < 0) this.begin();
  }

  /** The first price: slice 0 goes out now, the rest on timers. */
  begin(): void {
    this.startNs = this.now();
    log.info(
      "twap: " + (this.selling ? "sell " : "buy ") + Qty.toString(this.parent) + " in " + this.slices.toString() +
        " slices over " + seconds(this.horizonNs),
    );
    this.slice(0);
  }

  onTimer(k: i32): void {
    if (this.finished) return;
    // The child must be gone before anything is sent: its cancel may race a fill.
    if (this.childId != 0 && this.orders.indexOf(this.childId) >= 0) {
      this.cancel(this.childId);
      this.waiting = k;
      return;
    }
    this.childId = 0;
    this.slice(k);
  }

  /** Slice k (k = slices: the deadline). Called with no child resting. */
  slice(k: i32): void {
    const n = <i32>this.slices;
    if (k < n) this.setTimer(this.startNs + mulDiv(this.horizonNs, k + 1, n, Rounding.Floor), k + 1);
    // Still open here: only market orders on their way, already counted as done.
    const committed = this.done + this.orders.openQty(this.side);
    if (k == n) {
      const rest = this.parent - committed;
      if (rest > 0) {
        log.info("deadline: " + Qty.toString(rest) + " left, sending it at market");
        this.send(rest, 0);
      }
      return;
    }
    const due = this.target(k);
    if (!this.passive) {
      if (due > committed) this.send(due - committed, 0);
      return;
    }
    let sent = committed;
    const behind = k == 0 ? 0 : this.target(k - 1) - committed;
    if (behind > 0) {
      log.info("slice " + k.toString() + ": behind by " + Qty.toString(behind) + ", catching up at market");
      this.send(behind, 0);
      sent += behind;
    }
    const own = due - sent;
    if (own <= 0) return;
    const touch = this.selling ? this.book.askPx : this.book.bidPx;
    if (this.book.bidPx > 0 && this.book.askPx > 0) this.childId = this.send(own, touch);
    else this.send(own, 0); // no book (trades only): nothing to join, so market
  }

  /** What should be done by the end of slice k: qty·(k+1)/slices, rounded down to the lot. */
  target(k: i32): Qty {
    if (k + 1 >= this.slices) return this.parent;
    return roundToLot(mulDiv(this.parent, k + 1, this.slices, Rounding.Floor), this.lot, Rounding.Floor);
  }

  /** A child of `qty`: post-only at `px`, or at market when px = 0. */
  send(qty: Qty, px: Px): i64 {
    return px == 0 ? this.place(this.side, MARKET, qty) : this.place(this.side, px, qty, Tif.PostOnly);
  }

  onFill(f: Fill): void {
    this.done += f.qty;
    this.spent += notional(f.qty, f.px);
    if (f.orderId == this.childId && this.orders.indexOf(f.orderId) < 0) this.childGone();
    if (this.done >= this.parent && !this.finished) {
      this.finished = true;
      log.info(
        "done: " + (this.selling ? "sold " : "bought ") + Qty.toString(this.done) + " at an average " +
          Px.toString(mulDiv(this.spent, Qty.fromInt(1), this.done)) + ", last fill " +
          seconds(this.now() - this.startNs) + " after the start",
      );
    }
  }

  onOrder(u: OrderUpdate): void {
    if (u.status == OrderStatus.Accepted) return;
    // A passive child refused after latency (post-only that would take) is caught up at the next slice.
    if (u.status == OrderStatus.Rejected) log.warn("order " + u.orderId.toString() + " rejected (reason " + (<i32>u.reason).toString() + ")");
    if (u.orderId == this.childId) this.childGone();
  }

  /** The child filled in full, was cancelled or was rejected: send what was waiting for it. */
  childGone(): void {
    this.childId = 0;
    if (this.waiting < 0 || this.finished) return;
    const k = this.waiting;
    this.waiting = -1;
    this.slice(k);
  }

  onStop(): void {
    const wasDone = this.finished;
    this.finished = true;
    const open = this.orders.count;
    this.cancelAll();
    if (wasDone) return;
    log.warn(
      "stop: " + Qty.toString(this.done) + " of " + Qty.toString(this.parent) + " done, " +
        Qty.toString(this.parent - this.done) + " left undone; cancelling " + open.toString() + " open orders",
    );
  }
}

/** A duration in ns as seconds for the logs: seconds(1_500_000_000) = "1.5 s". */
function seconds(ns: i64): string {
  return formatFixed(ns, 9, 0) + " s";
}

register(new Twap());
