// The L2 book on its own, worked by hand: levels kept from DEPTH records, a
// taker walking the book level by level, and where a resting order's queue starts.
import { describe, expect, it } from "vitest";
import { L2Book } from "../../harness/venue/l2-book.ts";

const BID = 1;
const ASK = 2;
const BUY = 1; // a taker side: a buy walks the asks
const SELL = 2;
const CLEAR = 1;
const LAST = 2;
const px = (cents: number) => BigInt(cents) * 10_000_000n; // price_1e9 from cents
const qty = (units: number) => BigInt(units) * 100_000_000n; // qty_1e8 from whole units

/** bids 100.00×5, 99.99×1; asks 100.01×2, 100.02×3, 100.05×4 (a snapshot, given out of order). */
function book(): L2Book {
  const b = new L2Book();
  b.apply(BID, CLEAR, px(9999), qty(1));
  b.apply(BID, 0, px(10000), qty(5));
  b.apply(ASK, CLEAR, px(10005), qty(4));
  b.apply(ASK, 0, px(10001), qty(2));
  b.apply(ASK, LAST, px(10002), qty(3));
  return b;
}

describe("L2Book", () => {
  it("keeps each side best first and applies deltas, removals and clears", () => {
    const b = book();
    expect([b.bids.px(0), b.bids.px(1), b.bids.count]).toEqual([px(10000), px(9999), 2]);
    expect([b.asks.px(0), b.asks.px(1), b.asks.px(2), b.asks.count]).toEqual([px(10001), px(10002), px(10005), 3]);
    expect(b.asks.sizeAt(px(10002))).toBe(qty(3));
    expect(b.asks.sizeAt(px(10003))).toBe(0n);
    // a delta: a new level between two, a size change, a removal, and removing a level that is not there
    expect(b.apply(ASK, 0, px(10003), qty(7))).toBe(0n);
    expect(b.apply(ASK, 0, px(10001), qty(1))).toBe(qty(2));
    expect(b.apply(BID, 0, px(9999), 0n)).toBe(qty(1));
    expect(b.apply(BID, LAST, px(9000), 0n)).toBe(0n);
    expect([b.asks.px(0), b.asks.qty(0), b.asks.px(1), b.asks.px(2), b.asks.px(3)]).toEqual([px(10001), qty(1), px(10002), px(10003), px(10005)]);
    expect(b.bids.count).toBe(1);
    expect(b.crossed()).toBe(false);
    b.apply(BID, 0, px(10001), qty(1));
    expect(b.crossed()).toBe(true);
    // a clear starts the side again
    b.apply(ASK, CLEAR | LAST, 0n, 0n);
    expect(b.asks.count).toBe(0);
    expect(b.crossed()).toBe(false);
  });

  it("walks a taker buy through three levels: 6 = 2 @ 100.01 + 3 @ 100.02 + 1 @ 100.05", () => {
    const s = book().sweep(BUY, qty(6));
    expect(s.levels).toEqual([
      { px: px(10001), qty: qty(2) },
      { px: px(10002), qty: qty(3) },
      { px: px(10005), qty: qty(1) },
    ]);
    expect(s.filled).toBe(qty(6));
    // notional 2 × 100.01 + 3 × 100.02 + 1 × 100.05 = 200.02 + 300.06 + 100.05 = $600.13, at 1e17
    expect(s.notional_1e17).toBe(60_013n * 10n ** 15n);
    // average 600.13 / 6 = 100.021666…; at 1e9 rounded down: 100.021666666
    expect(s.notional_1e17 / s.filled).toBe(100_021_666_666n);
    // slippage against the touch: 100.021666666 − 100.01 = 0.011666666 per unit
    expect(s.notional_1e17 / s.filled - px(10001)).toBe(11_666_666n);
  });

  it("stops a limit order at its price and a sell at the end of the bids", () => {
    // buy 10 limit 100.02: 2 @ 100.01 + 3 @ 100.02; 100.05 is beyond the limit
    const limited = book().sweep(BUY, qty(10), px(10002));
    expect(limited.filled).toBe(qty(5));
    expect(limited.levels.map((l) => l.px)).toEqual([px(10001), px(10002)]);
    // 2 × 100.01 + 3 × 100.02 = 500.08
    expect(limited.notional_1e17).toBe(50_008n * 10n ** 15n);
    // market sell 7 against bids 5 @ 100.00 + 1 @ 99.99: only 6 are shown
    const sell = book().sweep(SELL, qty(7));
    expect(sell.filled).toBe(qty(6));
    // 5 × 100.00 + 1 × 99.99 = 599.99
    expect(sell.notional_1e17).toBe(59_999n * 10n ** 15n);
    // a sell limit above the best bid takes nothing; the book is unchanged by walking
    expect(book().sweep(SELL, qty(1), px(10001)).filled).toBe(0n);
    const b = book();
    b.sweep(BUY, qty(6));
    expect(b.asks.qty(0)).toBe(qty(2));
  });

  it("puts a resting order behind the displayed size at its level", () => {
    // The venue starts a resting order's queue at displayedAt(its side, its price).
    const b = book();
    expect(b.displayedAt(BID, px(10000))).toBe(qty(5)); // joins the best bid's queue: 5 ahead
    expect(b.displayedAt(BID, px(9999))).toBe(qty(1)); // a level behind the touch is visible too
    expect(b.displayedAt(ASK, px(10002))).toBe(qty(3));
    expect(b.displayedAt(BID, px(9998))).toBe(0n); // a price with no level: first in line
    expect(b.displayedAt(BID, px(10001))).toBe(0n); // improving the touch: first in line
    b.apply(BID, LAST, px(10000), qty(4));
    expect(b.displayedAt(BID, px(10000))).toBe(qty(4)); // what is displayed when the order arrives
  });

  it("does not offer again what the algo took, while the level lasts", () => {
    const b = book();
    // the venue fills a market buy of 6 and takes what it walked: 2 @ 100.01, 3 @ 100.02, 1 @ 100.05
    for (const l of b.sweep(BUY, qty(6)).levels) b.take(ASK, l.px, l.qty);
    // the data still shows 100.01×2 and 100.02×3, but only 100.05 has size left: 4 − 1 = 3
    expect(b.asks.qty(0)).toBe(qty(2));
    expect([b.present(ASK), b.bestPx(ASK), b.bestQty(ASK)]).toEqual([true, px(10001), 0n]);
    const again = b.sweep(BUY, qty(6));
    expect(again.levels).toEqual([{ px: px(10005), qty: qty(3) }]);
    // the data's 100.05 level shrinks 4 → 3: that 1 is taken to be the algo's own fill leaving, so 3 are left
    b.apply(ASK, LAST, px(10005), qty(3), 7n);
    expect(b.sweep(BUY, qty(6)).filled).toBe(qty(3));
    expect(b.updatedAt(ASK)).toBe(7n);
    // a snapshot showing 100.01 at 2 again keeps it taken; 100.02 grown to 5 offers 5 − 3 = 2;
    // 100.05 not shown again is gone, and a new 100.06 is fresh
    b.apply(ASK, CLEAR, px(10001), qty(2), 8n);
    b.apply(ASK, 0, px(10002), qty(5), 8n);
    b.apply(ASK, LAST, px(10006), qty(1), 8n);
    expect(b.sweep(BUY, qty(9)).levels).toEqual([
      { px: px(10002), qty: qty(2) },
      { px: px(10006), qty: qty(1) },
    ]);
    // the level leaves and comes back: nothing is remembered
    b.apply(ASK, 0, px(10001), 0n);
    b.apply(ASK, LAST, px(10001), qty(2));
    expect(b.bestQty(ASK)).toBe(qty(2));
    expect(b.present(BID)).toBe(true);
    b.apply(BID, CLEAR | LAST, 0n, 0n);
    expect([b.present(BID), b.bestQty(BID)]).toEqual([false, 0n]);
  });
});
