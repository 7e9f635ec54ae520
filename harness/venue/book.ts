/**
 * The market's side of the venue as a taker meets it: price levels from the
 * best outward, each with the size the data shows minus what the algo has
 * already taken there. The venue matches against this interface only, so an
 * L2 book can stand in for the L1 touch kept here.
 *
 * Prices and sizes are i64 halves (i64.ts): a value is passed as an
 * Int32Array and an index, and results are written the same way, so the
 * per-order path allocates nothing.
 */
import { SideCode } from "../abi.ts";
import { Half } from "../record-view.ts";
import { add, copy, eq, lt, positive, setZero, sub } from "./i64.ts";

export interface Book {
  /** Whether the data shows liquidity on a side (bids: SideCode.Buy, asks: SideCode.Sell), taken or not. */
  present(side: number): boolean;
  /** Best price on a side, into out[i]; meaningless when the side is not present. */
  bestPx(side: number, out: Int32Array, i: number): void;
  /** Size left at the best price (displayed minus taken), into out[i]; 0 when the side is empty. */
  bestQty(side: number, out: Int32Array, i: number): void;
  /**
   * Size displayed at px[pi] (not less what was taken), into out[i]: 0 when
   * that price is better than the best or the side is empty. Returns false
   * (out untouched) when the book cannot see that level.
   */
  displayedAt(side: number, px: Int32Array, pi: number, out: Int32Array, i: number): boolean;
  /** Visits levels from the best outward (level[0]: price, level[2]: size left) until `visit` returns false. */
  walk(side: number, visit: (level: Int32Array) => boolean): void;
  /** Records that the algo took qty[qi] at px[pi] on `side`: that size is not offered again. */
  take(side: number, px: Int32Array, pi: number, qty: Int32Array, qi: number): void;
  /** Time of the newest update to a side (for stale-book checks), into out[i]. */
  updatedAt(side: number, out: Int32Array, i: number): void;
}

/**
 * Top of book from QUOTE records. A side with size 0 is absent, whatever its
 * price (prices may be zero or negative). What the algo took at a level stays
 * taken while the level's price is unchanged: the data replays the market
 * without the algo, so a repeated quote still shows the size it took. When the
 * displayed size at the same price shrinks, that much of what was taken is
 * treated as having left the data's book too.
 *
 * Each field holds a value per side at index side × 2 (SideCode 1 and 2).
 */
export class L1Book implements Book {
  private readonly px = new Int32Array(6);
  private readonly qty = new Int32Array(6);
  private readonly taken = new Int32Array(6);
  private readonly at = new Int32Array(6);
  private readonly level = new Int32Array(4);
  private readonly tmp = new Int32Array(2);

  /** Applies the QUOTE record starting at `b` of a batch's halves view (record-view.ts). */
  quote(heads: Int32Array, b: number): void {
    // The engine meets a record at a stop (match) and then syncs to it: applying a quote twice changes nothing, so skip it.
    if (heads === this.lastHeads && b === this.lastAt) return;
    this.lastHeads = heads;
    this.lastAt = b;
    this.setSide(SideCode.Buy, heads, b + Half.Ts, b + Half.BidPx, b + Half.BidQty);
    this.setSide(SideCode.Sell, heads, b + Half.Ts, b + Half.AskPx, b + Half.AskQty);
  }

  /** The record applied last (a batch's view and offset: the same pair is the same record). */
  private lastHeads: Int32Array | null = null;
  private lastAt = -1;

  present(side: number): boolean {
    return positive(this.qty, side * 2);
  }

  private setSide(side: number, rec: Int32Array, tsAt: number, pxAt: number, qtyAt: number): void {
    const s = side * 2;
    const shown = positive(rec, qtyAt);
    if (!shown) {
      setZero(this.qty, s);
      setZero(this.taken, s);
    } else if (!eq(rec, pxAt, this.px, s) || !positive(this.qty, s)) {
      setZero(this.taken, s);
    } else if (lt(rec, qtyAt, this.qty, s)) {
      // taken − (shown before − shown now), never below 0
      sub(this.tmp, 0, this.qty, s, rec, qtyAt);
      sub(this.tmp, 0, this.taken, s, this.tmp, 0);
      if (positive(this.tmp, 0)) copy(this.taken, s, this.tmp, 0);
      else setZero(this.taken, s);
    }
    copy(this.px, s, rec, pxAt);
    if (shown) copy(this.qty, s, rec, qtyAt);
    copy(this.at, s, rec, tsAt);
  }

  displayedAt(side: number, px: Int32Array, pi: number, out: Int32Array, i: number): boolean {
    return levelQty(side, px, pi, this.px, side * 2, this.qty, side * 2, out, i);
  }

  bestPx(side: number, out: Int32Array, i: number): void {
    copy(out, i, this.px, side * 2);
  }

  bestQty(side: number, out: Int32Array, i: number): void {
    const s = side * 2;
    sub(this.tmp, 0, this.qty, s, this.taken, s);
    if (positive(this.tmp, 0)) copy(out, i, this.tmp, 0);
    else setZero(out, i);
  }

  walk(side: number, visit: (level: Int32Array) => boolean): void {
    const level = this.level;
    this.bestQty(side, level, 2);
    if (!positive(level, 2)) return;
    copy(level, 0, this.px, side * 2);
    visit(level);
  }

  take(side: number, px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    const s = side * 2;
    if (positive(this.qty, s) && eq(px, pi, this.px, s)) add(this.taken, s, this.taken, s, qty, qi);
  }

  updatedAt(side: number, out: Int32Array, i: number): void {
    copy(out, i, this.at, side * 2);
  }
}

/**
 * Size a touch of (best px, best qty) on `side` shows at px[pi], into out[i]:
 * see Book.displayedAt (false: behind the touch, not visible).
 */
export function levelQty(
  side: number,
  px: Int32Array,
  pi: number,
  bestPx: Int32Array,
  bi: number,
  bestQty: Int32Array,
  qi: number,
  out: Int32Array,
  i: number,
): boolean {
  if (!positive(bestQty, qi)) {
    setZero(out, i);
    return true;
  }
  if (eq(px, pi, bestPx, bi)) {
    copy(out, i, bestQty, qi);
    return true;
  }
  const better = side === SideCode.Buy ? lt(bestPx, bi, px, pi) : lt(px, pi, bestPx, bi);
  if (better) setZero(out, i);
  return better;
}
