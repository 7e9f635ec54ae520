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
 *
 * The venue (venue.ts) switches to an L2Book at the first batch holding
 * DEPTH records (`useDepth`, called by the engine): `syncBook` applies every
 * DEPTH record in order, and QUOTE records only carry the mark, since their
 * top came from this same book.
 */
import { DepthFlag, RECORD_WORDS, SideCode } from "../data/record.ts";
import type { Book } from "./book.ts";
import { big, put } from "./i64.ts";

/** One side of the book, best level first. */
export class BookSide {
  private readonly prices: bigint[] = [];
  private readonly sizes: bigint[] = [];
  /** What the algo took at a price, while that level lasts (see L2Book.take). */
  private readonly taken = new Map<bigint, bigint>();
  /** Levels the algo had taken from, as they were before a clear: a snapshot that shows them again keeps what was taken. */
  private readonly beforeClear = new Map<bigint, { size: bigint; taken: bigint }>();
  /** Time of the newest record applied to this side. */
  updatedAt = 0n;

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

  /** Size left at `px` for a taker: displayed minus what the algo already took there. */
  left(px: bigint, displayed: bigint): bigint {
    const t = this.taken.get(px);
    if (t === undefined) return displayed;
    return displayed > t ? displayed - t : 0n;
  }

  /** Sets the level at `px` to `qty`; qty 0 removes it. Returns the size it had. */
  set(px: bigint, qty: bigint): bigint {
    const i = this.find(px);
    if (i >= 0) {
      const had = this.sizes[i];
      if (qty === 0n) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
        this.taken.delete(px);
      } else {
        this.sizes[i] = qty;
        if (qty < had) this.shrinkTaken(px, had - qty);
      }
      return had;
    }
    if (qty !== 0n) {
      const at = -i - 1;
      this.prices.splice(at, 0, px);
      this.sizes.splice(at, 0, qty);
      const old = this.beforeClear.get(px);
      if (old !== undefined) {
        this.taken.set(px, old.taken);
        if (qty < old.size) this.shrinkTaken(px, old.size - qty);
      }
    }
    return 0n;
  }

  /**
   * The data's level shrank by `by`: as for the L1 touch, that much of what
   * the algo took is treated as having left the data's book too.
   */
  private shrinkTaken(px: bigint, by: bigint): void {
    const t = this.taken.get(px);
    if (t === undefined) return;
    if (t > by) this.taken.set(px, t - by);
    else this.taken.delete(px);
  }

  /** Records that the algo took `qty` at `px` (nothing when there is no level there). */
  take(px: bigint, qty: bigint): void {
    if (this.find(px) < 0) return;
    this.taken.set(px, (this.taken.get(px) ?? 0n) + qty);
  }

  clear(): void {
    this.beforeClear.clear();
    for (const [px, t] of this.taken) this.beforeClear.set(px, { size: this.sizeAt(px), taken: t });
    this.taken.clear();
    this.prices.length = 0;
    this.sizes.length = 0;
  }

  /** The update that cleared this side is complete: levels it did not show again are gone. */
  settle(): void {
    this.beforeClear.clear();
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

/**
 * The book the venue matches against when the data has depth. It has the
 * shape of the venue's L1 touch (harness/venue/book.ts, `Book`): sides are
 * SideCode.Buy (the bids) and SideCode.Sell (the asks); sizes offered to a
 * taker are the displayed size less what the algo already took at that
 * price, which stays taken while the level lasts (the replay is the market
 * without the algo, so the data keeps showing it).
 */
export class L2Book {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);

  /** The side for a side code: 1 the bids, 2 the asks. */
  side(code: number): BookSide {
    return code === SideCode.Buy ? this.bids : this.asks;
  }

  /**
   * Applies one DEPTH record: empties the side first when `flags` has
   * DepthFlag.Clear, then sets the level (qty 0 removes it; removing a level
   * that is not there changes nothing). Returns the size the level had.
   */
  apply(sideCode: number, flags: number, px: bigint, qty: bigint, ts = 0n): bigint {
    const side = this.side(sideCode);
    if (flags & DepthFlag.Clear) side.clear();
    const had = side.set(px, qty);
    side.updatedAt = ts;
    if (flags & DepthFlag.Last) {
      this.bids.settle();
      this.asks.settle();
    }
    return had;
  }

  /** Applies record `i` of a batch's words (the caller checked it is a DEPTH record). */
  applyRecord(words: BigInt64Array, i: number): void {
    const o = i * RECORD_WORDS;
    const head = Number(words[o + 1] & 0xffffffn);
    this.apply((head >> 8) & 0xff, (head >> 16) & 0xff, words[o + 2], words[o + 3], words[o]);
  }

  /** Best bid and ask overlap (bid >= ask): impossible for one venue's complete book. */
  crossed(): boolean {
    const b = this.bids.px(0);
    const a = this.asks.px(0);
    return b !== undefined && a !== undefined && b >= a;
  }

  // ---- the venue's Book interface (harness/venue/book.ts) ----

  /** The data shows at least one level on `side`. */
  present(side: number): boolean {
    return this.side(side).count > 0;
  }

  /** Best price on `side` (0n when empty: check `present`). */
  bestPx(side: number): bigint {
    return this.side(side).px(0) ?? 0n;
  }

  /** Size left at the best price (displayed minus taken); 0 when the side is empty. */
  bestQty(side: number): bigint {
    const s = this.side(side);
    const px = s.px(0);
    return px === undefined ? 0n : s.left(px, s.qty(0));
  }

  /** Size displayed at `px` on `side`, not less what was taken (0 where there is no level): an L2 book sees every level. */
  displayedAt(side: number, px: bigint): bigint {
    return this.side(side).sizeAt(px);
  }

  /** Visits levels from the best outward with the size left at each (levels the algo took whole are skipped), until `visit` returns false. */
  walk(side: number, visit: (px: bigint, qty: bigint) => boolean): void {
    const s = this.side(side);
    for (let i = 0; i < s.count; i++) {
      const px = s.px(i)!;
      const left = s.left(px, s.qty(i));
      if (left > 0n && !visit(px, left)) return;
    }
  }

  /** Records that the algo took `qty` at `px` on `side`: that size is not offered again while the level lasts. */
  take(side: number, px: bigint, qty: bigint): void {
    this.side(side).take(px, qty);
  }

  /** Time of the newest DEPTH record applied to `side` (for stale-book checks). */
  updatedAt(side: number): bigint {
    return this.side(side).updatedAt;
  }

  /**
   * What a taker of `takerSide` (1 buy, 2 sell) would get walking the book —
   * the asks for a buy, the bids for a sell — best level first, up to `qty`
   * and no level worse than `limitPx` (null: a market order). Read only:
   * the venue calls `take` for what it fills.
   */
  sweep(takerSide: number, qty: bigint, limitPx: bigint | null = null): Sweep {
    const side = takerSide === SideCode.Buy ? SideCode.Sell : SideCode.Buy;
    const book = this.side(side);
    const levels: SweptLevel[] = [];
    let left = qty;
    let notional = 0n;
    this.walk(side, (px, shown) => {
      if (limitPx !== null && book.better(limitPx, px)) return false; // worse than the limit
      const q = shown < left ? shown : left;
      levels.push({ px, qty: q });
      notional += px * q;
      left -= q;
      return left > 0n;
    });
    return { filled: qty - left, levels, notional_1e17: notional };
  }
}

