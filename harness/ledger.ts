/**
 * The exact account of one algo on one instrument: position, cost basis,
 * realized and unrealized PnL, fees, and the equity curve's drawdown.
 *
 * Internally money is kept at 1e17 (qty 1e8 × price 1e9) so fills add up
 * with no rounding at all; the only division is when part of a position is
 * closed (its share of the cost basis), rounded half-even at 1e-17 USD.
 * Reported figures are rounded half-even to 1e-9 USD.
 */
import { divRound } from "./fixed.ts";
import { big, copy, lt, put } from "./venue/i64.ts";
import { SideCode } from "./abi.ts";

const E8 = 100_000_000n;

export interface LedgerSnapshot {
  position_1e8: bigint;
  avg_entry_1e9: bigint;
  mark_1e9: bigint;
  realized_pnl_1e9: bigint;
  unrealized_pnl_1e9: bigint;
  fees_1e9: bigint;
  net_pnl_1e9: bigint;
  max_drawdown_1e9: bigint;
  volume_1e8: bigint;
  notional_1e9: bigint;
  /**
   * The open position's signed cost basis (position × average entry: negative
   * for a short), rounded half-even once. For the emulator's totals across
   * runs (src/dev/totals.ts); not part of the report's `pnl` (PnlSummary).
   */
  cost_1e9: bigint;
}

/** The ledger's figures as the report writes them. */
export type PnlSummary = Omit<LedgerSnapshot, "cost_1e9">;

/** The snapshot without what the report leaves out, its keys in the same order. */
export function pnlSummary(snapshot: LedgerSnapshot): PnlSummary {
  const { cost_1e9: _cost, ...pnl } = snapshot;
  return pnl;
}

/** Told of every change of equity, for the statistics' equity series (report/equity-series.ts). */
export interface EquityObserver {
  /** Equity (PnL net of fees, 1e17 USD: exact) after a fill or a mark at `ts`. */
  onEquity(ts: bigint, equity_1e17: bigint): void;
  /**
   * Equities that, reported before `until`, would change nothing but which
   * equity was the latest: the ledger may then hold a mark back and report
   * only the last of a run of them. Null (or no method): report every one.
   */
  quietBand?(): QuietBand | null;
}

/** lo ≤ equity < hi (1e17 USD), at times before `until`. */
export interface QuietBand {
  lo: bigint;
  hi: bigint;
  until: bigint;
}

const FOREVER = 1n << 63n;
/** Marks a band must hold to be worth its divisions (about what reporting that many marks costs). */
const BAND_PAYS = 3;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** floor(a / b) for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

export class Ledger {
  constructor(private readonly observer?: EquityObserver) {}

  /** Signed position, 1e8. */
  position = 0n;
  /** Fills applied so far (the account's copy of cash and position follows it). */
  fillCount = 0;
  /** Cost of the open position, 1e17, always >= 0. */
  private cost = 0n;
  private realized = 0n; // 1e17
  private fees = 0n; // 1e9
  private mark = 0n; // 1e9
  private volume = 0n; // 1e8
  private notional = 0n; // 1e17
  private peak = 0n; // equity high-water mark, 1e17
  private maxDrawdown = 0n; // 1e17
  /** Equity at a mark of 0 (cashFlow()), 1e17: changes only on fills, so a mark's equity is flat + position × mark. */
  private flat = 0n;
  /**
   * Most marks move equity within a band where neither the drawdown here nor
   * the observer's changes (see QuietBand): such a mark is held back (one
   * comparison, no BigInt arithmetic) and reported, exactly, only when the
   * next reported event comes. The band in price terms, inclusive; empty when lo > hi.
   */
  private quietLo = 1n;
  private quietHi = 0n;
  private quietUntil = 0n;
  private quietValid = false;
  /** The band as i64 halves for markHeld (venue/i64.ts): lo at 0, hi at 2, until at 4; `quietHalves` false: empty. */
  private readonly quietH = new Int32Array(6);
  private quietHalves = false;
  private untilForever = false;
  /** The held-back mark as halves: price at 0, time at 2. */
  private readonly held = new Int32Array(4);
  private holding = false;
  /** A held-back fill's equity (1e17) and time, instead of a mark: null when the held value is a mark. */
  private heldEquity: bigint | null = null;
  private heldEquityTs = 0n;
  /** The observer's band, asked once until the observer is next told an equity. */
  private observerBand: QuietBand | null = null;
  private observerBandValid = false;
  /** `mark` is behind the held price (markHeld does not make a BigInt). */
  private markStale = false;
  /**
   * Setting the band costs divisions: when fills and peaks come faster than
   * marks (a market maker at the touch), bands go unused. Marks the current
   * band held; after a band that held fewer than BAND_PAYS, this many marks
   * are reported without setting one (doubling while bands stay idle).
   * Reporting a mark is always exact: this only decides how much work is skipped.
   */
  private bandHeld = 0;
  private bandBackoff = 0;
  private bandSkip = 0;

