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
 * Prices, sizes, what was taken and times are i64 halves (i64.ts) in typed
 * arrays: the venue's path (applyRecord, and L2BookView below) makes no
 * BigInt. The BigInt methods (apply, sweep, px, qty, ...) are for the
 * book-file reader and tests, and convert at that boundary.
 *
 * The venue (venue.ts) switches to an L2Book at the first batch holding
 * DEPTH records (`useDepth`, called by the engine): `syncBook` applies every
 * DEPTH record in order, and QUOTE records only carry the mark, since their
 * top came from this same book.
 */
import { DepthFlag, SideCode } from "../abi.ts";
import { Half, recordStart, sideAt, subAt } from "../record-view.ts";
import type { Book } from "./book.ts";
import { add, big, copy, eq, lt, positive, put, setZero, sub, zero } from "./i64.ts";

/** A level array's room for n more levels (halves: two words a level). */
function room(a: Int32Array<ArrayBuffer>, levels: number): Int32Array<ArrayBuffer> {
  if (levels * 2 <= a.length) return a;
  const wider = new Int32Array(Math.max(levels * 2, a.length * 2));
  wider.set(a);
  return wider;
}

/** One side of the book, best level first. */
export class BookSide {
  /** Level i's price, displayed size, and what the algo took there (0: nothing), as halves at i × 2. */
  private prices = new Int32Array(32);
  private sizes = new Int32Array(32);
  private taken = new Int32Array(32);
  private n = 0;
  /** Levels the algo had taken from, as they were before a clear (price, size, taken): a snapshot that shows them again keeps what was taken. */
  private clearedPx = new Int32Array(8);
  private clearedSize = new Int32Array(8);
  private clearedTaken = new Int32Array(8);
  private clearedN = 0;
  /** Time of the newest record applied to this side (halves). */
  readonly at = new Int32Array(2);
  /** The size the level had before the last `setLevel` (halves; 0 when there was none). */
  readonly had = new Int32Array(2);
  /** Scratch: shrinkTaken's at 0, sizeAt's and left's at 2; the BigInt methods' arguments in `args`. */
  private readonly tmp = new Int32Array(4);
  private readonly args = new Int32Array(4);

  /** `bids`: higher prices are better; otherwise lower are. */
  constructor(readonly bids: boolean) {}

  get count(): number {
    return this.n;
  }

  // ---- halves (the venue's path) ----

  /** Level i's price into out[o]. */
  pxInto(i: number, out: Int32Array, o: number): void {
    copy(out, o, this.prices, i * 2);
  }

  /** Size left at level i for a taker (displayed minus what the algo took there, never below 0), into out[o]. */
  leftInto(i: number, out: Int32Array, o: number): void {
    const k = i * 2;
    if (zero(this.taken, k)) copy(out, o, this.sizes, k);
    else if (lt(this.taken, k, this.sizes, k)) sub(out, o, this.sizes, k, this.taken, k);
    else setZero(out, o);
  }

  /** Displayed size at exactly px[pi] (0 when there is no level there), into out[o]. */
  sizeAtInto(px: Int32Array, pi: number, out: Int32Array, o: number): void {
    const i = this.find(px, pi);
    if (i >= 0) copy(out, o, this.sizes, i * 2);
    else setZero(out, o);
  }

  /** Sets the level at px[pi] to qty[qi]; 0 removes it. The size it had goes to `had`. */
  setLevel(px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    const i = this.find(px, pi);
    if (i >= 0) {
      const k = i * 2;
      copy(this.had, 0, this.sizes, k);
      if (zero(qty, qi)) {
        this.remove(i);
      } else {
        copy(this.sizes, k, qty, qi);
        if (lt(qty, qi, this.had, 0)) this.shrinkTaken(i, this.had, 0, qty, qi);
      }
      return;
    }
    setZero(this.had, 0);
    if (zero(qty, qi)) return;
    const at = -i - 1;
    this.insert(at, px, pi, qty, qi);
    for (let c = 0; c < this.clearedN; c++) {
      if (!eq(this.clearedPx, c * 2, px, pi)) continue;
      copy(this.taken, at * 2, this.clearedTaken, c * 2);
      if (lt(qty, qi, this.clearedSize, c * 2)) this.shrinkTaken(at, this.clearedSize, c * 2, qty, qi);
      break;
    }
  }

  /** Records that the algo took qty[qi] at px[pi] (nothing when there is no level there). */
  takeAt(px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    const i = this.find(px, pi);
    if (i >= 0) add(this.taken, i * 2, this.taken, i * 2, qty, qi);
  }

