// The venue's rules, by hand: reduce-only, the instrument spec, stale books.
import { describe, expect, it } from "vitest";
import { parseInstrument } from "../../harness/venue/instrument.ts";
import { BUY, GTC, IOC, REDUCE_ONLY, SELL, VenueDriver } from "./venue-driver.ts";

describe("reduce-only orders", () => {
  it("are refused when flat or on the side that would grow the position, and trimmed to the position when larger", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "10", "100.00", "10");
    d.place(SELL, "market", "1", GTC | REDUCE_ONLY); // flat: refused
    d.place(BUY, "market", "2"); // long 2
    d.place(BUY, "market", "1", GTC | REDUCE_ONLY); // a buy would grow a long: refused
    d.place(SELL, "market", "5", GTC | REDUCE_ONLY); // trimmed to 2, fills 2 @ 99
    expect(d.events).toEqual([
      "1000 rejected #1 reduce_only qty 100000000",
      "1000 accepted #2 qty 200000000",
      "1000 fill #2 buy 200000000 @ 100000000000 fee 0 taker",
      "1000 rejected #3 reduce_only qty 100000000",
      "1000 accepted #4 qty 200000000",
      "1000 fill #4 sell 200000000 @ 99000000000 fee 0 taker",
    ]);
    expect(d.pos).toBe(0n);
  });

  it("a resting reduce-only order fills only what still reduces, then is cancelled reduce_only", () => {
    const d = new VenueDriver();
    d.quote(1000, "99.00", "10", "100.00", "10");
    d.place(BUY, "market", "3"); // long 3
    d.place(SELL, "101.00", "3", GTC | REDUCE_ONLY); // rests: an offer of 3
    d.place(SELL, "market", "2"); // long 1 now
    d.quote(2000, "101.50", "10", "102.00", "10"); // the bid reaches the offer: only 1 still reduces
    expect(d.events.slice(3)).toEqual([
      "1000 accepted #3 qty 200000000",
      "1000 fill #3 sell 200000000 @ 99000000000 fee 0 taker",
      "2000 fill #2 sell 100000000 @ 101000000000 fee 0 maker",
      "2000 cancelled #2 reduce_only qty 200000000",
    ]);
    expect(d.pos).toBe(0n);
    expect(d.venue.openOrderCount).toBe(0);
  });
});

describe("instrument spec", () => {
  const rules = { instrument: parseInstrument("tick=0.01,lot=0.001,min_notional=10") };

  it("refuses off-tick prices, off-lot sizes and small orders, each with its reason", () => {
    const d = new VenueDriver({ rules });
    d.quote(1000, "99.00", "10", "100.00", "10");
    d.place(BUY, "98.005", "1"); // 98.005 / 0.01 is not whole
    d.place(BUY, "98.00", "0.0005"); // 0.0005 / 0.001 is not whole
    d.place(BUY, "98.00", "0.1"); // 98 × 0.1 = $9.80 < $10
    d.place(BUY, "market", "0.099"); // at the ask: 100 × 0.099 = $9.90 < $10
    d.place(BUY, "-98.00", "0.103"); // |−98| × 0.103 = $10.094: allowed (a limit, rests)
    d.place(BUY, "market", "0.1"); // 100 × 0.1 = $10: allowed
    expect(d.events.filter((e) => !e.includes("fill"))).toEqual([
      "1000 rejected #1 tick_size qty 100000000",
      "1000 rejected #2 lot_size qty 50000",
      "1000 rejected #3 min_notional qty 10000000",
      "1000 rejected #4 min_notional qty 9900000",
      "1000 accepted #5 qty 10300000",
      "1000 accepted #6 qty 10000000",
    ]);
  });

  it("parses --instrument values and names what is wrong", () => {
    expect(parseInstrument("lot=0.5")).toEqual({ tickPx: 0n, lotQty: 50_000_000n, minNotional: 0n });
    expect(() => parseInstrument("tick=0")).toThrow(/tick: expected a value > 0/);
    expect(() => parseInstrument("tik=0.01")).toThrow(/"tik=0.01": expected tick=<price>, lot=<qty> or min_notional=<usd>/);
    expect(() => parseInstrument("tick=abc")).toThrow(/tick: expected a decimal number/);
  });
});

describe("stale books", () => {
  it("counts a taker fill against a quote older than --stale-ns, and refuses it with --refuse-stale", () => {
    for (const refuseStale of [false, true]) {
      const d = new VenueDriver({ rules: { staleNs: 1000n, refuseStale } });
      d.quote(1000, "99.00", "10", "100.00", "10");
      d.now = 2000n; // 1000 ns after the quote: not older than the threshold
      d.place(BUY, "market", "1", IOC);
      d.now = 2001n; // 1001 ns: stale
      d.place(BUY, "market", "1", IOC);
      d.place(BUY, "99.00", "1"); // rests: takes nothing, so staleness does not matter
      expect(d.venue.staleFills).toBe(refuseStale ? 0 : 1);
      expect(d.events.filter((e) => e.startsWith("2001") && !e.includes("#3"))).toEqual(
        refuseStale
          ? ["2001 rejected #2 stale_book qty 100000000"]
          : ["2001 accepted #2 qty 100000000", "2001 fill #2 buy 100000000 @ 100000000000 fee 0 taker"],
      );
      expect(d.events).toContain("2001 accepted #3 qty 100000000");
    }
  });
});
