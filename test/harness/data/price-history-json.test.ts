import { describe, expect, it } from "vitest";
import { openPriceHistory } from "../../../harness/data/price-history-json.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { Kind, SideCode } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();
const T = (side: number) => header(Kind.Trade, side);

function points(n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `{"ts_ns": ${1_700_000_000_000_000_000n + BigInt(i)}, "price_1e9": ${100_000_000_000 + i}, "qty_1e8": ${i}, "side": "${i % 2 ? "sell" : "buy"}"}`,
  ).join(",");
}

async function dataError(path: string, opts = {}): Promise<DataError> {
  const e = await failure((async () => collect(await openPriceHistory(path, opts), 4))());
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe("price_history JSON", () => {
  it("reads points as TRADE records across batch boundaries", async () => {
    const p = file("ph.json", `{"symbol":"BTC-USD","source":"coinbase","window":{"range":"1d"},"points":[${points(10)}],"underlying":null}`);
    const src = await openPriceHistory(p);
    expect(src.symbol).toBe("BTC-USD");
    expect(src.description).toBe(`price_history BTC-USD from coinbase (JSON ${p})`);
    const got = await collect(src, 3);
    expect(got.batchLengths).toEqual([3, 3, 3, 1]);
    expect(got.distinctBatches).toBe(1);
    expect(got.records[0]).toEqual([1_700_000_000_000_000_000n, T(SideCode.Buy), 100_000_000_000n, 0n, 0n, 0n]);
    expect(got.records[9]).toEqual([1_700_000_000_000_000_009n, T(SideCode.Sell), 100_000_000_009n, 9n, 0n, 0n]);
  });

  it("handles whitespace, newlines, odd key order, escapes, nulls, unknown keys and integers > 2^53", async () => {
    const doc = `
  {
    "window" : [1, {"a": [true, false, null]}, "]}"],
    "points" : [
      { "venue_id": {"x": [1,2]}, "side": null,
        "price_1e9": 9223372036854775807,
        "ts_ns"
          : 1700000000000000001 },
      {"qty_1e8": null, "extra": "\\"}\\u005d", "ts_ns": "1700000000000000002", "price_1e9": -5, "side": "BUY"}
    ]
    , "underlying": {"symbol": "not this one"},
    "symbol": "ES\\u002dZ4"
  }
  `;
    const p = file("odd.json", doc);
    const src = await openPriceHistory(p);
    const whole = await collect(src);
    expect(whole.records).toEqual([
      [1_700_000_000_000_000_001n, T(0), 9_223_372_036_854_775_807n, 0n, 0n, 0n],
      [1_700_000_000_000_000_002n, T(SideCode.Buy), -5n, 0n, 0n, 0n],
    ]);
    // symbol comes after points: known once the file has been read
    expect(src.symbol).toBe("ES-Z4");
    // tokens split at every possible chunk boundary give the same result
    for (const chunkBytes of [1, 2, 3, 5, 16]) {
      expect((await collect(await openPriceHistory(p, { chunkBytes }))).records).toEqual(whole.records);
    }
  });

  it("reads an empty points array", async () => {
    expect((await collect(await openPriceHistory(file("empty.json", `{"symbol":"X","points":[]}`)))).records).toEqual([]);
  });

  it("rejects time going backwards, naming the line", async () => {
    const p = file("back.json", `{"points":[\n{"ts_ns":5,"price_1e9":1},\n{"ts_ns":6,"price_1e9":1},\n{"ts_ns":4,"price_1e9":1}\n]}`);
    const e = await dataError(p);
    expect(e.line).toBe(4);
    expect(e.message).toContain("back.json:4:");
    expect(e.message).toContain("points[2].ts_ns: expected time in order: a timestamp >= 6 ns (from points[1])");
  });

  it("names the point's index when time goes backwards on one line", async () => {
    const p = file("back1.json", `{"points":[{"ts_ns":5,"price_1e9":1},{"ts_ns":6,"price_1e9":1},{"ts_ns":7,"price_1e9":1},{"ts_ns":4,"price_1e9":1}]}`);
    const e = await dataError(p);
    expect(e.message).toBe(`${p}:1: points[3].ts_ns: expected time in order: a timestamp >= 7 ns (from points[2]), got "4"`);
  });

  it("names the line and key of a bad point in the middle", async () => {
    const lines = Array.from({ length: 8 }, (_, i) => `{"ts_ns":${i},"price_1e9":${i === 5 ? "1.5" : "1"}}`);
    const p = file("bad.json", `{"symbol":"X","points":[\n${lines.join(",\n")}\n]}`);
    const e = await dataError(p);
    expect(e.line).toBe(7);
    expect(e.field).toBe("points[5].price_1e9");
    expect(e.message).toBe(`${p}:7: points[5].price_1e9: expected an integer price_1e9 (digits only), got "1.5"`);
  });

  it("reports structural and type errors clearly", async () => {
    const cases: [string, RegExp][] = [
      [`{"points":[{"ts_ns":1e18,"price_1e9":1}]}`, /points\[0\]\.ts_ns: expected an integer ts_ns.*got "1e18"/],
      [`{"points":[{"ts_ns":1,"price_1e9":1,"side":"hold"}]}`, /points\[0\]\.side: expected "buy", "sell" or null, got "hold"/],
      [`{"points":[{"price_1e9":1}]}`, /points\[0\]: expected a point with ts_ns/],
      [`{"points":[{"ts_ns":1,"price_1e9":1}`, /expected "," or "]" in the points array, got end of file/],
      [`{"points":[{"ts_ns":1,"price_1e9":1}]} x`, /expected a JSON value, got "x"/],
      [`{"symbol":"X"}`, /expected a "points" array/],
      [`[1,2]`, /:1: expected a price_history object, got "\["/],
      [`{"points":[{"ts_ns":99999999999999999999,"price_1e9":1}]}`, /fits a signed 64-bit integer/],
      [`{"points":[{"ts_ns":1,"price_1e9":1,"qty_1e8":-1}]}`, /qty_1e8 >= 0/],
    ];
    for (const [i, [doc, msg]] of cases.entries()) {
      const e = await dataError(file(`err${i}.json`, doc));
      expect(e.message, doc).toMatch(msg);
    }
  });
});
