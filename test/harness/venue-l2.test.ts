// The venue on L2 data (DEPTH records): takers walk the book level by level,
// and a resting order's queue starts behind the size displayed at its level.
// Every fill is worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { RiskAverseQueue } from "../../harness/venue/queue.ts";
import { BUY, IOC, SELL, VenueDriver } from "./venue-driver.ts";

const CLEAR = 1;
const LAST = 2;

/** Asks 100.01 × 2, 100.02 × 3, 100.05 × 4; bids 99.99 × 5, 99.98 × 1: one snapshot at t=100. */
function withBook(driver = new VenueDriver()): VenueDriver {
  driver.depth(100, SELL, "100.01", "2", CLEAR);
  driver.depth(100, SELL, "100.02", "3");
  driver.depth(100, SELL, "100.05", "4");
  driver.depth(100, BUY, "99.99", "5", CLEAR);
  driver.depth(100, BUY, "99.98", "1", LAST);
  return driver;
}

describe("a taker on L2 data walks the book", () => {
  it("a market buy of 6 fills 2 @ 100.01, 3 @ 100.02 and 1 @ 100.05 (average 100.021666…)", () => {
    const d = withBook();
    d.place(BUY, "market", "6");
    expect(d.events).toEqual([
      "100 accepted #1 qty 600000000",
      "100 fill #1 buy 200000000 @ 100010000000 fee 0 taker",
      "100 fill #1 buy 300000000 @ 100020000000 fee 0 taker",
      "100 fill #1 buy 100000000 @ 100050000000 fee 0 taker",
    ]);
    // 2 × 100.01 + 3 × 100.02 + 1 × 100.05 = 600.13 for 6: 100.021666… a unit
    expect(d.pos).toBe(600_000_000n);
  });

  it("what was taken stays taken: a second market buy of 4 finds 3 left at 100.05 and cancels 1", () => {
    const d = withBook();
    d.place(BUY, "market", "6");
    d.place(BUY, "market", "4");
    expect(d.events.slice(4)).toEqual([
      "100 accepted #2 qty 400000000",
      "100 fill #2 buy 300000000 @ 100050000000 fee 0 taker", // 4 shown − 1 taken by #1
      "100 cancelled #2 unfillable qty 100000000", // the book is exhausted: the market order's rest is cancelled (default)
    ]);
  });

  it("a limit stops at its price: IOC buy 7 @ 100.02 fills 2 + 3 and cancels 2", () => {
    const d = withBook();
    d.place(BUY, "100.02", "7", IOC);
    expect(d.events).toEqual([
      "100 accepted #1 qty 700000000",
      "100 fill #1 buy 200000000 @ 100010000000 fee 0 taker",
      "100 fill #1 buy 300000000 @ 100020000000 fee 0 taker",
      "100 cancelled #1 unfillable qty 200000000",
    ]);
  });

  it("a delta that removes a level is seen by the next taker: sell 6 after 99.99 is gone fills 1 @ 99.98", () => {
    const d = withBook();
    d.depth(200, BUY, "99.99", "0", LAST);
    d.place(SELL, "market", "6");
    expect(d.events).toEqual([
      "200 accepted #1 qty 600000000",
      "200 fill #1 sell 100000000 @ 99980000000 fee 0 taker",
      "200 cancelled #1 unfillable qty 500000000",
    ]);
  });
});

describe("a resting order on L2 data", () => {
  it("joins behind the size displayed at its level: a bid at 99.99 (5 shown) fills only after 5 have traded there", () => {
    const d = withBook(new VenueDriver({ queue: new RiskAverseQueue() }));
    d.place(BUY, "99.99", "2");
    d.trade(300, "99.99", "3"); // 5 ahead → 2 ahead
    d.trade(400, "99.99", "3"); // 2 ahead are done; 1 of this print reaches the order
    d.trade(500, "99.99", "3"); // the order's last 1
    expect(d.events).toEqual([
      "100 accepted #1 qty 200000000",
      "400 fill #1 buy 100000000 @ 99990000000 fee 0 maker",
      "500 fill #1 buy 100000000 @ 99990000000 fee 0 maker",
    ]);
  });

  it("a level behind the touch is visible too: a bid at 99.98 (1 shown) fills after 1 has traded there", () => {
    const d = withBook(new VenueDriver({ queue: new RiskAverseQueue() }));
    d.place(BUY, "99.98", "1");
    d.trade(300, "99.98", "2"); // 1 ahead, then 1 reaches the order
    expect(d.events).toEqual(["100 accepted #1 qty 100000000", "300 fill #1 buy 100000000 @ 99980000000 fee 0 maker"]);
  });
});
