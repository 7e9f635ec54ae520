// Taker matching on L1 data, by hand: a taker never fills more than the touch
// shows, less what the algo already took there. Prices 1e9, sizes 1e8.
import { describe, expect, it } from "vitest";
import { parseMarketRemainder } from "../../harness/venue/market-remainder.ts";
import { BUY, FOK, IOC, SELL, VenueDriver } from "./venue-driver.ts";

describe("a taker against the displayed size", () => {
  it("IOC 20 against 10 shown fills 10 at the ask and cancels 10", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "5", "100.00", "10");
    d.place(BUY, "101.00", "20", IOC);
    expect(d.events).toEqual([
      "1000 accepted #1 qty 2000000000",
      "1000 fill #1 buy 1000000000 @ 100000000000 fee 0 taker",
      "1000 cancelled #1 unfillable qty 1000000000", // the update carries what was cancelled: 20 − 10
    ]);
  });

  it("FOK 20 against 10 shown is killed whole; FOK 10 fills", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "5", "100.00", "10");
    d.place(BUY, "100.00", "20", FOK);
    d.place(BUY, "100.00", "10", FOK);
    expect(d.events).toEqual([
      "1000 accepted #1 qty 2000000000",
      "1000 cancelled #1 unfillable qty 2000000000",
      "1000 accepted #2 qty 1000000000",
      "1000 fill #2 buy 1000000000 @ 100000000000 fee 0 taker",
    ]);
  });

  it("a market order's rest is cancelled by default: market sell 50 against a bid of 10 fills 10", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "10", "100.00", "5");
    d.place(SELL, "market", "50");
    expect(d.events.slice(1)).toEqual([
      "1000 fill #1 sell 1000000000 @ 99000000000 fee 0 taker",
      "1000 cancelled #1 unfillable qty 4000000000",
    ]);
    expect(d.venue.openOrderCount).toBe(0);
  });

  it("market remainder `rest`: the rest rests at the touch price and fills there as maker when new size shows", () => {
    const d = new VenueDriver({ rules: { marketRemainder: parseMarketRemainder("rest") } });
    d.quote(1000, "99.00", "5", "100.00", "10");
    d.place(BUY, "market", "50"); // 10 @ 100 taker; 40 rest as a bid at 100
    d.quote(2000, "99.00", "5", "100.00", "10"); // the same ask again: already taken, nothing fills
    d.quote(3000, "99.00", "5", "99.50", "30"); // a new level reaches the bid: 30 of 40 at the bid's own price 100
    expect(d.events).toEqual([
      "1000 accepted #1 qty 5000000000",
      "1000 fill #1 buy 1000000000 @ 100000000000 fee 0 taker",
      "3000 fill #1 buy 3000000000 @ 100000000000 fee 0 maker",
    ]);
    expect(d.venue.openOrders()).toEqual([{ order_id: 1n, side: "buy", price_1e9: 100_000_000_000n, qty_1e8: 1_000_000_000n }]);
  });

  it("market remainder `impact:10`: the rest fills at once 10 bps worse, rounded against the order", () => {
    // taker 5 bps. Buy 50: 10 @ 100.00, fee 10 × 100 × 5/10000 = $0.50.
    // The other 40 at 100 + 100 × 10/10000 = 100.10, fee 40 × 100.10 × 5/10000 = $2.002.
    // Sell 3 against the bid 99.00 × 1: 1 @ 99.00 (fee $0.0495); the other 2 at 99 − 0.099 = 98.901 (fee 2 × 98.901 × 5/10000 = $0.098901).
    const d = new VenueDriver({ rules: { marketRemainder: parseMarketRemainder("impact:10") }, takerBps: 5 });
    d.quote(1000, "99.00", "1", "100.00", "10");
    d.place(BUY, "market", "50");
    d.place(SELL, "market", "3");
    expect(d.events.filter((e) => e.includes("fill"))).toEqual([
      "1000 fill #1 buy 1000000000 @ 100000000000 fee 500000000 taker",
      "1000 fill #1 buy 4000000000 @ 100100000000 fee 2002000000 taker",
      "1000 fill #2 sell 100000000 @ 99000000000 fee 49500000 taker",
      "1000 fill #2 sell 200000000 @ 98901000000 fee 98901000 taker",
    ]);
  });

  it("two takers share one displayed level: what the first took is not offered to the second", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "5", "100.00", "10");
    d.place(BUY, "100.00", "6", IOC); // 6 of 10
    d.place(BUY, "100.00", "6", IOC); // the 4 left, 2 cancelled
    d.quote(2000, "99.00", "5", "100.00", "7"); // 3 left the data's book: of the 10 taken, 10 − 3 = 7 still count; 7 shown − 7 = 0 left
    d.place(BUY, "100.00", "1", IOC);
    d.quote(3000, "99.00", "5", "100.50", "7"); // a new price: fresh size
    d.place(BUY, "101.00", "1", IOC);
    expect(d.events.filter((e) => !e.includes("accepted"))).toEqual([
      "1000 fill #1 buy 600000000 @ 100000000000 fee 0 taker",
      "1000 fill #2 buy 400000000 @ 100000000000 fee 0 taker",
      "1000 cancelled #2 unfillable qty 200000000",
      "2000 cancelled #3 unfillable qty 100000000",
      "3000 fill #4 buy 100000000 @ 100500000000 fee 0 taker",
    ]);
  });

  it("with no quotes (trades only: size unknown) a market order fills in full at the last trade price", () => {
    const d = new VenueDriver();
    d.trade(1000, "100.00", "1");
    d.place(BUY, "market", "50");
    expect(d.events).toEqual(["1000 accepted #1 qty 5000000000", "1000 fill #1 buy 5000000000 @ 100000000000 fee 0 taker"]);
  });
});

