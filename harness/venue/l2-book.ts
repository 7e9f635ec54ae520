/**
 * An L2 order book: every displayed price level on both sides, kept from
 * DEPTH records (kind 7, docs/abi.md). The venue matches against it when the
 * data has depth, the book-file reader uses it to check each update and to
 * derive the top of book, and tests walk it by hand.
 *
 * The book is the market as the data shows it, without the algo's orders:
 * the replay never changes it (docs/backtesting.md, "Your orders do not move
 * the market data"). What a taker walked through is not removed from it;
 * the venue keeps track of what its own orders took.
 *
 * Levels are two sorted arrays per side (best first), so the touch is index
 * 0, walking is a loop, and an update is a binary search plus a splice.
 */
import { DepthFlag, RECORD_WORDS, SideCode } from "../data/record.ts";

/** One side of the book, best level first. */
export class BookSide {
  private readonly prices: bigint[] = [];
  private readonly sizes: bigint[] = [];

  /** `bids`: higher prices are better; otherwise lower are. */
  constructor(readonly bids: boolean) {}

  get count(): number {
    return this.prices.length;
  }

  /** Price of level i (0 = the best); undefined past the last level. */
  px(i: number): bigint | undefined {
    return this.prices[i];
  }

  /** Displayed size of level i (qty 1e8); 0n past the last level. */
  qty(i: number): bigint {
    return this.sizes[i] ?? 0n;
  }

  /** Displayed size at exactly `px` (0n when there is no level there). */
  sizeAt(px: bigint): bigint {
    const i = this.find(px);
    return i >= 0 ? this.sizes[i] : 0n;
  }

  /** Sets the level at `px` to `qty`; qty 0 removes it. Returns the size it had. */
  set(px: bigint, qty: bigint): bigint {
    const i = this.find(px);
    if (i >= 0) {
      const had = this.sizes[i];
      if (qty === 0n) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
      } else {
        this.sizes[i] = qty;
      }
      return had;
    }
    if (qty !== 0n) {
      const at = -i - 1;
      this.prices.splice(at, 0, px);
      this.sizes.splice(at, 0, qty);
    }
    return 0n;
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: bigint, b: bigint): boolean {
    return this.bids ? a > b : a < b;
  }

  /** Index of `px`, or -(insertion point) - 1 when absent (binary search, best first). */
  private find(px: bigint): number {
    const p = this.prices;
    let lo = 0;
    let hi = p.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = p[mid];
      if (m === px) return mid;
      if (this.better(m, px)) lo = mid + 1;
      else hi = mid;
    }
    return -lo - 1;
  }
}

/** One level a taker order took from: its price and the quantity taken there. */
export interface SweptLevel {
  readonly px: bigint;
  readonly qty: bigint;
}

/** What walking the book for a taker order found. */
export interface Sweep {
  /** Quantity available within the limit, up to the order's quantity. */
  readonly filled: bigint;
  /** Level by level, best first. */
  readonly levels: readonly SweptLevel[];
  /** Σ px × qty over the levels, at 1e17 (qty 1e8 × price 1e9): exact, for the average price. */
  readonly notional_1e17: bigint;
}

export class L2Book {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);

  /** The side for a DEPTH record's side code: 1 bids, 2 asks. */
  side(code: number): BookSide {
    return code === SideCode.Buy ? this.bids : this.asks;
  }

  /**
   * Applies one DEPTH record: empties the side first when `flags` has
   * DepthFlag.Clear, then sets the level (qty 0 removes it; removing a level
   * that is not there changes nothing). Returns the size the level had.
   */
  apply(sideCode: number, flags: number, px: bigint, qty: bigint): bigint {
    const side = this.side(sideCode);
    if (flags & DepthFlag.Clear) side.clear();
    return side.set(px, qty);
  }

  /** Applies record `i` of a batch's words (the caller checked it is a DEPTH record). */
  applyRecord(words: BigInt64Array, i: number): void {
    const o = i * RECORD_WORDS;
    const head = Number(words[o + 1] & 0xffffffn);
    this.apply((head >> 8) & 0xff, (head >> 16) & 0xff, words[o + 2], words[o + 3]);
  }

  /** Best bid and ask overlap (bid >= ask): impossible for one venue's complete book. */
  crossed(): boolean {
    const b = this.bids.px(0);
    const a = this.asks.px(0);
    return b !== undefined && a !== undefined && b >= a;
  }

  /**
   * Walks the side a taker of `takerSide` (1 buy, 2 sell) takes from — the
   * asks for a buy, the bids for a sell — best level first, taking each
   * level's displayed size until `qty` is reached or the next level is worse
   * than `limitPx` (null: no limit, a market order). The book is not changed.
   */
  sweep(takerSide: number, qty: bigint, limitPx: bigint | null = null): Sweep {
    const side = takerSide === SideCode.Buy ? this.asks : this.bids;
    const levels: SweptLevel[] = [];
    let left = qty;
    let notional = 0n;
    for (let i = 0; i < side.count && left > 0n; i++) {
      const px = side.px(i)!;
      if (limitPx !== null && side.better(limitPx, px)) break; // this level is worse than the limit
      const take = side.qty(i) < left ? side.qty(i) : left;
      levels.push({ px, qty: take });
      notional += px * take;
      left -= take;
    }
    return { filled: qty - left, levels, notional_1e17: notional };
  }

  /**
   * Quantity displayed ahead of an order that starts resting at `px` on
   * `orderSide` (1 buy, 2 sell): the whole displayed size at its price (it
   * joins the back of that level's queue); 0 at a price with no level.
   */
  queueAhead(orderSide: number, px: bigint): bigint {
    return this.side(orderSide).sizeAt(px);
  }
}
