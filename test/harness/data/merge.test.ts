// The k-way merge (harness/data/merge.ts): time order, stable on equal
// timestamps (input order, then record order), each input's own checks, and
// inputs opened only when the merge reaches them.
import { describe, expect, it } from "vitest";
import { openCsv } from "../../../harness/data/csv.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { MergedSource } from "../../../harness/data/merge.ts";
import { Xoshiro128 } from "../../../harness/data/prng.ts";
import { RecordBatch } from "../../../harness/data/record.ts";
import { Kind, SideCode } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import type { TickSource } from "../../../harness/data/source.ts";
import { TallySource } from "../../../harness/data/tally.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();
const PX = 1_000_000_000n; // price scale 1e9

/** Prices of the merged records, in whole units: each test row has its own price, so it names the row. */
async function pricesOf(src: TickSource, batchSize?: number): Promise<number[]> {
  return (await collect(src, batchSize)).records.map((r) => Number(r[2] / PX));
}

/** Records given in memory (ts, tag); counts how many of its passes are open at once, across all of them. */
class ArraySource implements TickSource {
  static open = 0;
  static maxOpen = 0;
  readonly description: string;
  constructor(
    readonly name: string,
    readonly rows: readonly (readonly [bigint, bigint])[],
  ) {
    this.description = name;
  }
  async *batches(batchSize = 4096): AsyncGenerator<RecordBatch> {
    ArraySource.open++;
    ArraySource.maxOpen = Math.max(ArraySource.maxOpen, ArraySource.open);
    try {
      const b = new RecordBatch(batchSize);
      for (const [ts, tag] of this.rows) {
        b.push(ts, header(Kind.Trade), tag * PX, 1n);
        if (b.full) {
          yield b;
          b.clear();
        }
      }
      if (b.length > 0) yield b;
    } finally {
      ArraySource.open--;
    }
  }
}

