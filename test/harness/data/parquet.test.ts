import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openSource } from "../../../harness/data/source.ts";
import { ParquetSource } from "../../../harness/data/parquet.ts";
import { shortestDecimal } from "../../../harness/data/parquet-values.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { Kind, SideCode } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import { collect, failure, tempDir } from "./helpers.ts";
import { U64, UTF8, col, flba, nautilusTrades, raw, writeTable } from "./parquet-fixtures.ts";

const file = tempDir();
const BUY = header(Kind.Trade, SideCode.Buy);
const SELL = header(Kind.Trade, SideCode.Sell);
const NONE = header(Kind.Trade, SideCode.None);
const QUOTE = header(Kind.Quote);
const T0 = 1_704_067_200_000_000_000n; // 2024-01-01T00:00:00Z in ns (beyond 2^53)

async function records(path: string, batchSize?: number): Promise<bigint[][]> {
  return (await collect(await openSource(path), batchSize)).records;
}

async function error(path: string): Promise<DataError> {
  const e = await failure(openSource(path).then((s) => collect(s)));
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe("NautilusTrader Parquet", () => {
  it("reads high-precision TradeTicks (16-byte raws at 1e16) exactly, at ts_init, across row groups", async () => {
    const path = nautilusTrades(file("trades-hp.parquet"), 16, [
      // 50000.25 × 1e16 = 500002500000000000000 (beyond i64: needs the 16 bytes); 0.001 × 1e16 = 1e13
      { price: 500_002_500_000_000_000_000n, size: 10_000_000_000_000n, side: 1, tsEvent: T0, tsInit: T0 + 500n },
      // WTI on 2020-04-20: −37.63 × 1e16, a negative two's complement raw; size 2
      { price: -376_300_000_000_000_000n, size: 20_000_000_000_000_000n, side: 2, tsEvent: T0 + 900n, tsInit: T0 + 1000n },
      // 1.000000001 (9 places: still exact at 1e9); 3.5
      { price: 10_000_000_010_000_000n, size: 35_000_000_000_000_000n, side: 0, tsEvent: T0 + 1000n, tsInit: T0 + 1000n },
    ], { instrument_id: "BTCUSDT-PERP.BINANCE", price_precision: "9", size_precision: "3" }, 2);
    const src = await openSource(path);
    expect(src).toBeInstanceOf(ParquetSource);
    expect(src.description).toBe(`NautilusTrader trades Parquet ${path} (BTCUSDT-PERP.BINANCE, price precision 9, size precision 3)`);
    // price_1e9 = raw / 1e7; qty_1e8 = raw / 1e8
    expect((await collect(src, 2)).records).toEqual([
      [T0 + 500n, BUY, 50_000_250_000_000n, 100_000n, 0n, 0n],
      [T0 + 1000n, SELL, -37_630_000_000n, 200_000_000n, 0n, 0n],
      [T0 + 1000n, NONE, 1_000_000_001n, 350_000_000n, 0n, 0n],
    ]);
  });

  it("reads standard-precision QuoteTicks (8-byte raws at 1e9)", async () => {
    const path = writeTable(file("quotes.parquet"), {
      schema: [flba("bid_price", 8), flba("ask_price", 8), flba("bid_size", 8), flba("ask_size", 8), col("ts_event", U64), col("ts_init", U64)],
      columns: [
        [raw(1_084_510_000n, 8)], // 1.08451
        [raw(1_084_530_000n, 8)], // 1.08453
        [raw(100_000_000_000_000_000n, 8)], // 1e8 units × 1e9 → qty_1e8 = 1e16 (beyond 2^53)
        [raw(500_000_000n, 8)], // 0.5
        [T0],
        [T0 + 7n],
      ],
      kv: { instrument_id: "EUR/USD.SIM", price_precision: "5", size_precision: "0" },
    });
    expect(await records(path)).toEqual([[T0 + 7n, QUOTE, 1_084_510_000n, 10_000_000_000_000_000n, 1_084_530_000n, 50_000_000n]]);
  });

  it("reads older files whose raws are INT64 at 1e9", async () => {
    const path = writeTable(file("legacy.parquet"), {
      schema: [col("price", { type: "INT64" }), col("size", U64), col("aggressor_side", { type: "INT32" }), col("trade_id", UTF8), col("ts_event", U64), col("ts_init", U64)],
      columns: [[-1_500_000_000n], [2_000_000_000n], [2], ["x"], [5n], [6n]], // −1.5, 2
    });
    expect(await records(path)).toEqual([[6n, SELL, -1_500_000_000n, 200_000_000n, 0n, 0n]]);
  });

  it("refuses digits finer than 1e-9 unless a rounding mode is named", async () => {
    // 1.0000000015 × 1e16 = 10000000015000000: a tenth of a nano-unit too fine
    const rows = [{ price: 10_000_000_015_000_000n, size: 10_000_000_000_000_000n, side: 1, tsEvent: 1n, tsInit: 1n }];
    const path = nautilusTrades(file("fine.parquet"), 16, rows, {});
    expect((await error(path)).message).toBe(
      `${path}: record 1: row group 1, column 1 (price): expected a decimal price with at most 9 decimal places (name a rounding mode to round), got "10000000015000000e-16"`,
    );
    // half-even: 1.000000001|5 → the tie goes to the even 1.000000002
    const rounded = await collect(await openSource(path, { rounding: "half-even" }));
    expect(rounded.records[0][2]).toBe(1_000_000_002n);
  });

  it("names what a NautilusTrader file other than trades or quotes holds", async () => {
    const path = writeTable(file("bars.parquet"), {
      schema: [flba("open", 8), flba("close", 8), col("ts_event", U64), col("ts_init", U64)],
      columns: [[raw(1n, 8)], [raw(1n, 8)], [1n], [1n]],
    });
    expect((await error(path)).message).toMatch(/bars\.parquet: expected a NautilusTrader TradeTick \(price,size,aggressor_side,trade_id,ts_event,ts_init\) or QuoteTick .* table, got "open,close,ts_event,ts_init"/);
  });
});

describe("plain Parquet tables", () => {
  it("reads trades as pandas writes them: TIMESTAMP, DOUBLE, DECIMAL and a buyer-maker flag", async () => {
    const path = writeTable(file("pandas.parquet"), {
      schema: [
        col("timestamp", { type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" } }),
        col("price", { type: "DOUBLE" }),
        col("qty", { type: "INT64", converted_type: "DECIMAL", scale: 4, precision: 18 }),
        col("is_buyer_maker", { type: "BOOLEAN" }),
        col("symbol", UTF8),
      ],
      columns: [
        [1_704_067_200_123_456n, 1_704_067_200_123_457n, 1_704_067_200_123_458n],
        [0.1, 1e-7, 42123.45],
        [12_345n, 10_000n, 1n], // 1.2345, 1, 0.0001
        [true, false, false],
        ["BTCUSDT", "BTCUSDT", "BTCUSDT"],
      ],
      codec: "GZIP",
    });
    // µs × 1000 → ns; 0.1 → "0.1" → 100000000 (never 0.1 × 1e9 in floats); 1e-7 → "0.0000001" → 100
    // is_buyer_maker true: the resting order bought, so the aggressor sold
    expect(await records(path)).toEqual([
      [1_704_067_200_123_456_000n, SELL, 100_000_000n, 123_450_000n, 0n, 0n],
      [1_704_067_200_123_457_000n, BUY, 100n, 100_000_000n, 0n, 0n],
      [1_704_067_200_123_458_000n, BUY, 42_123_450_000_000n, 10_000n, 0n, 0n],
    ]);
  });

  it("reads quotes from decimal strings, FLOAT, DECIMAL bytes and whole-unit integers; a null side is absent", async () => {
    const path = writeTable(file("quotes-plain.parquet"), {
      schema: [
        col("ts_ms", { type: "INT64" }),
        col("bid_px", UTF8, true),
        col("bid_qty", { type: "FLOAT" }, true),
        { name: "ask_px", type: "FIXED_LEN_BYTE_ARRAY", type_length: 8, converted_type: "DECIMAL", scale: 2, precision: 18, repetition_type: "REQUIRED" },
        col("ask_qty", { type: "INT64" }),
      ],
      columns: [[1_000n, 2_000n], ["99.99", null], [0.1, null], [10_001n, 10_002n], [7n, 3n]],
    });
    // ms × 1e6 → ns; FLOAT 0.1 is 0.100000001490116…: its shortest float32 text is "0.1" → 10000000
    expect(await records(path)).toEqual([
      [1_000_000_000n, QUOTE, 99_990_000_000n, 10_000_000n, 100_010_000_000n, 700_000_000n],
      [2_000_000_000n, QUOTE, 0n, 0n, 100_020_000_000n, 300_000_000n],
    ]);
  });

  it("writes doubles out as their shortest round-trip decimal, without exponents", () => {
    expect(shortestDecimal(0.1)).toBe("0.1");
    expect(shortestDecimal(1e-7)).toBe("0.0000001");
    expect(shortestDecimal(-2.5e-8)).toBe("-0.000000025");
    expect(shortestDecimal(1.5e21)).toBe("1500000000000000000000");
    expect(shortestDecimal(Math.fround(0.1), true)).toBe("0.1");
    expect(shortestDecimal(NaN)).toBeUndefined();
  });

  it("names the file, row, row group and column of a bad value", async () => {
    const path = writeTable(file("bad.parquet"), {
      schema: [col("ts_ns", { type: "INT64" }), col("price", UTF8)],
      columns: [[1n, 2n, 3n], ["1", "2", "1e5"]],
      rowGroupSize: 2,
    });
    expect((await error(path)).message).toBe(
      `${path}: record 3: row group 2, column 2 (price): expected a decimal price (plain decimal such as 123.45; no exponent), got "1e5"`,
    );
  });

  it("checks every record like the other readers: time order across row groups, quantities, finite numbers, nulls", async () => {
    const back = writeTable(file("back.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price_1e9", { type: "INT64" })], columns: [[5n, 6n, 4n], [1n, 1n, 1n]], rowGroupSize: 2 });
    expect((await error(back)).message).toBe(`${back}: record 3: row group 2, timestamp: expected time in order: a timestamp >= 6 ns (from record 2), got "4"`);
    const neg = writeTable(file("neg.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price", UTF8), col("qty", UTF8)], columns: [[1n], ["1"], ["-2"]] });
    expect((await error(neg)).message).toBe(`${neg}: record 1: row group 1, column 3 (qty): expected a quantity >= 0, got "-2"`);
    const nan = writeTable(file("nan.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price", { type: "DOUBLE" })], columns: [[1n], [NaN]] });
    expect((await error(nan)).message).toBe(`${nan}: record 1: row group 1, column 2 (price): expected a decimal price (a finite number), got "NaN"`);
    const nul = writeTable(file("null.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price", UTF8, true)], columns: [[1n], [null]] });
    expect((await error(nul)).message).toBe(`${nul}: record 1: row group 1, column 2 (price): expected a price, got "null"`);
  });

  it("refuses at open what it cannot read exactly: unknown columns, types, codecs", async () => {
    const typo = writeTable(file("typo.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price", UTF8), col("qyt", UTF8)], columns: [[1n], ["1"], ["1"]] });
    expect((await failure(openSource(typo))).message).toMatch(/typo\.parquet: column 3: expected a column the trades layout reads \(<time>,price,\[qty\],\[side \| is_buyer_maker\]\), or one it ignores \(id, trade_id, .*\), got "qyt"/);
    const bool = writeTable(file("bool.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price", { type: "BOOLEAN" })], columns: [[1n], [true]] });
    expect((await failure(openSource(bool))).message).toBe(
      `${bool}: column 2 (price): expected a price column: a decimal string, DECIMAL, an integer or a DOUBLE, got "BOOLEAN"`,
    );
    const zstd = writeTable(file("zstd.parquet"), { schema: [col("ts_ns", { type: "INT64" }), col("price", UTF8)], columns: [[1n], ["1"]], codec: "ZSTD" });
    expect((await failure(openSource(zstd))).message).toMatch(/zstd\.parquet: row group 1, column ts_ns: expected UNCOMPRESSED, SNAPPY or GZIP compression .*, got ZSTD/);
  });
});

