// mean-reversion: trades the z-score of the last price against its own
// rolling mean and standard deviation. Works on bars (one price per bar, the
// close, decided in onBar: e.g. the bundled S&P 500 daily bars; the market
// order then fills at the next bar's open) as well as on ticks (every trade).
//
//   z = (price − mean of the last `window` prices) / population std of them
//       (the window includes the price itself; RollingZScore in the runtime)
//
//   flat,  z < −entry_z                 → buy `size` at market   (enter long)
//   (an entry also needs the price at least min_edge_bps away from the mean:
//    the move back to it must pay the round trip's two taker fees)
//   long,  z > −exit_z                  → sell the position      (exit)
//   with allow_short, symmetrically:
//   flat,  z > +entry_z                 → sell `size` at market  (enter short)
//   short, z < +exit_z                  → buy the position back  (exit)
//
// z-scores are fixed point at 1e9 (Z_SCALE): 2.0 = 2_000_000_000. entry_z and
// exit_z are read with params.px, which uses the same scale, so
// "--param entry_z=1.5" gives 1_500_000_000.
//
// Nothing is decided while an order is still open (between sending a market
// order and its fill), so the position only ever moves between 0 and ±size.
// Each entry and exit is logged (a rare event); the per-price path allocates nothing.
import {
  Algo,
  BPS_SCALE,
  Bar,
  Fill,
  OrderStatus,
  OrderUpdate,
  Px,
  Qty,
  QTY_SCALE,
  RollingZScore,
  Side,
  Trade,
  Usd,
  Z_SCALE,
  formatFixed,
  log,
  mulDiv,
  params,
  register,
} from "sequence-algo/runtime";

class MeanReversion extends Algo {
  /** Bars (prices) in the rolling window. */
  window: i32 = windowParam(params.int("window", 20));
  /** Enter when |z| exceeds this (z at 1e9: 2.0 = 2_000_000_000). */
  entryZ: i64 = params.px("entry_z", 2 * Z_SCALE);
  /** Exit when z comes back inside ±exit_z (z at 1e9). */
  exitZ: i64 = params.px("exit_z", Z_SCALE / 2);
  /** Order size (qty, 1e8). */
  size: Qty = params.qty("size", Qty.fromInt(1));
  /** Also take the short side ("--param allow_short=true"). */
  allowShort: bool = params.bool("allow_short", false);
  /**
   * Enter only when the price is at least this far from its rolling mean, bps of
   * the price at 1e9 per bp: the move back must pay two taker fees. 120 = twice
   * the highest taker fee in `algo dev`'s default schedule (60 bps); 0 = off.
   */
  minEdgeBps: i64 = params.px("min_edge_bps", Px.fromInt(120));

  zscore: RollingZScore = new RollingZScore(this.window);

  // What the open order is for, for the log line when it fills.
  signalZ: i64 = 0;
  entryPx: Px = 0;

  onStart(): void {
    if (this.entryZ <= 0) throw new Error("mean-reversion: entry_z must be > 0");
    if (this.exitZ < 0 || this.exitZ > this.entryZ) throw new Error("mean-reversion: exit_z must be in 0..entry_z");
    if (this.size <= 0) throw new Error("mean-reversion: size must be > 0");
    if (this.minEdgeBps < 0) throw new Error("mean-reversion: min_edge_bps must be >= 0");
  }

  onTrade(t: Trade): void {
    if (!t.ofBar) this.decide(t.px); // on bar data, onBar decides on each close
  }

  onBar(bar: Bar): void {
    this.decide(bar.close);
  }

  decide(px: Px): void {
    this.zscore.push(px);
    if (!this.zscore.ready()) return; // warm-up: fewer than `window` prices so far
    if (this.orders.count > 0) return; // an order is on its way: wait for its fill
    const z = this.zscore.value();
    const pos = this.position;
    if (pos == 0) {
      if (!this.paysFees(px)) return; // too close to the mean: the way back would not pay the fees
      if (z < -this.entryZ) {
        this.signalZ = z;
        this.buy(this.size);
      } else if (this.allowShort && z > this.entryZ) {
        this.signalZ = z;
        this.sell(this.size);
      }
    } else if (pos > 0) {
      if (z > -this.exitZ) {
        this.signalZ = z;
        this.sell(pos);
      }
    } else if (z < this.exitZ) {
      this.signalZ = z;
      this.buy(-pos);
    }
  }

  /** |mean − px| in bps of px (1e9 per bp) is at least min_edge_bps. */
  paysFees(px: Px): bool {
    if (px <= 0) return false;
    const mean = this.zscore.mean();
    return mulDiv(mean > px ? mean - px : px - mean, BPS_SCALE * 1_000_000_000, px) >= this.minEdgeBps;
  }

  onFill(f: Fill): void {
    // `position` already includes this fill.
    const buy = f.side == Side.Buy;
    const z = formatFixed(this.signalZ / 1_000_000, 3); // z to 3 decimals, truncated
    if (this.position != 0) {
      this.entryPx = f.px;
      log.info((buy ? "enter long " : "enter short ") + Qty.toString(f.qty) + " @ " + Px.toString(f.px) + " (z " + z + ")");
    } else {
      // PnL of the round trip just closed, before fees: (exit − entry)·qty for a long.
      const diff = buy ? this.entryPx - f.px : f.px - this.entryPx;
      const pnl = mulDiv(diff, f.qty, QTY_SCALE);
      log.info((buy ? "exit short " : "exit long ") + Qty.toString(f.qty) + " @ " + Px.toString(f.px) + " (z " + z + "), pnl " + Usd.toString(pnl));
    }
  }

  onOrder(u: OrderUpdate): void {
    if (u.status == OrderStatus.Rejected) log.warn("order " + u.orderId.toString() + " rejected (reason " + (<i32>u.reason).toString() + ")");
  }

  onStop(): void {
    if (this.position != 0) log.info("stop: still holding " + Qty.toString(this.position) + " (reported as unrealized PnL)");
  }
}

function windowParam(window: i64): i32 {
  if (window < 2 || window > 1_000_000) throw new Error("mean-reversion: window must be in 2..1000000");
  return <i32>window;
}

register(new MeanReversion());
