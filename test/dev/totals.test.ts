// The emulator's totals across runs carry the ledger's own cost basis (its snapshot's cost_1e9), worked by hand.
import { describe, expect, it } from "vitest";
import { Ledger } from "../../harness/ledger.ts";
import { SideCode } from "../../harness/abi.ts";
import { figures, fold, zeroTotals } from "../../src/dev/totals.ts";
import type { RunSnapshot } from "../../src/dev/protocol.ts";

const USD = 1_000_000_000n;
const Q = 100_000_000n;

function run(ledger: Ledger): RunSnapshot {
  return {
    ticks: 0, quotes: 0, trades: 0, skipped: 0,
    orders: { placed: 0, accepted: 0, cancelled: 0, rejected: {}, open: 0 },
    fills: { count: 0, maker: 0, taker: 0 },
    pnl: ledger.snapshot(),
    latency: { count: 0 } as RunSnapshot["latency"],
    first_ts_ns: null, last_ts_ns: 0n,
  };
}

describe("edge totals", () => {
  it("carry a run's open position at the ledger's cost and value it at the next mark", () => {
    // Run 1: buy 1 @ 1, buy 2 @ 2 (cost 5), sell 1 @ 3: realized 3 − 5/3 = 1.333333333 33…, cost left 3.333333333 33…
    const l = new Ledger();
    l.applyFill(SideCode.Buy, 1n * USD, Q, 0n);
    l.applyFill(SideCode.Buy, 2n * USD, 2n * Q, 0n);
    l.applyFill(SideCode.Sell, 3n * USD, Q, 0n);
    const base = fold(zeroTotals(), run(l));
    expect([base.position_1e8, base.cost_1e9, base.realized_pnl_1e9]).toEqual([2n * Q, 3_333_333_333n, 1_333_333_333n]);
    // Next run, still flat, the edge marks at 4: the carried 2 are worth 8 − 3.333333333 = 4.666666667.
    const f = figures(base, undefined, 4n * USD);
    expect([f.unrealized_pnl_1e9, f.net_pnl_1e9]).toEqual([4_666_666_667n, 6_000_000_000n]);
  });
});