describe("resting orders share a quote once", () => {
  it("the same ask of 3 quoted three times fills a resting bid of 10 by 3, not 9", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "5", "102.00", "5");
    d.place(BUY, "101.00", "10"); // rests: the ask is above it
    d.quote(2000, "99.00", "5", "100.50", "3");
    d.quote(3000, "99.00", "5", "100.50", "3");
    d.quote(4000, "99.00", "5", "100.50", "3");
    expect(d.events).toEqual(["1000 accepted #1 qty 1000000000", "2000 fill #1 buy 300000000 @ 101000000000 fee 0 maker"]);
  });
});

describe("bugs the issue names", () => {
  it("a quote side with a price but size 0 is absent: it does not fill a resting order of 5", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "5", "100.00", "5");
    d.place(BUY, "99.50", "5");
    d.quote(2000, "99.00", "5", "98.00", "0"); // "crossed", but the ask shows nothing
    expect(d.events).toEqual(["1000 accepted #1 qty 500000000"]);
    expect(d.venue.openOrderCount).toBe(1);
  });

  it("negative prices trade like any other: a market buy at −37.63 fills there as taker; a bid at −38.00 fills through", () => {
    const d = new VenueDriver();
    d.quote(1000, "-37.70", "5", "-37.63", "5");
    d.place(BUY, "market", "2");
    d.place(BUY, "-38.00", "1");
    d.trade(2000, "-38.10", "1"); // prints through the −38.00 bid
    expect(d.events.filter((e) => e.includes("fill"))).toEqual([
      "1000 fill #1 buy 200000000 @ -37630000000 fee 0 taker",
      "2000 fill #2 buy 100000000 @ -38000000000 fee 0 maker",
    ]);
  });

  it("a limit at price 0 is a limit, not a market order", () => {
    const d = new VenueDriver();
    d.quote(1000, "-0.50", "5", "0.25", "5");
    d.place(BUY, "0", "1"); // below the ask: rests
    expect(d.events).toEqual(["1000 accepted #1 qty 100000000"]);
    expect(d.venue.openOrders()[0].price_1e9).toBe(0n);
  });

  it("a cancel that arrives after its order filled is rejected too_late", () => {
    const d = new VenueDriver({ latencyNs: 100n });
    d.quote(1000, "99.00", "5", "100.00", "5");
    d.place(BUY, "99.50", "1"); // arrives at 1100
    d.now = 1500n;
    d.arrive(1500n);
    expect(d.cancel(1n)).toBe(1); // resting now: cancel() says yes; the cancel arrives at 1600
    d.quote(1550, "98.00", "5", "99.40", "5"); // the ask reaches the bid first
    d.arrive(1600n);
    expect(d.events).toEqual([
      "1100 accepted #1 qty 100000000",
      "1550 fill #1 buy 100000000 @ 99500000000 fee 0 maker",
      "1600 rejected #1 too_late qty 0",
    ]);
  });
});
