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
import { SideCode } from "../abi.ts";

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

/** An entry fill, or what is still open of it. */
export interface Lot {
  readonly ts: bigint;
  readonly orderId: bigint;
  readonly px: bigint;
  qty: bigint;
  /** The fee not yet given to a round trip. */
  fee: bigint;
  /** qty × px of what is still open, 1e17 USD. */
  cost: bigint;
}

/**
 * Told of each matched part: `part` of the `entry` lot (its fields as before
 * this part was taken) closed by the exit fill at `exitTs`, `exitPx`.
 * Primitives, so a round trip becomes an object only for those who keep it (roundTrip()).
 */
export type TripSink = (long: boolean, entry: Lot, exitTs: bigint, exitOrderId: bigint, part: bigint, exitPx: bigint, gross_1e17: bigint, fees_1e9: bigint) => void;

export function roundTrip(long: boolean, entry: Lot, exitTs: bigint, exitOrderId: bigint, part: bigint, exitPx: bigint, gross_1e17: bigint, fees_1e9: bigint): RoundTrip {
  return {
    side: long ? "long" : "short",
    entry_ts_ns: entry.ts,
    exit_ts_ns: exitTs,
    entry_order_id: entry.orderId,
    exit_order_id: exitOrderId,
    qty_1e8: part,
    entry_price_1e9: entry.px,
    exit_price_1e9: exitPx,
    gross_pnl_1e17: gross_1e17,
    fees_1e9,
  };
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

  constructor(private readonly onTrip: TripSink) {}

  /** A fill of `qty` (1e8) at `px` (1e9); `value` is qty × px (1e17), when the caller has it already. */
  add(ts: bigint, orderId: bigint, side: SideCode, px: bigint, qty: bigint, fee: bigint, value?: bigint): void {
    const buy = side === SideCode.Buy;
    const whole = qty;
    // Close against the opposite side first.
    while (qty > 0n && this.position !== 0n && this.position > 0n !== buy) {
      const lot = this.lots[this.head];
      const long = this.position > 0n;
      // Most exits close whole lots with whole fills: then no share is divided and nothing is left to subtract.
      const all = qty >= lot.qty;
      const part = all ? lot.qty : qty;
      const entryFee = all ? lot.fee : feeShare(lot.fee, part, lot.qty);
      const exitFee = part === qty ? fee : feeShare(fee, part, qty);
      const gross = long ? part * (px - lot.px) : part * (lot.px - px);
      this.onTrip(long, lot, ts, orderId, part, px, gross, entryFee + exitFee);
      const partCost = all ? lot.cost : part * lot.px;
      this.openCost -= partCost;
      if (all) {
        lot.qty = 0n;
        this.head++;
      } else {
        lot.qty -= part;
        lot.fee -= entryFee;
        lot.cost -= partCost;
      }
      qty = part === qty ? 0n : qty - part;
      fee = exitFee === fee ? 0n : fee - exitFee;
      this.position = buy ? this.position + part : this.position - part;
    }
    if (this.head > 1024 && this.head * 2 > this.lots.length) this.lots.splice(0, this.head), (this.head = 0);
    if (qty === 0n) return;
    const cost = qty === whole && value !== undefined ? value : qty * px;
    this.lots.push({ ts, orderId, px, qty, fee, cost });
    this.openCost += cost;
    this.position = buy ? this.position + qty : this.position - qty;
  }
}
