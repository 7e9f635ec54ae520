/**
 * The one validation every reader applies to every record it produces, so a
 * .ticks file, a CSV and a price_history JSON cannot disagree on what market
 * data may say: a market kind only (abi.ts MARKET_KINDS), quantities >= 0,
 * a known side, an uncrossed quote, time from 1970 on and never backwards.
 * Readers may refuse earlier with a more precise message (a CSV column);
 * this check is what guarantees the invariants whatever the format.
 *
 * It reads the record through 32-bit views of the batch's memory: signs and
 * comparisons without allocating a BigInt per word (.ticks replays run it on
 * every record).
 */
import { DataError } from "./errors.ts";
import { type RecordBatch } from "./record.ts";
import { KIND_NAMES, Kind, MARKET_KINDS } from "../abi.ts";
import { Half, hiAt, kindAt, loAt, recordStart, sideAt, tsOf, Word, wordOf } from "../record-view.ts";
import { TimeGuard } from "./time.ts";

const IS_MARKET = new Uint8Array(256);
for (const k of MARKET_KINDS) IS_MARKET[k] = 1;

function marketKindList(): string {
  return MARKET_KINDS.map((k) => `${k} ${KIND_NAMES[k] ?? "?"}`).join(", ");
}

export class RecordCheck {
  private readonly time: TimeGuard;
  private memory: ArrayBufferLike | undefined;
  private i32: Int32Array<ArrayBufferLike> = new Int32Array(0);

  constructor(
    private readonly file: string,
    private readonly unit: "line" | "record" = "line",
  ) {
    this.time = new TimeGuard(file, unit);
  }

  /**
   * Checks record `i` of `batch`. `at` is its line (text) or 1-based record
   * number (.ticks) for messages; `point` names a price_history array element.
   */
  check(batch: RecordBatch, i: number, at: number, point = -1): void {
    const w = batch.words;
    if (w.buffer !== this.memory) {
      this.memory = w.buffer;
      this.i32 = new Int32Array(w.buffer);
    }
    const i32 = this.i32;
    const b = (w.byteOffset >> 2) + recordStart(i); // the view covers the whole buffer
    const kind = kindAt(i32, b);
    if (!IS_MARKET[kind]) {
      const name = KIND_NAMES[kind];
      throw this.fail(at, point, "kind", `a market-data record (kind ${marketKindList()})`, undefined,
        name === undefined ? `kind ${kind}` : `kind ${kind} (${name}, a host event: only the simulated venue produces fills, orders and timers)`);
    }
    if (hiAt(i32, b + Half.Ts) < 0) throw this.fail(at, point, "ts_ns", "a timestamp from 1970 on", tsOf(w, i).toString());
    const side = sideAt(i32, b);
    if (kind === Kind.Quote) {
      if (hiAt(i32, b + Half.BidQty) < 0) throw this.fail(at, point, "bid_qty_1e8", "a quantity >= 0", wordOf(w, i, Word.BidQty).toString());
      if (hiAt(i32, b + Half.AskQty) < 0) throw this.fail(at, point, "ask_qty_1e8", "a quantity >= 0", wordOf(w, i, Word.AskQty).toString());
      const bothSides = nonZero(i32, b + Half.BidQty) && nonZero(i32, b + Half.AskQty);
      if (bothSides && this.greater(b + Half.BidPx, b + Half.AskPx)) {
        throw this.fail(at, point, "bid_px_1e9", `an uncrossed quote: bid price <= ask price (${wordOf(w, i, Word.AskPx)})`, wordOf(w, i, Word.BidPx).toString());
      }
    } else if (kind === Kind.Trade) {
      if (hiAt(i32, b + Half.TradeQty) < 0) throw this.fail(at, point, "qty_1e8", "a quantity >= 0", wordOf(w, i, Word.TradeQty).toString());
      if (side > 2) throw this.fail(at, point, "side", "a side 0 (none), 1 (buy) or 2 (sell)", String(side));
    }
    this.time.check(tsOf(w, i), at, point);
  }

  /** Signed 64-bit a > b, for fields at 32-bit indexes `a` and `b`. */
  private greater(a: number, b: number): boolean {
    const ha = hiAt(this.i32, a);
    const hb = hiAt(this.i32, b);
    return ha !== hb ? ha > hb : loAt(this.i32, a) > loAt(this.i32, b);
  }

  private fail(at: number, point: number, field: string, expected: string, got?: string, found?: string): DataError {
    return new DataError({ file: this.file, line: at, unit: this.unit, field: point >= 0 ? `points[${point}].${field}` : field, expected, got, found });
  }
}

/** The i64 field at h[i] is not 0. */
function nonZero(h: Int32Array, i: number): boolean {
  return h[i] !== 0 || hiAt(h, i) !== 0;
}
