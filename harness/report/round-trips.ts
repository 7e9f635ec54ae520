/**
 * Round trips: each exit fill is matched against the open entry fills first
 * in, first out. One round trip is the part of one entry fill that one exit
 * fill closed (pyfolio's convention), so partial fills and scaling in or out
 * give one round trip per matched pair. A fill that flips the position closes
 * what was open and opens the rest.
 *
 * Money is exact: gross PnL is qty × price difference at 1e17 USD (no
 * division at all, unlike the average-cost ledger), and each fill's fee is
 * shared among its parts pro rata by quantity, rounded half-even, the last
 * part taking the remainder, so the parts add up to the fee exactly.
 */
import { divRound } from "../fixed.ts";

export interface RoundTrip {
  side: "long" | "short";
  entry_ts_ns: bigint;
  exit_ts_ns: bigint;
  entry_order_id: bigint;
  exit_order_id: bigint;
  qty_1e8: bigint;
  entry_price_1e9: bigint;
  exit_price_1e9: bigint;
  /** qty × (exit − entry) for a long, the reverse for a short; 1e17 USD, exact. */
  gross_pnl_1e17: bigint;
  /** This trip's shares of its entry and exit fills' fees (negative = rebate). */
  fees_1e9: bigint;
}

export interface Fill {
  ts_ns: bigint;
  order_id: bigint;
  side: "buy" | "sell";
  price_1e9: bigint;
  qty_1e8: bigint;
  fee_1e9: bigint;
}

/** An entry fill, or what is still open of it. */
interface Lot {
  ts: bigint;
  orderId: bigint;
  px: bigint;
  qty: bigint;
  /** The fee not yet given to a round trip. */
  fee: bigint;
}

/** Takes `part` of `qty` and the matching share of `fee`; all of it when part = qty. */
function feeShare(fee: bigint, part: bigint, qty: bigint): bigint {
  return part === qty || fee === 0n ? fee : divRound(fee * part, qty, "half-even");
}

export class RoundTripMatcher {
  private readonly lots: Lot[] = [];
  private head = 0;
  /** Signed position, 1e8. */
  position = 0n;
  /** What the open lots cost at their entry prices, 1e17 USD. */
  openCost = 0n;

  constructor(private readonly onTrip: (trip: RoundTrip) => void) {}

  add(f: Fill): void {
    const buy = f.side === "buy";
    let qty = f.qty_1e8;
    let fee = f.fee_1e9;
    // Close against the opposite side first.
    while (qty > 0n && this.position !== 0n && this.position > 0n !== buy) {
      const lot = this.lots[this.head];
      const part = qty < lot.qty ? qty : lot.qty;
      const entryFee = feeShare(lot.fee, part, lot.qty);
      const exitFee = feeShare(fee, part, qty);
      const long = this.position > 0n;
      this.onTrip({
        side: long ? "long" : "short",
        entry_ts_ns: lot.ts,
        exit_ts_ns: f.ts_ns,
        entry_order_id: lot.orderId,
        exit_order_id: f.order_id,
        qty_1e8: part,
        entry_price_1e9: lot.px,
        exit_price_1e9: f.price_1e9,
        gross_pnl_1e17: long ? part * (f.price_1e9 - lot.px) : part * (lot.px - f.price_1e9),
        fees_1e9: entryFee + exitFee,
      });
      lot.qty -= part;
      lot.fee -= entryFee;
      qty -= part;
      fee -= exitFee;
      this.openCost -= part * lot.px;
      this.position += buy ? part : -part;
      if (lot.qty === 0n) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.lots.length) this.lots.splice(0, this.head), (this.head = 0);
    if (qty === 0n) return;
    this.lots.push({ ts: f.ts_ns, orderId: f.order_id, px: f.price_1e9, qty, fee });
    this.openCost += qty * f.price_1e9;
    this.position += buy ? qty : -qty;
  }
}