  /**
   * `ts` only timestamps the equity series; it does not change the arithmetic.
   * Returns the fill's notional, qty × px at 1e17 USD (the statistics add it up too).
   */
  applyFill(side: SideCode, px: bigint, qty: bigint, fee: bigint, ts = 0n): bigint {
    this.flush();
    this.fillCount++;
    const buy = side === SideCode.Buy;
    this.fees += fee;
    this.volume += qty;
    const value = qty * px; // once: each BigInt product allocates
    this.notional += value;
    const pos = this.position;
    if (pos === 0n || pos > 0n === buy) {
      this.cost += value;
    } else {
      const open = pos < 0n ? -pos : pos;
      const closed = qty < open ? qty : open;
      const closedCost = closed === open ? this.cost : divRound(this.cost * closed, open, "half-even");
      const proceeds = closed === qty ? value : closed * px;
      this.realized += pos > 0n ? proceeds - closedCost : closedCost - proceeds;
      if (qty > open) this.cost = (qty - open) * px; // flipped: the rest opens at this price
      else this.cost = closed === open ? 0n : this.cost - closedCost;
    }
    this.position = buy ? pos + qty : pos - qty;
    // cashFlow() moves by exactly the fill's cash: the rounded cost share cancels out (see cashFlow).
    const cash = fee === 0n ? value : buy ? value + fee * E8 : value - fee * E8;
    this.flat = buy ? this.flat - cash : this.flat + cash;
    if (this.mark === 0n) this.mark = px; // no market price seen yet
    this.updateDrawdown(ts, true);
    return value;
  }

  /** Marks the position to `px` (1e9); call on every price change while a position is open. */
  markTo(px: bigint, ts = 0n): void {
    this.syncMark();
    if (px === this.mark) return;
    this.mark = px;
    if (this.position === 0n) return;
    if (!this.quietValid) {
      if (this.bandSkip > 0) {
        this.bandSkip--;
        return this.updateDrawdown(ts);
      }
      this.setQuietBand();
    }
    if (ts < this.quietUntil && px >= this.quietLo && px <= this.quietHi) {
      put(this.held, 0, px);
      put(this.held, 2, ts);
      this.holding = true;
      this.heldEquity = null;
      this.bandHeld++;
      return;
    }
    this.updateDrawdown(ts);
  }

  /**
   * The per-tick fast path of markTo, on i64 halves: holds the mark at
   * px[pi] (time ts[ti]) back and returns true when its equity is in the
   * quiet band, allocating nothing; otherwise returns false and the caller
   * calls markTo. (Holding a price equal to the mark is harmless: it is in
   * the band, so only the latest equity changes, to the same value.)
   */
  markHeld(px: Int32Array, pi: number, ts: Int32Array, ti: number): boolean {
    if (this.position === 0n) return false;
    if (!this.quietValid) {
      if (this.bandSkip > 0) return false; // markTo counts it
      this.setQuietBand();
    }
    const q = this.quietH;
    if (!this.quietHalves || lt(px, pi, q, 0) || lt(q, 2, px, pi) || (!this.untilForever && !lt(ts, ti, q, 4))) return false;
    this.holdMarks(px, pi, ts, ti, 1);
    return true;
  }

  /**
   * The quiet band as it stands, for a caller that tests many marks against
   * it before holding the last (engine.ts markTicks): halves with the lowest
   * price at 0, the highest at 2 (both inclusive) and the time the band ends
   * at 4 (exclusive; ignore it when `quietForever`). Null when there is no
   * band now: a mark then goes through markHeld, which may set one.
   */
  quietBand(): Int32Array | null {
    return this.quietValid && this.quietHalves ? this.quietH : null;
  }

  get quietForever(): boolean {
    return this.untilForever;
  }

  /**
   * Holds back `count` marks in the quiet band at once, of which the last is
   * px[pi] at ts[ti]: the same state as markHeld holding each in turn (only
   * the latest is ever reported).
   */
  holdMarks(px: Int32Array, pi: number, ts: Int32Array, ti: number, count: number): void {
    copy(this.held, 0, px, pi);
    copy(this.held, 2, ts, ti);
    this.holding = true;
    this.heldEquity = null;
    this.markStale = true;
    this.bandHeld += count;
  }

  private syncMark(): void {
    if (!this.markStale) return;
    this.mark = big(this.held, 0);
    this.markStale = false;
  }

  /** Reports the held-back mark, if any (the report and the account read a settled ledger). */
  flush(): void {
    this.syncMark();
    if (!this.holding) return;
    this.holding = false;
    if (this.heldEquity !== null) {
      const equity = this.heldEquity;
      this.heldEquity = null;
      this.report(this.heldEquityTs, equity);
    } else this.report(big(this.held, 2), this.equityAt(big(this.held, 0))); // a later mark may be set already
  }

  private report(ts: bigint, equity: bigint): void {
    this.observerBandValid = false;
    this.observer?.onEquity(ts, equity);
  }

  private bandOfObserver(): QuietBand | null {
    if (!this.observerBandValid) {
      this.observerBand = this.observer?.quietBand?.() ?? null;
      this.observerBandValid = true;
    }
    return this.observerBand;
  }

