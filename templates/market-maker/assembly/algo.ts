// market-maker: rests one bid and one ask around the mid, and leaves them
// resting while the market comes toward them.
//
//   bid = floor_to_tick(mid − mid·half_spread_bps/1e4 − skew)      (the DESIRED prices)
//   ask =  ceil_to_tick(mid + mid·half_spread_bps/1e4 − skew)
//   skew = mid · skew_bps/1e4 · position   (position in whole units; long → both quotes move down)
//
// Re-quote rule ("sticky" quotes), on every quote update, per side:
//   - no quote rests on the side            → place one at the desired price;
//   - the desired price has moved AWAY from the resting quote by more than
//     slack = mid·requote_bps/1e4 (bid: desired − resting > slack;
//     ask: resting − desired > slack)       → cancel it and place one at the desired price;
//   - otherwise (the desired price is within slack of it, or the market has
//     come TOWARD it)                        → leave it resting.
// So a quote trails the market by at most half_spread + requote_bps, and waits
// where it is when the market moves its way: it fills when the market has moved
// about half_spread_bps toward it. (A quote that re-centred on every mid change
// would sit half_spread_bps away forever and only fill on a jump that size.)
//
// half_spread_bps, requote_bps and skew_bps accept decimals ("--param half_spread_bps=0.5").
// They are read with params.px, so the algo holds them at 1e9 per bp
// (0.5 bp = 500_000_000) and divides by BPS_E9 = 1e4·1e9.
//
// Orders are post-only, so every fill is a maker fill. A side is not quoted
// when a new order there could take |position| beyond max_position, counting
// every order still open on that side (including ones being cancelled), so the
// limit holds even if all of them fill. Everything is cancelled on stop.
//
// With a capital (`--capital`: a spot account, no shorting, no credit) the
// ask also needs what is held and not already offered, and the bid the cash
// to pay for every open buy at its price with the venue's fee
// (this.account.maxBuyQty): so the venue does not refuse quote after quote
// for lack of funds.
//
// The per-quote path allocates nothing: integer math only, no strings.
import {
  Algo,
  BPS_SCALE,
  OrderStatus,
  OrderUpdate,
  Px,
  Qty,
  QTY_SCALE,
  Quote,
  RejectReason,
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

class MarketMaker extends Algo {
  // Parameters (read once, when the module starts; `--param name=value` overrides them).
  /**
   * Distance of a new quote from the mid, basis points of the mid at 1e9 per bp (0 = as
   * close as the grid allows). A fill earns little against the mid of its moment; a round
   * trip (buy, then sell once the market comes back) earns about this and pays the maker fee
   * twice, so set at least twice your fee. 40 = the highest maker fee in `algo dev`'s default
   * schedule, whose synthetic data moves a few bps an hour: there these quotes never fill.
   */
  halfSpreadBps: i64 = params.px("half_spread_bps", Px.fromInt(40));
  /**
   * How far (bps of the mid, 1e9 per bp) the desired price may move away from a resting
   * quote before it is cancelled and placed again; a move toward it never replaces it.
   * Larger: fewer orders, quotes up to this much further out (0 = follow every move away).
   */
  requoteBps: i64 = params.px("requote_bps", Px.fromInt(10));
  /** Size of each quote (qty, 1e8). */
  size: Qty = params.qty("size", Qty.fromInt(1));
  /** Inventory limit (qty, 1e8): |position| never exceeds it. */
  maxPosition: Qty = params.qty("max_position", Qty.fromInt(5));
  /** Quotes move against the inventory by this many bps of the mid per 1.0 unit of position, 1e9 per bp (0 = off). */
  skewBps: i64 = params.px("skew_bps", 0);
  /** Price grid (USD 1e9): bids are rounded down onto it, asks up. */
  tick: Px = params.px("tick", Px.fromParts(0, 10_000_000));

  // Our live quote on each side: order id and price (0 = none).
  bidId: i64 = 0;
  bidPx: Px = 0;
  askId: i64 = 0;
  askPx: Px = 0;
  /** Orders the venue refused (post-only that would have taken, after latency). */
  rejects: i64 = 0;
  /** A capital was given: a spot account (see the top of the file). */
  spot: bool = false;

  onStart(): void {
    this.spot = this.account.capital() > 0;
    if (this.halfSpreadBps < 0) throw new Error("market-maker: half_spread_bps must be >= 0");
    if (this.requoteBps < 0) throw new Error("market-maker: requote_bps must be >= 0");
    if (this.size <= 0) throw new Error("market-maker: size must be > 0");
    if (this.maxPosition < this.size) throw new Error("market-maker: max_position must be >= size");
    if (this.skewBps < 0) throw new Error("market-maker: skew_bps must be >= 0");
    if (this.tick <= 0) throw new Error("market-maker: tick must be > 0");
  }

  onQuote(q: Quote): void {
    const bestBid = q.bidPx;
    const bestAsk = q.askPx;
    if (bestBid <= 0 || bestAsk <= 0 || bestAsk <= bestBid) return; // no two-sided market: keep what rests

    // Forget quotes that are gone (filled in full, rejected, or cancelled).
    if (this.bidId != 0 && this.orders.indexOf(this.bidId) < 0) {
      this.bidId = 0;
      this.bidPx = 0;
    }
    if (this.askId != 0 && this.orders.indexOf(this.askId) < 0) {
      this.askId = 0;
      this.askPx = 0;
    }

    const mid = bestBid + (bestAsk - bestBid) / 2;
    // Rounded up and at least one unit, so bid < ask always; with 0 the quotes
    // join the touch when the spread is one tick and improve it when wider.
    let half = mulDiv(mid, this.halfSpreadBps, BPS_E9, Rounding.Ceil);
    if (half < 1) half = 1;
    const skew = this.skewBps == 0 ? 0 : mulDiv(mulDiv(mid, this.skewBps, BPS_E9), this.position, QTY_SCALE);

    let bid = roundToTick(mid - half - skew, this.tick, Rounding.Floor);
    let ask = roundToTick(mid + half - skew, this.tick, Rounding.Ceil);
    // Post-only would be rejected on touching the other side: stay one grid step inside.
    if (bid >= bestAsk) bid = roundToTick(bestAsk - 1, this.tick, Rounding.Floor);
    if (ask <= bestBid) ask = roundToTick(bestBid + 1, this.tick, Rounding.Ceil);

    // Sticky: replace a resting quote only when the desired price has moved away from it
    // (bid: up, ask: down) by more than the slack; never when the market comes toward it.
    const slack = mulDiv(mid, this.requoteBps, BPS_E9);
    if (this.bidId == 0 || bid - this.bidPx > slack) {
      if (this.bidId != 0) {
        this.cancel(this.bidId);
        this.bidId = 0;
        this.bidPx = 0;
      }
      // Worst case every open buy fills: the position must still be within the limit.
      const buying = this.orders.openQty(Side.Buy) + this.size;
      // Spot: the cash must pay for every open buy as if at this bid, with its fee (maxBuyQty).
      if (bid > 0 && this.position + buying <= this.maxPosition && (!this.spot || buying <= this.account.maxBuyQty(bid))) {
        this.bidId = this.buy(this.size, bid, Tif.PostOnly);
        this.bidPx = bid;
      }
    }
    if (this.askId == 0 || this.askPx - ask > slack) {
      if (this.askId != 0) {
        this.cancel(this.askId);
        this.askId = 0;
        this.askPx = 0;
      }
      const floor = this.spot ? 0 : -this.maxPosition; // spot: sell only what is held
      if (this.position - this.orders.openQty(Side.Sell) - this.size >= floor) {
        this.askId = this.sell(this.size, ask, Tif.PostOnly);
        this.askPx = ask;
      }
    }
  }

  onOrder(u: OrderUpdate): void {
    // With zero latency a post-only quote never crosses. With latency the book can move
    // before the order arrives and the venue refuses it (would take): not rare then, so
    // count here and log once at the end. The next quote update places a fresh one.
    // (TooLate answers a cancel that lost the race with a fill: no order was refused.)
    if (u.status == OrderStatus.Rejected && u.reason != RejectReason.TooLate) this.rejects++;
  }

  onStop(): void {
    this.cancelAll();
    log.info("stop: position " + Qty.toString(this.position) + ", cancelling " + this.orders.count.toString() + " open orders");
    if (this.rejects > 0) log.warn(this.rejects.toString() + " orders were rejected by the venue (see the report's rejected counts)");
  }
}

register(new MarketMaker());
