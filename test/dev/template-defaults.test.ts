// The templates' default parameters against what `algo dev` replays by
// default: its synthetic data for each edge hosting ETH-USD and its default fee
// schedule (src/dev/config.ts). With the defaults, the market maker quotes at
// least the venue's maker fee away from the mid, the mean reversion enters
// only when the way back to the mean pays two taker fees, and neither loses
// money to fees. The old defaults (a half spread of 0, no minimum edge) lost
// thousands of dollars an hour in fees on coinbase while earning cents; the
// contrast runs below show the test tells the two apart. The grid's step
// pays two maker fees, so it never trades at a loss to fees; the twap works
// its parent passively, so it pays well under what slicing at market would.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { BpsFees, compileAlgo, Params, runBacktest, type BacktestResult, type CompiledAlgo } from "../../src/index.ts";
import { DEFAULT_FEES, DEFAULT_VENUES } from "../../src/dev/config.ts";
import { edgeData } from "../../src/dev/data.ts";
import { EdgeMap } from "../../src/dev/edges.ts";

const SYMBOL = "ETH-USD";
const EDGES = new EdgeMap(DEFAULT_VENUES).edgesFor(SYMBOL);
const VENUES = EDGES.map((e) => e.venue);
/** Any epoch: synthetic prices do not depend on it. */
const EPOCH_NS = 1_767_225_600_000_000_000n;

const templates: Record<string, CompiledAlgo> = {};

beforeAll(async () => {
  for (const name of ["market-maker", "mean-reversion", "grid", "twap"]) {
    templates[name] = await compileAlgo(fileURLToPath(new URL(`../../templates/${name}/assembly/algo.ts`, import.meta.url)));
  }
}, 120_000);

/** One loop of the edge's default data (an hour of edge time), with the venue's default fees. */
async function onEdge(template: string, venue: string, params: string[] = []): Promise<BacktestResult> {
  const data = edgeData(EDGES.find((e) => e.venue === venue)!, undefined, EPOCH_NS);
  const fees = DEFAULT_FEES[venue]!;
  const { result } = await runBacktest({
    module: templates[template]!.module,
    source: await data.open(),
    params: Params.parse(params),
    fees: new BpsFees(fees.maker_bps, fees.taker_bps),
  });
  return result;
}

/** A decimal param as the report prints it ("40", "0.5") → bps at 1e9. */
const bpsE9 = (text: string) => {
  const [whole, frac = ""] = text.split(".");
  return BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, "0") || "0");
};

describe("template defaults on algo dev's default data and fees", () => {
  it.each(VENUES)("market-maker on %s: quotes at least the maker fee from the mid and pays no fee it did not earn", async (venue) => {
    const r = await onEdge("market-maker", venue);
    expect(r.params.half_spread_bps.default).toBe(true);
    expect(bpsE9(r.params.half_spread_bps.value)).toBeGreaterThanOrEqual(BigInt(DEFAULT_FEES[venue]!.maker_bps) * 1_000_000_000n);
    expect(r.orders.placed).toBeGreaterThan(0);
    expect(r.pnl.net_pnl_1e9).toBeGreaterThanOrEqual(0n);
  }, 60_000);

  it.each(VENUES)("mean-reversion on %s: enters only when the way back pays two taker fees, and loses nothing to fees", async (venue) => {
    const r = await onEdge("mean-reversion", venue);
    expect(r.params.min_edge_bps.default).toBe(true);
    expect(bpsE9(r.params.min_edge_bps.value)).toBeGreaterThanOrEqual(2n * BigInt(DEFAULT_FEES[venue]!.taker_bps) * 1_000_000_000n);
    expect(r.data.trades).toBeGreaterThan(0);
    expect(r.pnl.net_pnl_1e9).toBeGreaterThanOrEqual(0n);
  }, 60_000);

  it("the old defaults bleed fees there: the criterion above would have failed", async () => {
    const mm = await onEdge("market-maker", "coinbase", ["half_spread_bps=0"]);
    const mr = await onEdge("mean-reversion", "coinbase", ["min_edge_bps=0"]);
    for (const r of [mm, mr]) {
      expect(r.pnl.fees_1e9).toBeGreaterThan(1_000n * 1_000_000_000n); // over $1,000 in fees
      expect(r.pnl.net_pnl_1e9).toBeLessThan(0n);
    }
  }, 60_000);
});

describe("grid and twap defaults on algo dev's default data and fees", () => {
  it.each(VENUES)("grid on %s: a step wider than two maker fees, and no loss to fees", async (venue) => {
    const r = await onEdge("grid", venue);
    expect(r.params.step_bps).toEqual({ value: "100", default: true });
    expect(100).toBeGreaterThan(2 * DEFAULT_FEES[venue]!.maker_bps);
    expect(r.orders.placed).toBe(10); // the ladder went out
    expect(r.fills.taker).toBe(0);
    expect(r.pnl.net_pnl_1e9).toBeGreaterThanOrEqual(0n);
  }, 60_000);

  it.each(VENUES)("twap on %s: the parent done, mostly as maker, for less in fees than slicing at market", async (venue) => {
    const passive = await onEdge("twap", venue);
    expect(passive.params.passive).toEqual({ value: "1", default: true });
    expect(passive.pnl.position_1e8).toBe(1_000_000_000n);
    expect(passive.fills.maker).toBeGreaterThanOrEqual(10); // of 12 slices
    const market = await onEdge("twap", venue, ["passive=false"]);
    expect(market.pnl.position_1e8).toBe(1_000_000_000n);
    const { maker_bps, taker_bps } = DEFAULT_FEES[venue]!;
    // (binance charges makers and takers alike: nothing to save there.)
    if (maker_bps < taker_bps) expect(passive.pnl.fees_1e9).toBeLessThan(market.pnl.fees_1e9);
  }, 60_000);
});
