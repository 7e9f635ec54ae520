// grid: a ladder of post-only orders around the first mid, re-armed after
// every fill so that each step the price travels back and forth earns one step.
//
//   center   = the first mid, rounded to the tick
//   step     = center · step_bps / 10_000, rounded up to the tick (at least one tick)
//   level i  = center + i·step,  i = −levels … +levels
//   at start: a buy on every level below the center, a sell on every level above
//
//   a buy  at level i fills in full → a sell is armed at level i+1 (one step up)
//   a sell at level i fills in full → a buy  is armed at level i−1 (one step down)
//
// So there is always one level without an order, next to the price, and every
// buy-then-sell (or sell-then-buy) across neighbouring levels makes one step,
// before fees. The position is +size for every buy below the empty level that
// has filled, so it stays within ±levels·size, and the algo also checks that
// bound before every order, counting every order still open.
//
// With a capital (`--capital`: a spot account, no shorting) a sell needs
// what is held and not already offered, so the ladder starts with its buys
// only, and each sell is the one re-armed after a buy. A level whose order the venue refuses for lack of
// funds waits for the next fill (which moves cash and holdings); one refused
// for another reason (post-only that would take) waits for the next quote.
// Sent again at once, it would be refused again at the same instant, for ever.
//
// The grid does not follow the price: outside the ladder it holds ±levels·size
// and waits for the price to come back. On stop, every resting order is
// cancelled and what is still held is logged (it shows as unrealized PnL).
//
// step_bps is read with params.px, so it is held at 1e9 per bp (0.5 bp =
// 500_000_000) and divided by BPS_E9 = 1e4·1e9. The quote path loops over the
// levels with integer math only and allocates nothing.
import {
  Algo,
  BPS_SCALE,
  Fill,
  OrderStatus,
  OrderUpdate,
  Px,
  RejectReason,
  Qty,
  Quote,
  Rounding,
  Side,
  Tif,
  log,
  mulDiv,
  params,
  register,
  roundToTick,
} from "sequence-algo/runtime";

/** One whole basis point of a 1e9-scaled bps parameter: 10_000 bps per 1.0, times 1e9. */
const BPS_E9: i64 = BPS_SCALE * 1_000_000_000;

class Grid extends Algo {
  // Parameters (read once, when the module starts; `--param name=value` overrides them).
  /** Levels on each side of the center (the ladder has 2·levels orders). */
  levels: i32 = levelsParam(params.int("levels", 5));
  /** Distance between levels, basis points of the center at 1e9 per bp. */
  stepBps: i64 = params.px("step_bps", 100 * 1_000_000_000);
  /** Quantity of each order (qty, 1e8). */
  size: Qty = params.qty("size", Qty.fromInt(1));
  /** Price grid (USD 1e9): the center and the step are rounded onto it. */
  tick: Px = params.px("tick", Px.fromParts(0, 10_000_000));

  /** 0 until the first two-sided quote. */
  center: Px = 0;
  step: Px = 0;
  /** Per level (index i + levels): the side wanted there (Side.None = empty), and the order resting there. */
  want: StaticArray<i32> = new StaticArray<i32>(2 * this.levels + 1);
  ids: StaticArray<i64> = new StaticArray<i64>(2 * this.levels + 1);
  idSides: StaticArray<i32> = new StaticArray<i32>(2 * this.levels + 1);
  /** Per level: refused for lack of funds, not sent again until the next fill. */
  short: StaticArray<bool> = new StaticArray<bool>(2 * this.levels + 1);
  fills: i32 = 0;
  /** Set in onStop: the cancels it sends are confirmed afterwards, and must not re-arm anything. */
  stopped: bool = false;
  /** A capital was given: the account is spot, so sells are limited to what is held. */
  spot: bool = false;

  onStart(): void {
    this.spot = this.account.capital() > 0;
    if (this.stepBps <= 0) throw new Error("grid: step_bps must be > 0");
    if (this.size <= 0) throw new Error("grid: size must be > 0");
    if (this.tick <= 0) throw new Error("grid: tick must be > 0");
  }

  onQuote(q: Quote): void {
    if (q.bidPx <= 0 || q.askPx <= q.bidPx) return; // no two-sided market: keep what rests
    if (this.center == 0) this.begin(q);
    this.arm();
  }

