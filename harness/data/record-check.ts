/**
 * The one validation every reader applies to every record it produces, so a
 * .ticks file, a CSV and a price_history JSON cannot disagree on what market
 * data may say: a market kind only (record.ts MARKET_KINDS), quantities >= 0,
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
import { KIND_NAMES, Kind, MARKET_KINDS, RECORD_WORDS } from "../abi.ts";
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
  private u32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

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
      this.u32 = new Uint32Array(w.buffer);
    }
    const i32 = this.i32;
    const b = (w.byteOffset >> 2) + i * RECORD_WORDS * 2; // word k: lo at b+2k, hi at b+2k+1
    const head = this.u32[b + 2];
    const kind = head & 0xff;
    if (!IS_MARKET[kind]) {
      const name = KIND_NAMES[kind];
      throw this.fail(at, point, "kind", `a market-data record (kind ${marketKindList()})`, undefined,
        name === undefined ? `kind ${kind}` : `kind ${kind} (${name}, a host event: only the simulated venue produces fills, orders and timers)`);
    }
    if (i32[b + 1] < 0) throw this.fail(at, point, "ts_ns", "a timestamp from 1970 on", w[i * RECORD_WORDS].toString());
    const side = (head >>> 8) & 0xff;
    if (kind === Kind.Quote) {
      if (i32[b + 7] < 0) throw this.fail(at, point, "bid_qty_1e8", "a quantity >= 0", w[i * RECORD_WORDS + 3].toString());
      if (i32[b + 11] < 0) throw this.fail(at, point, "ask_qty_1e8", "a quantity >= 0", w[i * RECORD_WORDS + 5].toString());
      const bothSides = (i32[b + 7] !== 0 || this.u32[b + 6] !== 0) && (i32[b + 11] !== 0 || this.u32[b + 10] !== 0);
      if (bothSides && this.greater(b + 4, b + 8)) {
        const o = i * RECORD_WORDS;
        throw this.fail(at, point, "bid_px_1e9", `an uncrossed quote: bid price <= ask price (${w[o + 4]})`, w[o + 2].toString());
      }
    } else if (kind === Kind.Trade) {
      if (i32[b + 7] < 0) throw this.fail(at, point, "qty_1e8", "a quantity >= 0", w[i * RECORD_WORDS + 3].toString());
      if (side > 2) throw this.fail(at, point, "side", "a side 0 (none), 1 (buy) or 2 (sell)", String(side));
    }
    this.time.check(w[i * RECORD_WORDS], at, point);
  }

  /** Signed 64-bit a > b, for words starting at 32-bit indexes `a` and `b`. */
  private greater(a: number, b: number): boolean {
    const ha = this.i32[a + 1];
    const hb = this.i32[b + 1];
    return ha !== hb ? ha > hb : this.u32[a] > this.u32[b];
  }

  private fail(at: number, point: number, field: string, expected: string, got?: string, found?: string): DataError {
    return new DataError({ file: this.file, line: at, unit: this.unit, field: point >= 0 ? `points[${point}].${field}` : field, expected, got, found });
  }
}