describe("legacy INT96 timestamps", () => {
  it("reads Spark's and old pandas' INT96 times as exact ns", async () => {
    // INT96 = 8 bytes of nanoseconds in the day, then 4 bytes of Julian day, little-endian.
    // 2024-01-01 is Julian day 2460311 (2440588 is 1970-01-01, + 19723 days); 1 ns after midnight.
    const int96 = (julianDay: number, nanos: bigint) => {
      const b = new Uint8Array(12);
      const v = new DataView(b.buffer);
      v.setBigUint64(0, nanos, true);
      v.setUint32(8, julianDay, true);
      return b;
    };
    const p = file("int96.parquet");
    // hyparquet-writer has no INT96 writer: write 12-byte FIXED_LEN_BYTE_ARRAYs, then retype the
    // column in the footer (thrift compact: field 1 "type" = 0x15, zigzag(7 FLBA) = 0x0e → zigzag(3 INT96) = 0x06).
    writeTable(p, { schema: [flba("time", 12), col("price", UTF8)], columns: [[int96(2_460_311, 1n), int96(2_460_311, 86_399_999_999_999n)], ["1", "2"]], codec: "UNCOMPRESSED" });
    const bytes = readFileSync(p);
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    const footer = bytes.subarray(bytes.length - 8 - footerLength, bytes.length - 8);
    let patched = 0;
    for (let i = 0; i + 1 < footer.length; i++) if (footer[i] === 0x15 && footer[i + 1] === 0x0e) (footer[i + 1] = 0x06), patched++;
    expect(patched).toBe(2); // the schema element and the column chunk's metadata
    writeFileSync(p, bytes);
    expect(await records(p)).toEqual([
      [T0 + 1n, NONE, 1_000_000_000n, 0n, 0n, 0n],
      [T0 + 86_399_999_999_999n, NONE, 2_000_000_000n, 0n, 0n, 0n],
    ]);
  });
});