  /** Equity (1e17) if the open position were marked at `px`. */
  private equityAt(px: bigint): bigint {
    return this.flat + this.position * px;
  }

  /**
   * The prices whose equity lies in the quiet band: where the drawdown here
   * does not change (peak − maxDrawdown ≤ equity ≤ peak) and the observer's
   * band. Equity is K + position × price, so the band's ends divide by the position.
   */
  private setQuietBand(): void {
    this.quietValid = true;
    this.quietHalves = false;
    this.quietLo = 1n;
    this.quietHi = 0n;
    let lo = this.peak - this.maxDrawdown;
    let hi = this.peak + 1n;
    let until = FOREVER;
    if (this.observer) {
      const band = this.bandOfObserver();
      if (band === null) return;
      if (band.lo > lo) lo = band.lo;
      if (band.hi < hi) hi = band.hi;
      until = band.until;
    }
    if (lo >= hi) return;
    const k = this.flat;
    const pos = this.position;
    if (pos > 0n) {
      // lo ≤ k + pos·m < hi  ⟺  ⌈(lo − k) / pos⌉ ≤ m ≤ ⌈(hi − k) / pos⌉ − 1
      this.quietLo = -floorDiv(k - lo, pos);
      this.quietHi = -floorDiv(k - hi, pos) - 1n;
    } else {
      // lo ≤ k − p·m < hi (p = −pos)  ⟺  ⌊(k − hi) / p⌋ + 1 ≤ m ≤ ⌊(k − lo) / p⌋
      this.quietLo = floorDiv(k - hi, -pos) + 1n;
      this.quietHi = floorDiv(k - lo, -pos);
    }
    this.quietUntil = until;
    // The same band for markHeld, clamped to the i64 range every price lies in.
    const bandLo = this.quietLo < I64_MIN ? I64_MIN : this.quietLo;
    const bandHi = this.quietHi > I64_MAX ? I64_MAX : this.quietHi;
    this.untilForever = until > I64_MAX;
    if (bandLo > bandHi || until <= I64_MIN) return;
    put(this.quietH, 0, bandLo);
    put(this.quietH, 2, bandHi);
    if (!this.untilForever) put(this.quietH, 4, until);
    this.quietHalves = true;
  }

  private unrealized(): bigint {
    const pos = this.position;
    if (pos === 0n) return 0n;
    return pos > 0n ? pos * this.mark - this.cost : this.cost + pos * this.mark;
  }

  private updateDrawdown(ts: bigint, fill = false): void {
    this.flush();
    if (this.quietValid) {
      this.bandBackoff = this.bandHeld >= BAND_PAYS ? 0 : Math.min(this.bandBackoff + 1, 6);
      this.bandSkip = (1 << this.bandBackoff) - 1;
      this.bandHeld = 0;
    }
    this.quietValid = false; // the fill, a new peak or the observer's state moves the band
    const equity = this.equityAt(this.mark);
    // A fill's equity in the quiet band is held back like a mark's (the drawdown here cannot change either).
    // The drawdown here first: at a new peak the observer's band (objects) is not asked for.
    if (fill && this.observer && equity <= this.peak && equity >= this.peak - this.maxDrawdown) {
      const band = this.bandOfObserver();
      if (band !== null && ts < band.until && equity >= band.lo && equity < band.hi) {
        this.heldEquity = equity;
        this.heldEquityTs = ts;
        this.holding = true;
        return;
      }
    }
    this.report(ts, equity);
    if (equity > this.peak) this.peak = equity;
    else {
      const fall = this.peak - equity; // once: each BigInt difference allocates
      if (fall > this.maxDrawdown) this.maxDrawdown = fall;
    }
  }

  /**
   * The cash the fills moved, 1e17 USD: sells − buys − fees. Exact: realized
   * PnL and the open cost share one rounding, which cancels out here.
   */
  cashFlow(): bigint {
    const pos = this.position;
    return this.realized - this.fees * E8 - (pos > 0n ? this.cost : pos < 0n ? -this.cost : 0n);
  }

  snapshot(): LedgerSnapshot {
    this.flush();
    const to1e9 = (v: bigint) => divRound(v, E8, "half-even");
    const open = this.position < 0n ? -this.position : this.position;
    const realized = to1e9(this.realized);
    const unrealized = to1e9(this.unrealized());
    return {
      position_1e8: this.position,
      avg_entry_1e9: open === 0n ? 0n : divRound(this.cost, open, "half-even"),
      mark_1e9: this.mark,
      realized_pnl_1e9: realized,
      unrealized_pnl_1e9: unrealized,
      fees_1e9: this.fees,
      net_pnl_1e9: realized + unrealized - this.fees,
      max_drawdown_1e9: to1e9(this.maxDrawdown),
      volume_1e8: this.volume,
      notional_1e9: to1e9(this.notional),
      cost_1e9: to1e9(this.position < 0n ? -this.cost : this.cost),
    };
  }
}
