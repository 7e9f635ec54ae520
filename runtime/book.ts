// The L2 book an algo sees in onBook: the best levels of each side, kept in
// module memory from DEPTH records (docs/abi.md), with no host call per
// level. One instance lives for the whole run (`this.depth`) and is updated
// in place; read it inside onBook or later, do not expect it to stay still.
import { Px, Qty } from "./fixed";
import { Side } from "./events";

/** Levels kept per side. Levels beyond it are dropped (and counted as unknown) until the next snapshot. */
export const BOOK_LEVELS: i32 = 64;

/** One side, best level first. */
class BookSide {
  readonly pxs: StaticArray<i64> = new StaticArray<i64>(BOOK_LEVELS);
  readonly qtys: StaticArray<i64> = new StaticArray<i64>(BOOK_LEVELS);
  count: i32 = 0;
  /**
   * A level was dropped for lack of room: what lies past the last kept level
   * is unknown, so a new level there is not added (it could skip a dropped
   * one). The kept levels are always the true best `count`.
   */
  truncated: bool = false;

  constructor(readonly bids: bool) {}

  clear(): void {
    this.count = 0;
    this.truncated = false;
  }

  set(px: i64, qty: i64): void {
    const pxs = this.pxs;
    const qtys = this.qtys;
    const n = this.count;
    // first level that is not better than px
    let i = 0;
    if (this.bids) while (i < n && unchecked(pxs[i]) > px) i++;
    else while (i < n && unchecked(pxs[i]) < px) i++;
    if (i < n && unchecked(pxs[i]) == px) {
      if (qty != 0) {
        unchecked((qtys[i] = qty));
        return;
      }
      for (let j = i + 1; j < n; j++) {
        unchecked((pxs[j - 1] = pxs[j]));
        unchecked((qtys[j - 1] = qtys[j]));
      }
      this.count = n - 1;
      return;
    }
    if (qty == 0) return; // removing a level that is not here
    if (i == n && (this.truncated || n == BOOK_LEVELS)) {
      this.truncated = true;
      return;
    }
    let last = n;
    if (n == BOOK_LEVELS) {
      last = n - 1; // the worst level falls off
      this.truncated = true;
    } else {
      this.count = n + 1;
    }
    for (let j = last; j > i; j--) {
      unchecked((pxs[j] = pxs[j - 1]));
      unchecked((qtys[j] = qtys[j - 1]));
    }
    unchecked((pxs[i] = px));
    unchecked((qtys[i] = qty));
  }
}

/** The L2 book: bid levels highest first, ask levels lowest first. */
export class Book {
  /** Time of the update just applied. */
  ts: i64 = 0;
  private readonly bids: BookSide = new BookSide(true);
  private readonly asks: BookSide = new BookSide(false);

  /** How many bid levels are known (at most BOOK_LEVELS). */
  get bidCount(): i32 {
    return this.bids.count;
  }

  /** How many ask levels are known (at most BOOK_LEVELS). */
  get askCount(): i32 {
    return this.asks.count;
  }

  /** Price of bid level i (0 = the best bid); 0 when i is not below bidCount. */
  bidPx(i: i32): Px {
    return <u32>i < <u32>this.bids.count ? unchecked(this.bids.pxs[i]) : 0;
  }

  /** Size of bid level i; 0 when i is not below bidCount. */
  bidQty(i: i32): Qty {
    return <u32>i < <u32>this.bids.count ? unchecked(this.bids.qtys[i]) : 0;
  }

  /** Price of ask level i (0 = the best ask); 0 when i is not below askCount. */
  askPx(i: i32): Px {
    return <u32>i < <u32>this.asks.count ? unchecked(this.asks.pxs[i]) : 0;
  }

  /** Size of ask level i; 0 when i is not below askCount. */
  askQty(i: i32): Qty {
    return <u32>i < <u32>this.asks.count ? unchecked(this.asks.qtys[i]) : 0;
  }

  /** Total size of the best `levels` bid levels (all known ones when fewer). */
  bidDepth(levels: i32): Qty {
    return sum(this.bids, levels);
  }

  /** Total size of the best `levels` ask levels (all known ones when fewer). */
  askDepth(levels: i32): Qty {
    return sum(this.asks, levels);
  }

  /**
   * Sets the level at `px` on one side (Side.Buy: the bids, Side.Sell: the
   * asks) to `qty`; qty 0 removes it. The runtime applies DEPTH records with
   * it; an algo's own tests build a book with it.
   */
  set(side: Side, px: Px, qty: Qty): void {
    (side == Side.Buy ? this.bids : this.asks).set(px, qty);
  }

  /** Empties one side (a snapshot starts). */
  clear(side: Side): void {
    (side == Side.Buy ? this.bids : this.asks).clear();
  }
}

function sum(side: BookSide, levels: i32): Qty {
  const n = levels < side.count ? levels : side.count;
  let total: i64 = 0;
  for (let i = 0; i < n; i++) total += unchecked(side.qtys[i]);
  return total;
}