  /** True when a[ai] is a better price than b[bi] on this side. */
  isBetter(a: Int32Array, ai: number, b: Int32Array, bi: number): boolean {
    return this.bids ? lt(b, bi, a, ai) : lt(a, ai, b, bi);
  }

  clear(): void {
    this.clearedN = 0;
    for (let i = 0; i < this.n; i++) {
      if (zero(this.taken, i * 2)) continue;
      const c = this.clearedN++;
      this.clearedPx = room(this.clearedPx, c + 1);
      this.clearedSize = room(this.clearedSize, c + 1);
      this.clearedTaken = room(this.clearedTaken, c + 1);
      copy(this.clearedPx, c * 2, this.prices, i * 2);
      copy(this.clearedSize, c * 2, this.sizes, i * 2);
      copy(this.clearedTaken, c * 2, this.taken, i * 2);
    }
    this.n = 0;
  }

  /** The update that cleared this side is complete: levels it did not show again are gone. */
  settle(): void {
    this.clearedN = 0;
  }

  /**
   * The data's level i went from was[wi] down to now[ni]: as for the L1 touch,
   * that much of what the algo took is treated as having left the data's book too.
   */
  private shrinkTaken(i: number, was: Int32Array, wi: number, now: Int32Array, ni: number): void {
    const k = i * 2;
    if (zero(this.taken, k)) return;
    const by = this.tmp;
    sub(by, 0, was, wi, now, ni);
    if (lt(by, 0, this.taken, k)) sub(this.taken, k, this.taken, k, by, 0);
    else setZero(this.taken, k);
  }

  private insert(at: number, px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    const n = this.n;
    this.prices = room(this.prices, n + 1);
    this.sizes = room(this.sizes, n + 1);
    this.taken = room(this.taken, n + 1);
    this.prices.copyWithin(at * 2 + 2, at * 2, n * 2);
    this.sizes.copyWithin(at * 2 + 2, at * 2, n * 2);
    this.taken.copyWithin(at * 2 + 2, at * 2, n * 2);
    copy(this.prices, at * 2, px, pi);
    copy(this.sizes, at * 2, qty, qi);
    setZero(this.taken, at * 2);
    this.n = n + 1;
  }

  private remove(i: number): void {
    const n = this.n;
    this.prices.copyWithin(i * 2, i * 2 + 2, n * 2);
    this.sizes.copyWithin(i * 2, i * 2 + 2, n * 2);
    this.taken.copyWithin(i * 2, i * 2 + 2, n * 2);
    this.n = n - 1;
  }