describe("DECIMAL and unmarked text in BYTE_ARRAY", () => {
  it("reads a wide DECIMAL's bytes exactly, and text columns written without a UTF8 mark", async () => {
    const path = writeTable(file("wide.parquet"), {
      schema: [
        col("ts_ns", { type: "BYTE_ARRAY" }), // text without the UTF8 annotation, as some old writers leave it
        col("price", { type: "BYTE_ARRAY", converted_type: "DECIMAL", scale: 18, precision: 38 }),
        col("side", { type: "BYTE_ARRAY" }),
      ],
      // 1234567890.123456789000000000 at scale 18 → 1234567890123456789 at 1e9 (beyond 2^53)
      columns: [["1704067200000000001"], [1_234_567_890_123_456_789_000_000_000n], ["SELL"]],
    });
    expect(await records(path)).toEqual([[T0 + 1n, SELL, 1_234_567_890_123_456_789n, 0n, 0n, 0n]]);
    const lossy = writeTable(file("wide-lossy.parquet"), {
      schema: [col("ts_ns", { type: "INT64" }), col("price", { type: "BYTE_ARRAY", converted_type: "DECIMAL", scale: 18, precision: 38 })],
      columns: [[1n], [10_000_000_005n]], // 10000000005e-18 = 0.000000010000000005: its last digit is below 1e-9
    });
    expect((await error(lossy)).message).toBe(`${lossy}: record 1: row group 1, column 2 (price): expected a decimal price with at most 9 decimal places (name a rounding mode to round), got "10000000005e-18"`);
  });
});
