/**
 * The market's side of the venue as a taker meets it: price levels from the
 * best outward, each with the size the data shows minus what the algo has
 * already taken there. The venue matches against this interface only, so an
 * L2 book can stand in for the L1 touch kept here.
 */
import { SideCode } from "../data/record.ts";

export interface Book {
  /** Whether the data shows liquidity on a side (bids: SideCode.Buy, asks: SideCode.Sell), taken or not. */
  present(side: number): boolean;
  /** Best price on a side; meaningless when the side is not present. */
  bestPx(side: number): bigint;
  /** Size left at the best price (displayed minus taken); 0 when the side is empty. */
  bestQty(side: number): bigint;
  /** Size displayed at `px` (not less what was taken); 0 when `px` is better than the best or the side is empty; null when the book cannot see that level. */
  displayedAt(side: number, px: bigint): bigint | null;
  /** Visits levels from the best outward, with the size left at each, until `visit` returns false. */
  walk(side: number, visit: (px: bigint, qty: bigint) => boolean): void;
  /** Records that the algo took `qty` at `px` on `side`: that size is not offered again. */
  take(side: number, px: bigint, qty: bigint): void;
  /** Time of the newest update to a side (for stale-book checks). */
  updatedAt(side: number): bigint;
}

/**
 * Top of book from QUOTE records. A side with size 0 is absent, whatever its
 * price (prices may be zero or negative). What the algo took at a level stays
 * taken while the level's price is unchanged: the data replays the market
 * without the algo, so a repeated quote still shows the size it took. When the
 * displayed size at the same price shrinks, that much of what was taken is
 * treated as having left the data's book too.
 */
export class L1Book implements Book {
  private readonly px = [0n, 0n, 0n];
  private readonly qty = [0n, 0n, 0n];
  private readonly taken = [0n, 0n, 0n];
  private readonly at = [0n, 0n, 0n];

  /** Applies a quote (bid px/qty, ask px/qty) at time ts. */
  quote(ts: bigint, bidPx: bigint, bidQty: bigint, askPx: bigint, askQty: bigint): void {
    this.setSide(SideCode.Buy, ts, bidPx, bidQty);
    this.setSide(SideCode.Sell, ts, askPx, askQty);
  }

  present(side: number): boolean {
    return this.qty[side] > 0n;
  }

  private setSide(side: number, ts: bigint, px: bigint, qty: bigint): void {
    if (qty <= 0n) {
      this.qty[side] = 0n;
      this.taken[side] = 0n;
    } else if (px !== this.px[side] || this.qty[side] === 0n) {
      this.taken[side] = 0n;
    } else if (qty < this.qty[side]) {
      const left = this.taken[side] - (this.qty[side] - qty);
      this.taken[side] = left > 0n ? left : 0n;
    }
    this.px[side] = px;
    if (qty > 0n) this.qty[side] = qty;
    this.at[side] = ts;
  }

  displayedAt(side: number, px: bigint): bigint | null {
    return levelQty(side, px, this.px[side], this.qty[side]);
  }

  bestPx(side: number): bigint {
    return this.px[side];
  }

  bestQty(side: number): bigint {
    const left = this.qty[side] - this.taken[side];
    return left > 0n ? left : 0n;
  }

  walk(side: number, visit: (px: bigint, qty: bigint) => boolean): void {
    const qty = this.bestQty(side);
    if (qty > 0n) visit(this.px[side], qty);
  }

  take(side: number, px: bigint, qty: bigint): void {
    if (this.qty[side] > 0n && px === this.px[side]) this.taken[side] += qty;
  }

  updatedAt(side: number): bigint {
    return this.at[side];
  }
}

/** Size a touch of (bestPx, bestQty) on `side` shows at `px`: see Book.displayedAt. */
export function levelQty(side: number, px: bigint, bestPx: bigint, bestQty: bigint): bigint | null {
  if (bestQty <= 0n) return 0n;
  if (px === bestPx) return bestQty;
  return (side === SideCode.Buy ? px > bestPx : px < bestPx) ? 0n : null;
}
