// The event record read and written by name (harness/record-view.ts): every
// accessor against a record whose words are worked out by hand, including
// halves with the sign bit set, and the one writer behind RecordBatch and
// EventQueue.
import { describe, expect, it } from "vitest";
import { Kind, OrderStatus, RECORD_WORDS, RejectReason, SideCode } from "../../harness/abi.ts";
import { RecordBatch, withoutKindsAfter } from "../../harness/data/record.ts";
import { EventQueue } from "../../harness/event-queue.ts";
import {
  Half,
  RECORD_HALVES,
  Word,
  auxAt,
  copyRecord,
  halves,
  header,
  headerAux,
  headerKind,
  headerSide,
  headerSub,
  hiAt,
  kindAt,
  kindOf,
  loAt,
  recordRange,
  recordStart,
  sideAt,
  subAt,
  tsOf,
  wordOf,
  wordStart,
  writeRecord,
} from "../../harness/record-view.ts";
import { big } from "../../harness/venue/i64.ts";

const TWO_32 = 4294967296n;

describe("record-view", () => {
  // Record 1 of two: a QUOTE at ts = 5·2^32 + 7, bid -1 × 3,000,000,000, ask 2^32 × 0.
  const words = new BigInt64Array(2 * RECORD_WORDS);
  writeRecord(words, 0, 1n, header(Kind.Trade), 0n, 0n, 0n, 0n);
  writeRecord(words, 1, 5n * TWO_32 + 7n, header(Kind.Quote), -1n, 3_000_000_000n, TWO_32, 0n);
  const h = halves(words);
  const b = recordStart(1);

  it("writes the six words of record j in the ABI's order", () => {
    expect(Array.from(words.subarray(6, 12))).toEqual([5n * TWO_32 + 7n, 1n, -1n, 3_000_000_000n, TWO_32, 0n]);
    expect(tsOf(words, 1)).toBe(21474836487n); // 5 × 4294967296 + 7
    expect(kindOf(words, 1)).toBe(Kind.Quote);
    expect(wordOf(words, 1, Word.BidQty)).toBe(3_000_000_000n);
    expect(wordOf(words, 1, Word.AskPx)).toBe(TWO_32);
  });

  it("reads i64 fields as halves: low unsigned, high signed", () => {
    expect(h.length).toBe(2 * RECORD_HALVES);
    expect(b).toBe(12);
    expect([loAt(h, b + Half.Ts), hiAt(h, b + Half.Ts)]).toEqual([7, 5]);
    expect([loAt(h, b + Half.BidPx), hiAt(h, b + Half.BidPx)]).toEqual([4294967295, -1]); // -1
    expect([loAt(h, b + Half.BidQty), hiAt(h, b + Half.BidQty)]).toEqual([3000000000, 0]); // low half past 2^31
    expect(h[b + Half.BidQty]).toBe(3000000000 - 4294967296); // the raw half is signed
    expect([loAt(h, b + Half.AskPx), hiAt(h, b + Half.AskPx)]).toEqual([0, 1]); // 2^32
    // The halves are the layout venue/i64.ts works on.
    expect(big(h, b + Half.BidPx)).toBe(-1n);
    expect(big(h, b + Half.BidQty)).toBe(3_000_000_000n);
    expect(big(h, b + Half.AskPx)).toBe(TWO_32);
    expect(kindAt(h, recordStart(0))).toBe(Kind.Trade);
    expect(kindAt(h, b)).toBe(Kind.Quote);
  });

  it("names each half as twice its word, and a trade's fields where a quote's bid is", () => {
    for (const name of ["Ts", "Header", "BidPx", "BidQty", "AskPx", "AskQty", "TradePx", "TradeQty"] as const) expect(Half[name]).toBe(2 * Word[name]);
    expect(Half.Aux).toBe(Half.Header + 1); // bits 32-63 of the header word
    expect([Word.TradePx, Word.TradeQty, Word.DepthPx, Word.DepthQty]).toEqual([2, 3, 2, 3]);
  });

  it("packs and reads the header: kind, side, sub, aux (a u32, also past 2^31)", () => {
    const rejected = header(Kind.Order, SideCode.Sell, OrderStatus.Rejected, RejectReason.InsufficientFunds);
    expect(rejected).toBe(4n + (2n << 8n) + (2n << 16n) + (15n << 32n));
    const r = new BigInt64Array(RECORD_WORDS);
    writeRecord(r, 0, 0n, rejected, 0n, 0n, 0n, 0n);
    const rh = halves(r);
    expect([kindAt(rh, 0), sideAt(rh, 0), subAt(rh, 0), auxAt(rh, 0)]).toEqual([4, 2, 2, 15]);
    const big32 = header(Kind.Order, SideCode.Buy, OrderStatus.Cancelled, 0xfffffff0);
    writeRecord(r, 0, 0n, big32, 0n, 0n, 0n, 0n);
    expect(auxAt(rh, 0)).toBe(4294967280);
    expect([headerKind(big32), headerSide(big32), headerSub(big32), headerAux(big32)]).toEqual([4, 1, 3, 4294967280]);
  });

  it("copies whole records", () => {
    const dst = new BigInt64Array(3 * RECORD_WORDS);
    copyRecord(dst, 2, words, 1);
    expect(Array.from(recordRange(dst, 2, 3))).toEqual(Array.from(recordRange(words, 1, 2)));
    expect(wordStart(2)).toBe(12);
    expect(recordRange(words, 0, 2).length).toBe(12);
  });
});