  /** Lays out the ladder around the first mid. */
  begin(q: Quote): void {
    const n = this.levels;
    this.center = roundToTick(q.bidPx + (q.askPx - q.bidPx) / 2, this.tick, Rounding.HalfEven);
    this.step = roundToTick(mulDiv(this.center, this.stepBps, BPS_E9, Rounding.Ceil), this.tick, Rounding.Ceil);
    if (this.step < this.tick) this.step = this.tick;
    if (this.center - n * this.step <= 0) throw new Error("grid: the lowest level would be at or below zero: use fewer levels or a smaller step_bps");
    // A spot account holds nothing to sell yet: the ladder starts with its buys, and each sell comes from a buy.
    for (let i = 0; i <= 2 * n; i++) this.want[i] = i < n ? Side.Buy : i > n && !this.spot ? Side.Sell : Side.None;
    log.info(
      "grid: " + n.toString() + " buys from " + Px.toString(this.price(n - 1)) + " down to " + Px.toString(this.price(0)) +
        ", " + n.toString() + " sells from " + Px.toString(this.price(n + 1)) + " up to " + Px.toString(this.price(2 * n)) +
        ", step " + Px.toString(this.step) + ", size " + Qty.toString(this.size) +
        (this.spot ? "; a spot account: each sell is armed by a filled buy" : ""),
    );
  }

  /** Price of level index i (0 … 2·levels). */
  price(i: i32): Px {
    return this.center + (<i64>(i - this.levels)) * this.step;
  }

  /**
   * Places the wanted order on every empty level, unless it would take
   * liquidity now (it waits for a later quote) or could take |position|
   * beyond levels·size if it and every open order on its side filled.
   */
  arm(): void {
    if (this.stopped) return;
    const limit = <i64>this.levels * this.size;
    for (let i = 0; i <= 2 * this.levels; i++) {
      const side = this.want[i];
      if (side == Side.None || this.ids[i] != 0 || this.short[i]) continue;
      const px = this.price(i);
      if (side == Side.Buy) {
        if (px >= this.book.askPx || this.position + this.orders.openQty(Side.Buy) + this.size > limit) continue;
      } else {
        const unoffered = this.position - this.orders.openQty(Side.Sell);
        if (px <= this.book.bidPx || unoffered - this.size < -limit || (this.spot && unoffered < this.size)) continue;
      }
      this.ids[i] = this.place(side, px, this.size, Tif.PostOnly);
      this.idSides[i] = side;
    }
  }

  /** Level index of one of our resting orders, or −1. */
  levelOf(orderId: i64): i32 {
    for (let i = 0; i <= 2 * this.levels; i++) if (this.ids[i] == orderId) return i;
    return -1;
  }

  onFill(f: Fill): void {
    this.fills++;
    for (let k = 0; k <= 2 * this.levels; k++) this.short[k] = false; // cash and holdings moved: worth another try
    const i = this.levelOf(f.orderId);
    if (i < 0 || this.orders.indexOf(f.orderId) >= 0) return; // not ours, or partly filled: re-arm once it is done
    this.ids[i] = 0;
    this.want[i] = Side.None;
    const bought = f.side == Side.Buy;
    const j = bought ? i + 1 : i - 1;
    let next = "";
    if (j >= 0 && j <= 2 * this.levels) {
      const side = bought ? Side.Sell : Side.Buy;
      this.want[j] = side;
      // An order of the other side still resting there (after gaps and partial fills) goes first.
      if (this.ids[j] != 0 && this.idSides[j] != side) this.cancel(this.ids[j]);
      next = "; re-arming " + (bought ? "sell @ " : "buy @ ") + Px.toString(this.price(j));
    }
    log.info(
      (bought ? "bought " : "sold ") + Qty.toString(this.size) + " @ " + Px.toString(f.px) + next + "; position " + Qty.toString(this.position),
    );
    this.arm();
  }

  onOrder(u: OrderUpdate): void {
    if (u.status == OrderStatus.Accepted) return;
    // Cancelled by us, or refused (post-only that would have taken, after latency; funds): the level
    // is empty again. A cancelled level is re-armed now, with whatever side it wants; a refused one
    // on the next quote, since the same order now would be refused again at this instant.
    const i = this.levelOf(u.orderId);
    if (i >= 0) {
      this.ids[i] = 0;
      if (u.reason == RejectReason.InsufficientFunds) this.short[i] = true;
    }
    if (this.center != 0 && u.status != OrderStatus.Rejected) this.arm();
  }

  onStop(): void {
    this.stopped = true;
    const open = this.orders.count;
    this.cancelAll();
    log.info(
      "stop: " + this.fills.toString() + " fills; position " + Qty.toString(this.position) +
        (this.position == 0 ? "" : " left open (unrealized PnL)") + "; cancelling " + open.toString() + " resting orders",
    );
  }
}

function levelsParam(levels: i64): i32 {
  if (levels < 1 || levels > 100) throw new Error("grid: levels must be in 1..100");
  return <i32>levels;
}

register(new Grid());
