/**
 * One edge's market replay: reads the edge's ticks (data.ts), paces them on
 * the edge's clock, and publishes them into the edge's TickRing for the
 * engines it hosts. It also keeps what the API answers from: the latest quote
 * and trade, the mark, one-second closes (bars.ts), and — through the ring —
 * the latest prints for tick-mode price history.
 *
 * Looping: at the end of the data the replay starts over, with every
 * timestamp shifted by the data's span plus one average record spacing, so an
 * edge's clock never runs backwards. A restarted emulator shifts the first
 * loop past the clock it stored, for the same reason.
 */
import { type RecordBatch } from "../../harness/data/record.ts";
import { Kind, RECORD_WORDS } from "../../harness/abi.ts";
import { headerKind, headerSide, tsOf, Word, wordOf } from "../../harness/record-view.ts";
import { quoteMark } from "../../harness/venue/venue.ts";
import { SecondBars } from "./bars.ts";
import type { EdgeData } from "./data.ts";
import type { EdgeSpec } from "./edges.ts";
import { PUBLISH_CHUNK, TickRing } from "./ring.ts";

export const RING_CAPACITY = 65_536;
/** Shift after a stored clock on restart. */
const RESUME_GAP_NS = 1_000_000n;
const READ_BATCH = 4096;

export interface EdgeQuote {
  ts_ns: bigint;
  bid_px_1e9: bigint;
  bid_qty_1e8: bigint;
  ask_px_1e9: bigint;
  ask_qty_1e8: bigint;
  /** performance.now() when it was published. */
  wallMs: number;
}

export interface TickPoint {
  ts_ns: bigint;
  price_1e9: bigint;
  qty_1e8?: bigint;
  side?: string;
  venue_id: number;
}

export class EdgeFeed {
  readonly ring: TickRing;
  readonly bars = new SecondBars();
  /** Edge time of the newest published record (0 before the first). */
  clock = 0n;
  published = 0;
  loops = 0;
  trades = 0;
  quote: EdgeQuote | undefined;
  /** Price of the newest market event: trade price, or quote mid. */
  mark = 0n;
  /** Why the replay stopped (a data error); the edge keeps its last state. */
  error: string | undefined;

  /** Edge time and wall time (ms) the pacing counts from; set by `prime`. */
  originTs = 0n;
  originWall = 0;

  private iter: AsyncIterator<RecordBatch> | undefined;
  private buf = new BigInt64Array(0);
  private bufLen = 0;
  private bufPos = 0;
  private offset = 0n;
  private firstRaw: bigint | undefined;
  private lastRaw = 0n;
  private loopRecords = 0;
  private busy = false;

  constructor(
    readonly spec: EdgeSpec,
    readonly data: EdgeData,
    private readonly resumeAfterNs: bigint | undefined,
    capacity = RING_CAPACITY,
  ) {
    this.ring = TickRing.create(capacity);
  }

  /** Reads the first records and starts the edge's clock at the first one. */
  async prime(wallNow: number): Promise<void> {
    try {
      await this.refill();
    } catch (e) {
      this.error = `cannot read the data (${(e as Error).message})`;
    }
    this.originTs = this.bufLen > 0 ? tsOf(this.buf, this.bufPos) + this.offset : 0n;
    this.originWall = wallNow;
  }

  /** Edge time the pacing has reached at wall time `now` (ms). */
  targetAt(now: number, speed: number): bigint {
    return this.originTs + BigInt(Math.floor((now - this.originWall) * speed * 1e6));
  }

  /**
   * Publishes every record up to edge time `until` (everything it can when
   * null), stopping early at wall time `deadline` (performance.now() ms).
   */
  async pump(until: bigint | null, deadline: number): Promise<void> {
    if (this.busy || this.error !== undefined) return;
    this.busy = true;
    try {
      let n = 0;
      for (;;) {
        if (this.bufPos >= this.bufLen) {
          this.ring.publish(); // nothing stays unpublished across an await
          if (!(await this.refill())) break;
          continue;
        }
        const ts = tsOf(this.buf, this.bufPos) + this.offset;
        if (until !== null && ts > until) break;
        this.emit(this.bufPos, ts);
        this.bufPos++;
        if ((++n & 255) === 0 && performance.now() > deadline) break;
      }
    } catch (e) {
      this.error = `replay stopped: ${(e as Error).message}`;
    } finally {
      this.ring.publish();
      this.busy = false;
    }
  }