  /** Index of px[pi], or -(insertion point) - 1 when absent (binary search, best first). */
  private find(px: Int32Array, pi: number): number {
    const p = this.prices;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (eq(p, mid * 2, px, pi)) return mid;
      if (this.isBetter(p, mid * 2, px, pi)) lo = mid + 1;
      else hi = mid;
    }
    return -lo - 1;
  }

  // ---- BigInt (the book-file reader and tests) ----

  /** Price of level i (0 = the best); undefined past the last level. */
  px(i: number): bigint | undefined {
    return i < this.n ? big(this.prices, i * 2) : undefined;
  }

  /** Displayed size of level i (qty 1e8); 0n past the last level. */
  qty(i: number): bigint {
    return i < this.n ? big(this.sizes, i * 2) : 0n;
  }

  /** Displayed size at exactly `px` (0n when there is no level there). */
  sizeAt(px: bigint): bigint {
    put(this.tmp, 2, px);
    this.sizeAtInto(this.tmp, 2, this.tmp, 2);
    return big(this.tmp, 2);
  }

  /** Sets the level at `px` to `qty`; qty 0 removes it. Returns the size it had. */
  set(px: bigint, qty: bigint): bigint {
    const v = this.args;
    put(v, 0, px);
    put(v, 2, qty);
    this.setLevel(v, 0, v, 2);
    return big(this.had, 0);
  }

  /** Records that the algo took `qty` at `px` (nothing when there is no level there). */
  take(px: bigint, qty: bigint): void {
    const v = this.args;
    put(v, 0, px);
    put(v, 2, qty);
    this.takeAt(v, 0, v, 2);
  }

  /** Size left at level i for a taker. */
  left(i: number): bigint {
    this.leftInto(i, this.tmp, 2);
    return big(this.tmp, 2);
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: bigint, b: bigint): boolean {
    return this.bids ? a > b : a < b;
  }

  /** Time of the newest record applied to this side. */
  get updatedAt(): bigint {
    return big(this.at, 0);
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
  private readonly tmp = new Int32Array(6);

  /** The side for a side code: 1 the bids, 2 the asks. */
  side(code: number): BookSide {
    return code === SideCode.Buy ? this.bids : this.asks;
  }

  /**
   * Applies one DEPTH record whose fields are halves in `rec` (price at pi,
   * size at qi, time at ti): empties the side first when `flags` has
   * DepthFlag.Clear, then sets the level (qty 0 removes it; removing a level
   * that is not there changes nothing). The size the level had is left in the
   * side's `had`.
   */
  applyHalves(sideCode: number, flags: number, rec: Int32Array, pi: number, qi: number, ti: number): BookSide {
    const side = this.side(sideCode);
    if (flags & DepthFlag.Clear) side.clear();
    side.setLevel(rec, pi, rec, qi);
    copy(side.at, 0, rec, ti);
    if (flags & DepthFlag.Last) {
      this.bids.settle();
      this.asks.settle();
    }
    return side;
  }

  /** As applyHalves, with BigInt values (for the reader and tests); returns the size the level had. */
  apply(sideCode: number, flags: number, px: bigint, qty: bigint, ts = 0n): bigint {
    const v = this.tmp;
    put(v, 0, px);
    put(v, 2, qty);
    put(v, 4, ts);
    return big(this.applyHalves(sideCode, flags, v, 0, 2, 4).had, 0);
  }

  /** Applies record `i` of a batch's halves view (record-view.ts; the caller checked it is a DEPTH record). */
  applyRecord(heads: Int32Array, i: number): void {
    const b = recordStart(i);
    this.applyHalves(sideAt(heads, b), subAt(heads, b), heads, b + Half.DepthPx, b + Half.DepthQty, b + Half.Ts);
  }

  /** Best bid and ask overlap (bid >= ask): impossible for one venue's complete book. */
  crossed(): boolean {
    if (this.bids.count === 0 || this.asks.count === 0) return false;
    const v = this.tmp;
    this.bids.pxInto(0, v, 0);
    this.asks.pxInto(0, v, 2);
    return !lt(v, 0, v, 2);
  }

  // ---- BigInt reads (the book-file reader and tests; the venue reads through L2BookView) ----

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
    return s.count === 0 ? 0n : s.left(0);
  }

  /** Size displayed at `px` on `side`, not less what was taken (0 where there is no level): an L2 book sees every level. */
  displayedAt(side: number, px: bigint): bigint {
    return this.side(side).sizeAt(px);
  }

  /** Visits levels from the best outward with the size left at each (levels the algo took whole are skipped), until `visit` returns false. */
  walk(side: number, visit: (px: bigint, qty: bigint) => boolean): void {
    const s = this.side(side);
    for (let i = 0; i < s.count; i++) {
      const left = s.left(i);
      if (left > 0n && !visit(s.px(i)!, left)) return;
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

/** The venue's view of an L2Book (book.ts, Book): reads the levels' halves as they are, no BigInt. */
export class L2BookView implements Book {
  private readonly level = new Int32Array(4);

  constructor(readonly l2: L2Book) {}

  present(side: number): boolean {
    return this.l2.side(side).count > 0;
  }

  bestPx(side: number, out: Int32Array, i: number): void {
    const s = this.l2.side(side);
    if (s.count > 0) s.pxInto(0, out, i);
    else setZero(out, i);
  }

  bestQty(side: number, out: Int32Array, i: number): void {
    const s = this.l2.side(side);
    if (s.count > 0) s.leftInto(0, out, i);
    else setZero(out, i);
  }

  displayedAt(side: number, px: Int32Array, pi: number, out: Int32Array, i: number): boolean {
    this.l2.side(side).sizeAtInto(px, pi, out, i);
    return true; // an L2 book sees every level
  }

  walk(side: number, visit: (level: Int32Array) => boolean): void {
    const s = this.l2.side(side);
    const level = this.level;
    for (let i = 0; i < s.count; i++) {
      s.leftInto(i, level, 2);
      if (!positive(level, 2)) continue;
      s.pxInto(i, level, 0);
      if (!visit(level)) return;
    }
  }

  take(side: number, px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    this.l2.side(side).takeAt(px, pi, qty, qi);
  }

  updatedAt(side: number, out: Int32Array, i: number): void {
    copy(out, i, this.l2.side(side).at, 0);
  }
}
