// Round trips matched FIFO, worked by hand: prices 1e9, quantities 1e8, fees 1e9, PnL 1e17.
import { describe, expect, it } from "vitest";
import { RoundTripMatcher, roundTrip, type RoundTrip } from "../../harness/report/round-trips.ts";
import { SideCode } from "../../harness/abi.ts";
import type { FillRecord } from "../../harness/recorder.ts";

/** A fill as the fill log keeps it; the matcher does not read its liquidity. */
type Fill = Omit<FillRecord, "liquidity">;

const PX = 1_000_000_000n;
const Q = 100_000_000n;

function fill(ts: number, side: "buy" | "sell", px: bigint, qty: bigint, fee = 0n, id = ts): Fill {
  return { ts_ns: BigInt(ts), order_id: BigInt(id), side, price_1e9: px, qty_1e8: qty, fee_1e9: fee };
}

function matched(fills: Fill[]): { trips: RoundTrip[]; m: RoundTripMatcher } {
  const trips: RoundTrip[] = [];
  const m = new RoundTripMatcher((...t) => trips.push(roundTrip(...t)));
  for (const f of fills) m.add(f.ts_ns, f.order_id, f.side === "buy" ? SideCode.Buy : SideCode.Sell, f.price_1e9, f.qty_1e8, f.fee_1e9);
  return { trips, m };
}

describe("round trips (FIFO)", () => {
  it("matches an exit against the oldest entries first, partially", () => {
    // buy 1 @ 10 (t1), buy 2 @ 12 (t2), sell 2 @ 15 (t3): closes 1 @ 10 then 1 of the 2 @ 12.
    const { trips, m } = matched([fill(1, "buy", 10n * PX, Q), fill(2, "buy", 12n * PX, 2n * Q), fill(3, "sell", 15n * PX, 2n * Q)]);
    expect(trips.map((t) => [t.entry_ts_ns, t.exit_ts_ns, t.qty_1e8, t.gross_pnl_1e17])).toEqual([
      [1n, 3n, Q, Q * 5n * PX], // 1 × (15 − 10) = $5
      [2n, 3n, Q, Q * 3n * PX], // 1 × (15 − 12) = $3
    ]);
    expect(m.position).toBe(Q); // 1 @ 12 still open
    expect(m.openCost).toBe(Q * 12n * PX);
  });

  it("shares each fill's fee pro rata, the parts adding up to the fee exactly", () => {
    // buy 3 @ 100, fee $0.10; sell 1 @ 101, fee $0.07; sell 2 @ 99, fee $0.05.
    // Trip 1: entry share 0.10 × 1/3 = 0.0333333333 (half-even at 1e-9), exit 0.07 → fees 0.1033333333.
    // Trip 2: the rest of the entry fee 0.10 − 0.0333333333 = 0.0666666667, exit 0.05 → 0.1166666667.
    const { trips } = matched([
      fill(1, "buy", 100n * PX, 3n * Q, 100_000_000n),
      fill(2, "sell", 101n * PX, Q, 70_000_000n),
      fill(3, "sell", 99n * PX, 2n * Q, 50_000_000n),
    ]);
    expect(trips.map((t) => t.fees_1e9)).toEqual([103_333_333n, 116_666_667n]);
    expect(trips[0].fees_1e9 + trips[1].fees_1e9).toBe(220_000_000n); // 0.10 + 0.07 + 0.05
    expect(trips.map((t) => t.gross_pnl_1e17)).toEqual([Q * PX, -2n * Q * PX]); // +$1, 2 × (99 − 100) = −$2
  });

  it("a fill that flips the position closes the long and opens a short with the rest", () => {
    // buy 1 @ 50; sell 3 @ 52 (fee $0.30): closes the long (+$2, exit fee 0.30 × 1/3 = 0.10),
    // opens a short of 2 @ 52 carrying the other $0.20; buy 2 @ 49 (no fee) closes it: 2 × (52 − 49) = +$6.
    const { trips, m } = matched([fill(1, "buy", 50n * PX, Q), fill(2, "sell", 52n * PX, 3n * Q, 300_000_000n), fill(3, "buy", 49n * PX, 2n * Q)]);
    expect(trips.map((t) => [t.side, t.qty_1e8, t.gross_pnl_1e17, t.fees_1e9, t.entry_order_id, t.exit_order_id])).toEqual([
      ["long", Q, 2n * Q * PX, 100_000_000n, 1n, 2n],
      ["short", 2n * Q, 6n * Q * PX, 200_000_000n, 2n, 3n],
    ]);
    expect(m.position).toBe(0n);
    expect(m.openCost).toBe(0n);
  });

  it("prices below zero trade like any other", () => {
    // short 1 @ −37.63, cover @ −40.00: the short gains 2.37.
    const { trips } = matched([fill(1, "sell", -37_630_000_000n, Q), fill(2, "buy", -40n * PX, Q)]);
    expect(trips[0].gross_pnl_1e17).toBe(Q * 2_370_000_000n);
  });
});