/**
 * The venue's view of an L2Book (book.ts, Book: i64 halves). The levels
 * themselves are still BigInt inside L2Book: each call converts at this
 * boundary.
 */
export class L2BookView implements Book {
  private readonly level = new Int32Array(4);

  constructor(readonly l2: L2Book) {}

  present(side: number): boolean {
    return this.l2.present(side);
  }

  bestPx(side: number, out: Int32Array, i: number): void {
    put(out, i, this.l2.bestPx(side));
  }

  bestQty(side: number, out: Int32Array, i: number): void {
    put(out, i, this.l2.bestQty(side));
  }

  displayedAt(side: number, px: Int32Array, pi: number, out: Int32Array, i: number): boolean {
    put(out, i, this.l2.displayedAt(side, big(px, pi)));
    return true; // an L2 book sees every level
  }

  walk(side: number, visit: (level: Int32Array) => boolean): void {
    const level = this.level;
    this.l2.walk(side, (px, qty) => {
      put(level, 0, px);
      put(level, 2, qty);
      return visit(level);
    });
  }

  take(side: number, px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    this.l2.take(side, big(px, pi), big(qty, qi));
  }

  updatedAt(side: number, out: Int32Array, i: number): void {
    put(out, i, this.l2.updatedAt(side));
  }
}