describe("one writer for RecordBatch and EventQueue", () => {
  it("both hold the same words for the same record; the queue keeps its order as it widens and compacts", () => {
    const batch = new RecordBatch(300);
    const queue = new EventQueue();
    for (let i = 0; i < 300; i++) {
      const args = [BigInt(i), header(Kind.Fill, SideCode.Buy, 1), BigInt(i + 1), -5n, 7n, -(1n << 40n)] as const;
      batch.push(...args);
      queue.push(...args);
    }
    queue.drop(280); // at the 512th slot only 232 are live: the queue moves them to the front instead of widening
    for (let i = 300; i < 600; i++) queue.push(BigInt(i), header(Kind.Timer), BigInt(i), 0n, 0n, 0n);
    expect(queue.length).toBe(320);
    expect(queue.ts(0)).toBe(280n);
    expect(queue.ts(20)).toBe(300n);
    expect(queue.ts(319)).toBe(599n);
    const out = new BigInt64Array(21 * RECORD_WORDS);
    expect(queue.copyTo(out, 0, 21)).toBe(21);
    expect(Array.from(recordRange(out, 0, 20))).toEqual(Array.from(recordRange(batch.words, 280, 300)));
    expect(Array.from(recordRange(out, 20, 21))).toEqual([300n, header(Kind.Timer), 300n, 0n, 0n, 0n]);
  });

  it("pushAt copies a record and restamps it", () => {
    const src = new RecordBatch(1);
    src.push(3n, header(Kind.Quote), 100n, 2n, 101n, 4n);
    const queue = new EventQueue();
    queue.pushAt(9n, src.words, 0);
    const out = new BigInt64Array(RECORD_WORDS);
    queue.copyTo(out, 0, 1);
    expect(Array.from(out)).toEqual([9n, header(Kind.Quote), 100n, 2n, 101n, 4n]);
  });

  it("withoutKindsAfter copies the records a module knows, in order", () => {
    const batch = new RecordBatch(3);
    batch.push(1n, header(Kind.Quote), 1n, 1n, 2n, 1n);
    batch.push(2n, header(Kind.Depth, SideCode.Buy, 2), 5n, 6n);
    batch.push(3n, header(Kind.Trade), 7n, 8n);
    const into = new RecordBatch(3);
    expect(withoutKindsAfter(batch, Kind.Depth, into)).toBe(batch);
    const kept = withoutKindsAfter(batch, Kind.Timer, into);
    expect(kept).toBe(into);
    expect(Array.from(recordRange(kept.words, 0, kept.length))).toEqual([1n, header(Kind.Quote), 1n, 1n, 2n, 1n, 3n, header(Kind.Trade), 7n, 8n, 0n, 0n]);
  });
});
