// momentum: a channel breakout with a stop-loss and a take-profit. Works on
// bars, one price per bar (the close, decided in onBar: e.g. the bundled S&P
// 500 daily bars; the market order fills at the next bar's open), as well as
// on ticks, where it uses every trade price.
//
//   high, low = highest and lowest of the `window` prices BEFORE this one
//               (RollingMax / RollingMin in the runtime; this price is pushed after)
//
//   flat,  price > high              → buy `size` at market        (enter long)
//   long,  price <= entry·(1 − stop) → sell the position           (stop-loss)
//   long,  price >= entry·(1 + take) → sell the position           (take-profit)
//   with allow_short, the mirror image:
//   flat,  price < low               → sell `size` at market       (enter short)
//   short, price >= entry·(1 + stop) → buy the position back       (stop-loss)
//   short, price <= entry·(1 − take) → buy the position back       (take-profit)
//
// `entry` is the entry's fill price. The exit levels are rounded outward to
// 1e-9 (a long's stop down, its take up), so comparing a price with them is the
// same as comparing it with the exact level: an exit happens exactly at the
// level, never a nanodollar early.
//
// stop_bps and take_bps are read with params.px, so they are held at 1e9 per
// bp (2.5 bp = 2_500_000_000) and divided by BPS_E9 = 1e4·1e9.
//
// Nothing is decided while an order is on its way, so the position moves only
// between 0 and ±size. Entries and exits are logged (rare events); the
// per-price path allocates nothing.
import {
  Algo,
  BPS_SCALE,
  Bar,
  Fill,
  MARKET,
  OrderStatus,
  OrderUpdate,
  Px,
  Qty,
  QTY_SCALE,
  RollingMax,
  RollingMin,
  Rounding,
  Side,
  Trade,
  Usd,
  log,
  mulDiv,
  params,
  register,
} from "sequence-algo/runtime";

/** One whole basis point of a 1e9-scaled bps parameter: 10_000 bps per 1.0, times 1e9. */
const BPS_E9: i64 = BPS_SCALE * 1_000_000_000;

/** What the order on its way is for (for its log line). */
enum Intent {
  None = 0,
  Enter = 1,
  StopLoss = 2,
  TakeProfit = 3,
}

class Momentum extends Algo {
  // Parameters (read once, when the module starts; `--param name=value` overrides them).
  /** Bars (prices) in the breakout channel. */
  window: i32 = windowParam(params.int("window", 20));
  /** Stop-loss distance from the entry, bps at 1e9 per bp. */
  stopBps: i64 = params.px("stop_bps", 500 * 1_000_000_000);
  /** Take-profit distance from the entry, bps at 1e9 per bp. */
  takeBps: i64 = params.px("take_bps", 1000 * 1_000_000_000);
  /** Order size (qty, 1e8). */
  size: Qty = params.qty("size", Qty.fromInt(1));
  /** Also take the short side on a breakdown ("--param allow_short=true"). */
  allowShort: bool = params.bool("allow_short", false);

  high: RollingMax = new RollingMax(this.window);
  low: RollingMin = new RollingMin(this.window);

  // The open position's entry and exit levels (0 when flat).
  entryPx: Px = 0;
  stopPx: Px = 0;
  takePx: Px = 0;
  // The order on its way: what it is for, and the channel level an entry broke.
  intent: Intent = Intent.None;
  broke: Px = 0;
  stops: i32 = 0;
  takes: i32 = 0;

  onStart(): void {
    if (this.stopBps <= 0 || this.stopBps >= BPS_E9) throw new Error("momentum: stop_bps must be in (0, 10000)");
    if (this.takeBps <= 0 || this.takeBps >= BPS_E9) throw new Error("momentum: take_bps must be in (0, 10000)");
    if (this.size <= 0) throw new Error("momentum: size must be > 0");
  }

  onTrade(t: Trade): void {
    if (!t.ofBar) this.step(t.px); // on bar data, onBar decides on each close
  }

  onBar(bar: Bar): void {
    this.step(bar.close);
  }

  step(px: Px): void {
    if (this.orders.count == 0) this.decide(px); // an order is on its way: wait for its fill
    this.high.push(px);
    this.low.push(px);
  }