describe("MergedSource", () => {
  const a = file("a.csv", "ts_ns,price,qty\n1000,1,1\n3000,2,1\n3000,3,1\n5000,4,1\n");
  const b = file("b.csv", "ts_ns,price,qty\n2000,11,1\n3000,12,1\n4000,13,1\n5000,14,1\n6000,15,1\n");

  it("interleaves by time; equal timestamps keep input order, then row order; any batch size", async () => {
    // a: 1000→1, 3000→2, 3000→3, 5000→4; b: 2000→11, 3000→12, 4000→13, 5000→14, 6000→15.
    // At 3000: a's 2 and 3 (input 1, in row order) before b's 12; at 5000: a's 4 before b's 14.
    const want = [1, 11, 2, 3, 12, 13, 4, 14, 15];
    for (const batchSize of [1, 2, 3, 4, 4096]) {
      const merged = new MergedSource([await openCsv(a), await openCsv(b)], "a+b");
      expect(await pricesOf(merged, batchSize)).toEqual(want);
      expect(merged.taken).toEqual([4, 5]);
    }
    // Inputs the other way round: at equal times b's rows now come first.
    const swapped = new MergedSource([await openCsv(b), await openCsv(a)], "b+a");
    expect(await pricesOf(swapped, 3)).toEqual([1, 11, 12, 2, 3, 13, 14, 4, 15]);
  });

  it("merges a Binance spot aggTrades file in ms with one in µs (the 2025-01-01 switch) at ns", async () => {
    // aggTradeId,price,qty,firstTradeId,lastTradeId,time,isBuyerMaker,isBestMatch; the unit is inferred per file.
    const ms = file("BTCUSDT-aggTrades-2024-12-31.csv", [
      "1,93000.00,0.1,1,1,1735689599999,true,true", //     1735689599999 ms = 1735689599_999000000 ns, sell
      "2,93001.00,0.2,2,2,1735689600001,false,true", //    1735689600001 ms = 1735689600_001000000 ns, buy
    ].join("\n") + "\n");
    const us = file("BTCUSDT-aggTrades-2025-01-01.csv", [
      "10,93002.00,0.3,10,10,1735689600000000,true,true", // 1735689600000000 µs = 1735689600_000000000 ns
      "11,93003.00,0.4,11,11,1735689600001000,false,true", // = 1735689600_001000000 ns: ties the ms file's 2nd row
      "12,93004.00,0.5,12,12,1735689600001500,false,true", // = 1735689600_001500000 ns
    ].join("\n") + "\n");
    const got = await collect(new MergedSource([await openCsv(ms), await openCsv(us)], "btc"), 2);
    const T = (side: number) => header(Kind.Trade, side);
    expect(got.records).toEqual([
      [1_735_689_599_999_000_000n, T(SideCode.Sell), 93_000n * PX, 10_000_000n, 0n, 0n],
      [1_735_689_600_000_000_000n, T(SideCode.Sell), 93_002n * PX, 30_000_000n, 0n, 0n],
      [1_735_689_600_001_000_000n, T(SideCode.Buy), 93_001n * PX, 20_000_000n, 0n, 0n], // the ms file is input 1: first at the tie
      [1_735_689_600_001_000_000n, T(SideCode.Buy), 93_003n * PX, 40_000_000n, 0n, 0n],
      [1_735_689_600_001_500_000n, T(SideCode.Buy), 93_004n * PX, 50_000_000n, 0n, 0n],
    ]);
  });

  it("is a stable sort of all inputs' records, whatever the inputs and batch sizes (seeded random cases)", async () => {
    const rng = new Xoshiro128(1, 2, 3, 4);
    for (let round = 0; round < 40; round++) {
      const k = 1 + (rng.next() % 6);
      const inputs: ArraySource[] = [];
      const all: { ts: bigint; input: number; row: number; tag: bigint }[] = [];
      let tag = 0n;
      for (let i = 0; i < k; i++) {
        const n = rng.next() % 30; // some inputs are empty
        let ts = BigInt(rng.next() % 50);
        const rows: [bigint, bigint][] = [];
        for (let r = 0; r < n; r++) {
          ts += BigInt(rng.next() % 3); // many equal timestamps, within and across inputs
          rows.push([ts, ++tag]);
          all.push({ ts, input: i, row: r, tag });
        }
        inputs.push(new ArraySource(`in${i}`, rows));
      }
      all.sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : x.input - y.input || x.row - y.row));
      const batchSize = 1 + (rng.next() % 7);
      const got = await collect(new MergedSource(inputs, "random"), batchSize);
      expect(got.records.map((r) => [r[0], r[2] / PX])).toEqual(all.map((x) => [x.ts, x.tag]));
      expect(Math.max(0, ...got.batchLengths)).toBeLessThanOrEqual(batchSize);
    }
    expect(ArraySource.open).toBe(0);
  });

  it("keeps files that follow one another from being open together (constant memory in the number of files)", async () => {
    // 50 consecutive days, 3 rows each: at most two inputs open at a time (one ending, the next starting).
    const days = Array.from({ length: 50 }, (_, d) => new ArraySource(`day${d}`, [0n, 1n, 2n].map((r) => [BigInt(d) * 10n + r, BigInt(d * 3) + r + 1n] as const)));
    ArraySource.maxOpen = 0;
    const prices = await pricesOf(new MergedSource(days.reverse(), "50 days"), 4);
    expect(prices).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(ArraySource.maxOpen).toBeLessThanOrEqual(2);
    expect(ArraySource.open).toBe(0);
  });

  it("stops at a bad row of any input with that file's line and column, and closes the others", async () => {
    const bad = file("bad.csv", "ts_ns,price,qty\n2500,21,1\n3500,2x,1\n");
    const e = await failure(collect(new MergedSource([await openCsv(a), await openCsv(bad)], "a+bad"), 2));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/bad\.csv:3: column 2 \(price\): expected a decimal price/);
    // A row out of time order inside one input is still that input's error, not hidden by the merge.
    const backwards = file("backwards.csv", "ts_ns,price,qty\n2500,21,1\n2400,22,1\n");
    const e2 = await failure(collect(new MergedSource([await openCsv(a), await openCsv(backwards)], "a+backwards"), 2));
    expect(e2.message).toMatch(/backwards\.csv:3: timestamp: expected time in order/);

    ArraySource.open = 0;
    // An input that fails after its first record, while another is open: the other is closed too.
    const failing: TickSource = {
      description: "fails",
      async *batches() {
        const b = new RecordBatch(1);
        b.push(5n, header(Kind.Trade), 3n * PX, 1n);
        yield b;
        throw new Error("boom");
      },
    };
    const e3 = await failure(collect(new MergedSource([new ArraySource("x", [[1n, 1n], [9n, 2n]]), failing], "x"), 1));
    expect(e3.message).toBe("boom");
    expect(ArraySource.open).toBe(0);
  });

  it("counts kinds, records and the time range as the merged stream passes (TallySource)", async () => {
    const quotes = file("q.csv", "ts_ns,bid_px,bid_qty,ask_px,ask_qty\n1500,0.5,1,1.5,1\n4500,0.5,1,1.5,1\n");
    const tally = new TallySource(new MergedSource([await openCsv(a), await openCsv(quotes)], "a+q"));
    await collect(tally, 2);
    // a: 4 trades at 1000..5000; q: 2 quotes at 1500 and 4500.
    expect({ records: tally.records, first: tally.first, last: tally.last, kinds: tally.kinds() }).toEqual({
      records: 6,
      first: 1000n,
      last: 5000n,
      kinds: { QUOTE: 2, TRADE: 4 },
    });
  });
});
