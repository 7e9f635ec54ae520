// An edge's engines take the venue settings a backtest takes (one type, harness/venue/settings.ts):
// dev.json's fees and latency for a venue build the same venue as `algo backtest`'s flags with those values.
import { describe, expect, it } from "vitest";
import { engineSettings } from "../../src/cli/backtest-settings.ts";
import { edgeVenueSettings } from "../../src/dev/edges.ts";
import { venueModels, type VenueModels } from "../../harness/venue/settings.ts";
import { SimulatedVenue, type VenueListener } from "../../harness/venue/venue.ts";

/** The report's `venue` for these models. */
function described(m: VenueModels): Record<string, string> {
  return new SimulatedVenue(m.fees, m.latency, {} as VenueListener, m.queue, m.venueRules).describe();
}

describe("an edge's venue settings", () => {
  const config = { fees: { coinbase: { maker_bps: 0.07, taker_bps: 40 }, kraken: { maker_bps: -1, taker_bps: 5 } }, latencyNs: { coinbase: 2_000_000n } };

  it("are dev.json's fees and order entry latency, the rest at a backtest's defaults", () => {
    const coinbase = described(venueModels(edgeVenueSettings(config, "coinbase")));
    expect(coinbase).toEqual({
      maker_bps: "0.07", taker_bps: "40",
      latency: "constant", feed_latency: "0", entry_latency: "2000000", response_latency: "0", order_entry_ns: "2000000",
      queue: "through",
    });
    // The same venue as `algo backtest --maker-bps 0.07 --taker-bps 40 --entry-latency 2000000`.
    expect(described(engineSettings({ makerBps: "0.07", takerBps: "40", entryLatency: "2000000" }))).toEqual(coinbase);
  });

  it("a venue without a latency_ns entry has none", () => {
    expect(described(venueModels(edgeVenueSettings(config, "kraken")))).toMatchObject({ maker_bps: "-1", taker_bps: "5", entry_latency: "0", latency: "constant" });
  });
});

describe("venueModels", () => {
  it("builds every setting a backtest has: seeded latency, the prob queue, instrument rules, stale book", () => {
    const m = venueModels({
      makerBps: "-0.5", takerBps: "2.5", feedLatency: "uniform:100:300", entryLatency: "250000", seed: "7", queue: "prob",
      marketRemainder: "impact:10", instrument: "tick=0.01,lot=0.001", instrumentFrom: "the test", staleNs: "5000", refuseStale: true,
    });
    expect(m.latency.delaysAlgo).toBe(true);
    expect(described(m)).toMatchObject({
      maker_bps: "-0.5", taker_bps: "2.5",
      latency: "seeded", feed_latency: "uniform:100:300", entry_latency: "250000", response_latency: "0", latency_seed: "7",
      queue: "prob",
      tick_1e9: "10000000", lot_1e8: "100000", instrument_from: "the test",
      market_remainder: "impact:10", stale_ns: "5000", refuse_stale: "true",
    });
  });

  it("refuses a queue model it does not know, naming the choices", () => {
    expect(() => venueModels({ makerBps: "0", takerBps: "0", queue: "sometimes" })).toThrow(/queue model sometimes: expected one of through, risk-averse, prob/);
    expect(() => venueModels({ makerBps: "0", takerBps: "0", queue: "toString" })).toThrow(RangeError);
  });
});