  decide(px: Px): void {
    const pos = this.position;
    if (pos == 0) {
      if (!this.high.ready()) return; // warm-up: fewer than `window` prices before this one
      if (px > this.high.value()) this.send(Intent.Enter, this.high.value(), Side.Buy, this.size);
      else if (this.allowShort && px < this.low.value()) this.send(Intent.Enter, this.low.value(), Side.Sell, this.size);
    } else if (pos > 0) {
      if (px <= this.stopPx) this.send(Intent.StopLoss, 0, Side.Sell, pos);
      else if (px >= this.takePx) this.send(Intent.TakeProfit, 0, Side.Sell, pos);
    } else {
      if (px >= this.stopPx) this.send(Intent.StopLoss, 0, Side.Buy, -pos);
      else if (px <= this.takePx) this.send(Intent.TakeProfit, 0, Side.Buy, -pos);
    }
  }

  send(intent: Intent, broke: Px, side: Side, qty: Qty): void {
    this.intent = intent;
    this.broke = broke;
    this.place(side, MARKET, qty);
  }

  onFill(f: Fill): void {
    // `position` already includes this fill.
    if (this.intent == Intent.Enter) {
      const long = f.side == Side.Buy;
      this.entryPx = f.px;
      // Rounded outward, so `px <= stopPx` is exactly `px <= entry·(1 − stop)` (and so on).
      const down = long ? BPS_E9 - this.stopBps : BPS_E9 - this.takeBps;
      const up = long ? BPS_E9 + this.takeBps : BPS_E9 + this.stopBps;
      const below = mulDiv(f.px, down, BPS_E9, Rounding.Floor);
      const above = mulDiv(f.px, up, BPS_E9, Rounding.Ceil);
      this.stopPx = long ? below : above;
      this.takePx = long ? above : below;
      log.info(
        (long ? "enter long " : "enter short ") + Qty.toString(f.qty) + " @ " + Px.toString(f.px) +
          (long ? " (above the " : " (below the ") + this.window.toString() + "-bar " + (long ? "high " : "low ") +
          Px.toString(this.broke) + "); stop " + Px.toString(this.stopPx) + ", take " + Px.toString(this.takePx),
      );
    } else if (this.position == 0) {
      // The round trip just closed, before fees: (exit − entry)·qty for a long.
      const long = f.side == Side.Sell;
      const diff = long ? f.px - this.entryPx : this.entryPx - f.px;
      const pnl: Usd = mulDiv(diff, f.qty, QTY_SCALE);
      const stop = this.intent == Intent.StopLoss;
      if (stop) this.stops++;
      else this.takes++;
      log.info(
        (stop ? "stop-loss: " : "take-profit: ") + (long ? "exit long " : "exit short ") + Qty.toString(f.qty) + " @ " +
          Px.toString(f.px) + ", pnl " + Usd.toString(pnl),
      );
      this.entryPx = 0;
      this.stopPx = 0;
      this.takePx = 0;
    }
    if (this.orders.count == 0) this.intent = Intent.None;
  }

  onOrder(u: OrderUpdate): void {
    if (u.status != OrderStatus.Rejected) return;
    log.warn("order " + u.orderId.toString() + " rejected (reason " + (<i32>u.reason).toString() + "); deciding again on the next price");
    this.intent = Intent.None;
  }

  onStop(): void {
    if (this.orders.count > 0) this.cancelAll(); // only a market order still on its way (latency)
    let held = "flat";
    if (this.position != 0)
      held =
        (this.position > 0 ? "still long " : "still short ") + Qty.toString(this.position > 0 ? this.position : -this.position) +
        " from " + Px.toString(this.entryPx) + " (stop " + Px.toString(this.stopPx) + ", take " + Px.toString(this.takePx) +
        "), reported as unrealized PnL";
    log.info("stop: " + this.stops.toString() + " stop-losses, " + this.takes.toString() + " take-profits; " + held);
  }
}

function windowParam(window: i64): i32 {
  if (window < 1 || window > 1_000_000) throw new Error("momentum: window must be in 1..1000000");
  return <i32>window;
}

register(new Momentum());
