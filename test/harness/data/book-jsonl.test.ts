// L2 book JSONL: the exact records a small file becomes, every refusal with
// its file and line, a generated file read back against an independent
// replay of its lines, and a large file streamed in constant memory.
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openSource } from "../../../harness/data/source.ts";
import { writeSyntheticBook, syntheticBookLines } from "../../../harness/data/synthetic-book.ts";
import { L2Book } from "../../../harness/venue/l2-book.ts";
import type { RecordBatch } from "../../../harness/data/record.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();

// header words: kind | side << 8 | sub << 16
const D = (side: number, sub = 0) => BigInt(7 | (side << 8) | (sub << 16));
const CLEAR = 1;
const LAST = 2;
const QUOTE = 1n;
const BUY_TRADE = BigInt(2 | (1 << 8));

describe("L2 book JSONL", () => {
  it("turns snapshot, delta and trade lines into DEPTH runs, a QUOTE when the top changed, and TRADEs", async () => {
    const p = file(
      "small.jsonl",
      [
        "# a hand-made book",
        '{"ts_ns": 1000, "type": "snapshot", "bids": [["100.00", "5"], ["99.99", "3"]], "asks": [["100.01", 2], ["100.02", "4.5"]]}',
        "",
        // the top does not change (a deeper bid): no QUOTE
        '{"type": "delta", "ts_ns": "2000", "bids": [["99.98", "1"]], "venue": {"id": [1, 2]}}',
        // the best ask leaves: the top changes
        '{"ts_ns": 3000, "type": "delta", "asks": [["100.01", "0"]]}',
        '{"ts_ns": 3000, "type": "trade", "price": "100.02", "qty": "0.5", "side": "buy"}',
        // a snapshot with no asks clears that side with one record
        '{"ts_ns": 4000, "type": "snapshot", "bids": [["99.50", "1"]], "asks": []}',
      ].join("\r\n"),
    );
    const src = await openSource(p);
    expect(src.description).toBe(`L2 book JSONL ${p} (a hand-made book)`);
    const { records } = await collect(src);
    const px = (t: string) => BigInt(Math.round(Number(t) * 100)) * 10_000_000n; // cents → 1e9 (test-only convenience)
    const q = (n: number) => BigInt(n * 10) * 10_000_000n; // tenths → 1e8
    expect(records).toEqual([
      [1000n, D(1, CLEAR), px("100.00"), q(5), 0n, 0n],
      [1000n, D(1), px("99.99"), q(3), 0n, 0n],
      [1000n, D(2, CLEAR), px("100.01"), q(2), 0n, 0n],
      [1000n, D(2, LAST), px("100.02"), q(4.5), 0n, 0n],
      [1000n, QUOTE, px("100.00"), q(5), px("100.01"), q(2)],
      [2000n, D(1, LAST), px("99.98"), q(1), 0n, 0n],
      [3000n, D(2, LAST), px("100.01"), 0n, 0n, 0n],
      [3000n, QUOTE, px("100.00"), q(5), px("100.02"), q(4.5)],
      [3000n, BUY_TRADE, px("100.02"), q(0.5), 0n, 0n],
      [4000n, D(1, CLEAR), px("99.50"), q(1), 0n, 0n],
      [4000n, D(2, CLEAR | LAST), 0n, 0n, 0n, 0n],
      [4000n, QUOTE, px("99.50"), q(1), 0n, 0n],
    ]);
  });

  it("names the file, line and field of every refusal", async () => {
    const snap = '{"ts_ns": 1, "type": "snapshot", "bids": [["100", "1"]], "asks": [["101", "1"]]}';
    const cases: Array<[string, string]> = [
      [`${snap}\n{"ts_ns": 2, "type": "delta", "bids": [["1e2", "1"]]}`, ':2: bids[0] price: expected a decimal price (plain decimal such as 123.45; no exponent), got "1e2"'],
      [`${snap}\n{"ts_ns": 2, "type": "delta", "bids": [["100.0000000001", "1"]]}`, ":2: bids[0] price: expected a decimal price with at most 9 decimal places"],
      [`${snap}\n{"ts_ns": 2, "type": "delta", "asks": [["101", "-1"]]}`, ':2: asks[0] size: expected a size >= 0 (0 removes the level), got "-1"'],
      [`${snap}\n{"ts_ns": 2, "type": "delta", "bids": [["101.5", "1"]]}`, ":2: expected an uncrossed book after the update (best bid < best ask), got best bid 101.5 >= best ask 101"],
      [`${snap}\n{"ts_ns": 2, "type": "delta", "bids": [["101", "1"]]}`, ":2: expected an uncrossed book after the update (best bid < best ask), got best bid 101 >= best ask 101"],
      [`{"ts_ns": 5, "type": "trade", "price": "1"}\n\n{"ts_ns": 6, "type": "delta", "bids": [["100", "1"]]}`, ':3: expected a snapshot before the first delta (the book is unknown until one; start the file at a snapshot), got "delta"'],
      ['{"ts_ns": 1, "type": "snapshot", "bids": [["100", "1"], ["100.0", "2"]], "asks": []}', ':1: bids[1]: expected each price once per side in a snapshot, got "100"'],
      [`${snap}\n{"ts_ns": 0, "type": "delta", "bids": [["99", "1"]]}`, ":2: timestamp: expected time in order: a timestamp >= 1 ns (from line 1)"],
      [`${snap}\n{"ts_ns": 2, "type": "delta", "bids": [["99", "1"]}`, ':2: expected "," or "]" after bids[0], got "}"'],
      [`${snap}\n{"ts_ns": 2, "type": "delta", "bids": [["99", "1", "x"]]}`, ':2: expected "]" closing bids[0] (a level is [price, size]), got ","'],
      [`${snap}\n{"ts_ns": 2, "type": "quote"}`, ':2: type: expected "snapshot", "delta" or "trade", got "quote"'],
      [`${snap}\n{"type": "delta", "bids": []}`, ':2: expected a "ts_ns" on every line'],
      [`${snap}\n{"ts_ns": 3, "type": "delta"} {}`, ":2: expected end of line after the object, got \"{\""],
    ];
    for (const [text, message] of cases) {
      const p = file("bad.jsonl", text);
      const e = await failure(collect(await openSource(p)));
      expect(e.name).toBe("DataError");
      expect(e.message).toContain(p + message);
    }
  });

  it("reads a generated file back exactly, whatever the chunk and batch sizes", async () => {
    const p = file("gen.jsonl");
    const lines = await writeSyntheticBook(p, { seed: 7, lines: 400, levels: 6 });
    expect(lines).toBe(400);
    const text = readFileSync(p, "utf8");
    expect(text.split("\n")[0]).toMatch(/^# SYNTHETIC L2 book, not market data/);
    // the generator is deterministic: the same options give the same bytes
    const again = file("gen2.jsonl");
    await writeSyntheticBook(again, { seed: 7, lines: 400, levels: 6 });
    expect(readFileSync(again, "utf8")).toBe(text);

    const whole = await collect(await openSource(p));
    const tiny = await collect(await openSource(p, { chunkBytes: 61 }), 3);
    expect(tiny.records).toEqual(whole.records);
    expect(Math.max(...tiny.batchLengths)).toBe(3);

    // An independent replay: apply the file's levels with JSON.parse and
    // compare every QUOTE the reader emitted with that book's top.
    const book = new L2Book();
    const tops: string[] = [];
    let last = "";
    for (const l of syntheticBookLines({ seed: 7, lines: 400, levels: 6 })) {
      const o = JSON.parse(l) as { ts_ns: number; type: string; bids?: string[][]; asks?: string[][] };
      if (o.type === "trade") continue;
      if (o.type === "snapshot") {
        book.bids.clear();
        book.asks.clear();
      }
      for (const [p, s] of o.bids ?? []) book.bids.set(dec(p, 9), dec(s, 8));
      for (const [p, s] of o.asks ?? []) book.asks.set(dec(p, 9), dec(s, 8));
      expect(book.crossed()).toBe(false);
      const top = `${book.bids.px(0)} ${book.bids.qty(0)} ${book.asks.px(0)} ${book.asks.qty(0)}`;
      if (top !== last) tops.push(top);
      last = top;
    }
    const quotes = whole.records.filter((r) => r[1] === QUOTE).map((r) => `${r[2]} ${r[3]} ${r[4]} ${r[5]}`);
    expect(quotes).toEqual(tops);
    // and the DEPTH records rebuild the same book
    const rebuilt = new L2Book();
    for (const r of whole.records) if ((r[1] & 0xffn) === 7n) rebuilt.apply(Number((r[1] >> 8n) & 0xffn), Number((r[1] >> 16n) & 0xffn), r[2], r[3]);
    for (const side of ["bids", "asks"] as const) {
      expect(rebuilt[side].count).toBe(6);
      for (let i = 0; i < 6; i++) {
        expect(rebuilt[side].px(i)).toBe(book[side].px(i));
        expect(rebuilt[side].qty(i)).toBe(book[side].qty(i));
      }
    }
  });

  it("streams a large generated file holding one batch, never the file", async () => {
    const p = file("big.jsonl");
    // ~55 MB, as in memory.test.ts: heapUsed counts garbage not yet collected (V8's young generation holds
    // up to ~16 MB of it), so the file must be well above that for "less than half the file" to mean anything.
    const n = 600_000;
    await writeSyntheticBook(p, { seed: 3, lines: n, levels: 20, snapshotEvery: 10_000 });
    const size = statSync(p).size;
    expect(size).toBeGreaterThan(48 * (1 << 20));
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const seen = new Set<RecordBatch>();
    const base = used();
    let peak = 0;
    let records = 0;
    let most = 0;
    let k = 0;
    for await (const b of (await openSource(p)).batches(1024)) {
      seen.add(b);
      records += b.length;
      most = Math.max(most, b.length);
      if (++k % 16 === 0) peak = Math.max(peak, used() - base);
    }
    expect(seen.size).toBe(1); // one batch object, reused
    expect(most).toBe(1024); // never more than a batch at a time
    expect(records).toBeGreaterThan(n);
    expect(peak).toBeLessThan(size / 2);
  });
});

/** Decimal text → scaled bigint, for the independent replay. */
function dec(text: string, decimals: number): bigint {
  const [i, f = ""] = text.split(".");
  return BigInt(i + f.padEnd(decimals, "0"));
}