  /** Publishes record j of the buffer at `ts`. */
  private emit(j: number, ts: bigint): void {
    const b = this.buf;
    this.ring.write(b, j, ts);
    this.clock = ts;
    this.published++;
    const kind = headerKind(wordOf(b, j, Word.Header));
    if (kind === Kind.Quote) {
      const bid = wordOf(b, j, Word.BidPx);
      const ask = wordOf(b, j, Word.AskPx);
      this.quote = { ts_ns: ts, bid_px_1e9: bid, bid_qty_1e8: wordOf(b, j, Word.BidQty), ask_px_1e9: ask, ask_qty_1e8: wordOf(b, j, Word.AskQty), wallMs: performance.now() };
      const mid = quoteMark(bid, ask);
      if (mid > 0n) {
        this.mark = mid;
        this.bars.add(ts, mid, false);
      }
    } else if (kind === Kind.Trade) {
      this.trades++;
      this.mark = wordOf(b, j, Word.TradePx);
      this.bars.add(ts, this.mark, true);
    }
  }

  /** Loads the next batch into `buf`, looping at the end of the data; false when there is nothing to replay. */
  private async refill(): Promise<boolean> {
    for (let guard = 0; guard < 3; guard++) {
      this.iter ??= (await this.data.open()).batches(READ_BATCH)[Symbol.asyncIterator]();
      const r = await this.iter.next();
      if (!r.done) {
        const batch = r.value;
        if (batch.length === 0) {
          guard--;
          continue;
        }
        // The source may reuse its batch once asked for the next one: keep a copy.
        this.buf = batch.words.slice(0, batch.length * RECORD_WORDS);
        this.bufLen = batch.length;
        this.bufPos = 0;
        if (this.firstRaw === undefined) {
          this.firstRaw = batch.ts(0);
          if (this.resumeAfterNs !== undefined && this.firstRaw <= this.resumeAfterNs) {
            this.offset = this.resumeAfterNs - this.firstRaw + RESUME_GAP_NS;
          }
        }
        this.lastRaw = batch.ts(batch.length - 1);
        this.loopRecords += batch.length;
        return true;
      }
      this.iter = undefined;
      if (this.loopRecords === 0 || this.firstRaw === undefined) {
        this.error = "the data has no records";
        return false;
      }
      const span = this.lastRaw - this.firstRaw;
      let gap = this.loopRecords > 1 ? span / BigInt(this.loopRecords - 1) : 1_000_000n;
      if (gap <= 0n) gap = 1n;
      this.offset += span + gap;
      this.loops++;
      this.loopRecords = 0;
    }
    return false;
  }

  /**
   * The newest prints in [fromNs, toNs], oldest first, at most `limit`:
   * trades with size and aggressor side, or quote mids when the data has no trades.
   */
  ticks(fromNs: bigint, toNs: bigint, limit: number): TickPoint[] {
    const out: TickPoint[] = [];
    const head = this.ring.head();
    const oldest = Math.max(0, head - (this.ring.capacity - PUBLISH_CHUNK));
    const useTrades = this.trades > 0;
    for (let i = head - 1; i >= oldest && out.length < limit; i--) {
      const ts = this.ring.word(i, Word.Ts);
      if (ts > toNs) continue;
      if (ts < fromNs) break;
      const h = this.ring.word(i, Word.Header);
      const kind = headerKind(h);
      if (useTrades && kind === Kind.Trade) {
        const side = headerSide(h);
        out.push({
          ts_ns: ts,
          price_1e9: this.ring.word(i, Word.TradePx),
          qty_1e8: this.ring.word(i, Word.TradeQty),
          ...(side === 1 ? { side: "buy" } : side === 2 ? { side: "sell" } : {}),
          venue_id: this.spec.venueId,
        });
      } else if (!useTrades && kind === Kind.Quote) {
        const mid = quoteMark(this.ring.word(i, Word.BidPx), this.ring.word(i, Word.AskPx));
        if (mid > 0n) out.push({ ts_ns: ts, price_1e9: mid, venue_id: this.spec.venueId });
      }
    }
    return out.reverse();
  }
}
