import { describe, expect, it } from "vitest";
import { openCsv } from "../../../harness/data/csv.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { BAR_CLOSE_PRINT, BAR_PRICES, BAR_PRINT, BAR_VOLUME, Kind, SideCode } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();
const T = (side: number) => header(Kind.Trade, side);
const Q = header(Kind.Quote);
const BUY = SideCode.Buy;
const SELL = SideCode.Sell;

async function dataError(path: string, batchSize = 4): Promise<DataError> {
  const e = await failure((async () => collect(await openCsv(path), batchSize))());
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe("trades CSV", () => {
  const rows = Array.from({ length: 10 }, (_, i) => `${1_700_000_000_000_000_000n + BigInt(i) * 1000n},100.0${i},0.5,${i % 2 ? "sell" : "buy"}`);
  const path = file("trades.csv", `ts_ns,price,qty,side\n${rows.join("\n")}\n`);

  it("reads exact records across batch boundaries (batchSize 3, 10 rows)", async () => {
    const src = await openCsv(path);
    expect(src.format).toBe("trades");
    const got = await collect(src, 3);
    expect(got.batchLengths).toEqual([3, 3, 3, 1]);
    expect(got.distinctBatches).toBe(1);
    expect(got.records).toHaveLength(10);
    expect(got.records[0]).toEqual([1_700_000_000_000_000_000n, T(BUY), 100_000_000_000n, 50_000_000n, 0n, 0n]);
    expect(got.records[7]).toEqual([1_700_000_000_000_007_000n, T(SELL), 100_070_000_000n, 50_000_000n, 0n, 0n]);
  });

  it("gives the same records whatever the read chunk size (lines split across chunks)", async () => {
    const whole = await collect(await openCsv(path), 1000);
    for (const chunkBytes of [1, 7, 64]) {
      expect((await collect(await openCsv(path, { chunkBytes }), 4)).records).toEqual(whole.records);
    }
  });

  it("accepts pre-scaled integer columns, CRLF, no final newline, comments, blank lines, any column order", async () => {
    const p = file(
      "scaled.csv",
      "# exported by hand\r\nside,qty_1e8,price_1e9,ts_ns\r\n\r\nb,150000000,97000010000000,5\r\nS,1,97000020000000,5\r\n# mid-file note\r\n,0,1,6",
    );
    const got = await collect(await openCsv(p));
    expect(got.records).toEqual([
      [5n, T(BUY), 97_000_010_000_000n, 150_000_000n, 0n, 0n],
      [5n, T(SELL), 97_000_020_000_000n, 1n, 0n, 0n],
      [6n, T(0), 1n, 0n, 0n, 0n],
    ]);
  });

  it("infers the unit of a `timestamp` column from the first row (ms here) and keeps it", async () => {
    const p = file("ms.csv", "timestamp,price,qty\n1700000000000,1,1\n1700000000001,1,1\n");
    const got = await collect(await openCsv(p));
    expect(got.records.map((r) => r[0])).toEqual([1_700_000_000_000_000_000n, 1_700_000_000_001_000_000n]);
    const us = file("us.csv", "time,price\n1735689600000000,1\n");
    expect((await collect(await openCsv(us))).records[0][0]).toBe(1_735_689_600_000_000_000n);
    const forced = await collect(await openCsv(us, { timeUnit: "ns" }));
    expect(forced.records[0][0]).toBe(1_735_689_600_000_000n);
  });

  it("rejects time going backwards, naming the line", async () => {
    const p = file("back.csv", "ts_ns,price,qty,side\n10,1,1,buy\n20,1,1,buy\n20,1,1,buy\n19,1,1,buy\n30,1,1,buy\n");
    const e = await dataError(p);
    expect(e.line).toBe(5);
    expect(e.message).toContain("back.csv:5:");
    expect(e.message).toContain("from line 4");
  });

  it("names the line and column of a bad row in the middle of the file", async () => {
    const body = Array.from({ length: 20 }, (_, i) => (i === 15 ? `${i},1,abc,buy` : `${i},1,1,buy`));
    const p = file("bad.csv", `ts_ns,price,qty,side\n${body.join("\n")}\n`);
    const e = await dataError(p);
    expect(e.message).toBe(`${p}:17: column 3 (qty): expected a decimal quantity (plain decimal such as 123.45; no exponent), got "abc"`);
    expect([e.line, e.column, e.field]).toEqual([17, 3, "qty"]);
  });

  it("reports too many decimals, bad sides, negative quantities and wrong column counts", async () => {
    const cases: [string, string, RegExp][] = [
      ["1,1.0000000001,1,buy", "price", /at most 9 decimal places/],
      ["1,1,1,hold", "side", /"buy" or "sell"/],
      ["1,1,-1,buy", "qty", /quantity >= 0/],
      ["1,1,1", "", /expected 4 comma-separated columns/],
    ];
    for (const [row, field, msg] of cases) {
      const e = await dataError(file(`bad-${field || "cols"}.csv`, `ts_ns,price,qty,side\n1,1,1,buy\n${row}\n`));
      expect(e.line).toBe(3);
      if (field) expect(e.field).toBe(field);
      expect(e.message).toMatch(msg);
    }
  });
});

describe("quotes CSV", () => {
  it("reads QUOTE records", async () => {
    const p = file("quotes.csv", "ts_ns,bid_px,bid_qty,ask_px,ask_qty\n1,99.99,3,100.01,7\n2,100,1,100,1\n3,,,100.02,2\n");
    const src = await openCsv(p);
    expect(src.format).toBe("quotes");
    expect((await collect(src)).records).toEqual([
      [1n, Q, 99_990_000_000n, 300_000_000n, 100_010_000_000n, 700_000_000n],
      [2n, Q, 100_000_000_000n, 100_000_000n, 100_000_000_000n, 100_000_000n],
      [3n, Q, 0n, 0n, 100_020_000_000n, 200_000_000n],
    ]);
  });

  it("rejects a crossed quote with a clear message", async () => {
    const p = file("crossed.csv", "ts_ns,bid_px,bid_qty,ask_px,ask_qty\n1,99.99,3,100.01,7\n2,100.02,3,100.01,7\n");
    const e = await dataError(p);
    expect(e.line).toBe(3);
    expect(e.message).toContain("uncrossed quote: bid price <= ask price (100.01)");
    expect(e.got).toBe("100.02");
  });
});

describe("quotes+trades CSV", () => {
  it("reads both kinds", async () => {
    const p = file(
      "mixed.csv",
      "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n1,quote,99.99,3,100.01,7,,,\n2,trade,,,,,100.01,2,buy\n3,Q,1,1,2,1,,,\n",
    );
    const src = await openCsv(p);
    expect(src.format).toBe("quotes+trades");
    expect((await collect(src)).records).toEqual([
      [1n, Q, 99_990_000_000n, 300_000_000n, 100_010_000_000n, 700_000_000n],
      [2n, T(BUY), 100_010_000_000n, 200_000_000n, 0n, 0n],
      [3n, Q, 1_000_000_000n, 100_000_000n, 2_000_000_000n, 100_000_000n],
    ]);
    const bad = file("mixed-bad.csv", "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n1,fill,,,,,1,1,\n");
    expect((await dataError(bad)).message).toMatch(/:2: column 2 \(type\): expected a record type/);
  });
});

describe("Binance dumps", () => {
  it("spot aggTrades (ms): isBuyerMaker=true means the aggressor sold", async () => {
    const p = file(
      "BTCUSDT-aggTrades-2024-01-01.csv",
      "26129,42283.58000000,0.00500000,30000,30001,1704067200000,True,True\n26130,42283.59000000,0.12000000,30002,30002,1704067200005,False,True\n",
    );
    const src = await openCsv(p);
    expect(src.format).toBe("binance spot aggTrades");
    expect((await collect(src)).records).toEqual([
      [1_704_067_200_000_000_000n, T(SELL), 42_283_580_000_000n, 500_000n, 0n, 0n],
      [1_704_067_200_005_000_000n, T(BUY), 42_283_590_000_000n, 12_000_000n, 0n, 0n],
    ]);
  });

  it("spot trades (µs timestamps, 2025 on)", async () => {
    const p = file("BTCUSDT-trades-2025-01-01.csv", "4000,93576.00000000,0.00017000,15.90792000,1735689600123456,false,true\n");
    const src = await openCsv(p);
    expect(src.format).toBe("binance spot trades");
    expect((await collect(src)).records).toEqual([[1_735_689_600_123_456_000n, T(BUY), 93_576_000_000_000n, 17_000n, 0n, 0n]]);
  });

  it("USD-M aggTrades with and without the header row", async () => {
    const row = "100,42000.1,0.005,200,201,1704067200000,true";
    const a = await collect(await openCsv(file("um1.csv", `${row}\n`)));
    const b = await collect(
      await openCsv(file("um2.csv", `agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n${row}\n`)),
    );
    expect(a.records).toEqual([[1_704_067_200_000_000_000n, T(SELL), 42_000_100_000_000n, 500_000n, 0n, 0n]]);
    expect(b.records).toEqual(a.records);
  });

  it("USD-M trades (6 columns)", async () => {
    const src = await openCsv(file("um3.csv", "100,42000.1,0.005,210.0005,1704067200000,false\n"));
    expect(src.format).toBe("binance usd-m trades");
    expect((await collect(src)).records).toEqual([[1_704_067_200_000_000_000n, T(BUY), 42_000_100_000_000n, 500_000n, 0n, 0n]]);
  });
});

describe("OHLCV CSV", () => {
  it("replays each bar as open, extremes, close prints, then the bar itself", async () => {
    const p = file(
      "bars.csv",
      "date,open,high,low,close,adjclose,volume\n2000-01-03,1469.250000,1478.000000,1438.359985,1455.219971,1455.219971,931800000\n2000-01-04,1455.219971,1455.219971,1397.430054,1399.420044,1399.420044,1009000000\n",
    );
    const src = await openCsv(p);
    expect(src.format).toBe("ohlcv");
    // The session 14:30 → 21:00 UTC (6 h 30 = 23,400 s); extremes at +7,800 s (16:40) and +15,600 s (18:50).
    const at = (d: number, h: number, m: number) => BigInt(Date.UTC(2000, 0, d, h, m)) * 1_000_000n;
    const CLOSE = header(Kind.Trade, 0, BAR_CLOSE_PRINT);
    const P = header(Kind.Trade, 0, BAR_PRINT);
    const PRICES = header(Kind.Bar, 0, BAR_PRICES);
    const VOLUME = header(Kind.Bar, 0, BAR_VOLUME);
    expect((await collect(src)).records).toEqual([
      // Jan 3 closes down (1455.22 < 1469.25): open → high → low → close.
      [at(3, 14, 30), P, 1_469_250_000_000n, 0n, 0n, 0n],
      [at(3, 16, 40), P, 1_478_000_000_000n, 0n, 0n, 0n],
      [at(3, 18, 50), P, 1_438_359_985_000n, 0n, 0n, 0n],
      [at(3, 21, 0), CLOSE, 1_455_219_971_000n, 0n, 0n, 0n],
      [at(3, 21, 0), PRICES, 1_469_250_000_000n, 1_478_000_000_000n, 1_438_359_985_000n, 1_455_219_971_000n],
      [at(3, 21, 0), VOLUME, 93_180_000_000_000_000n, at(3, 14, 30), 0n, 0n],
      // Jan 4 closes down too; open = high, printed all the same.
      [at(4, 14, 30), P, 1_455_219_971_000n, 0n, 0n, 0n],
      [at(4, 16, 40), P, 1_455_219_971_000n, 0n, 0n, 0n],
      [at(4, 18, 50), P, 1_397_430_054_000n, 0n, 0n, 0n],
      [at(4, 21, 0), CLOSE, 1_399_420_044_000n, 0n, 0n, 0n],
      [at(4, 21, 0), PRICES, 1_455_219_971_000n, 1_455_219_971_000n, 1_397_430_054_000n, 1_399_420_044_000n],
      [at(4, 21, 0), VOLUME, 100_900_000_000_000_000n, at(4, 14, 30), 0n, 0n],
    ]);
  });

  it("a bar that closes up prints its low first; a close-only file prints the close alone", async () => {
    const up = await collect(await openCsv(file("up.csv", "date,open,high,low,close\n2024-05-01,10,12,9,11\n")));
    expect(up.records.slice(0, 4).map((r) => r[2])).toEqual([10_000_000_000n, 9_000_000_000n, 12_000_000_000n, 11_000_000_000n]);
    // A 24 h bar: open and close both at 00:00 UTC, so it opens the day before.
    const day = await collect(await openCsv(file("day.csv", "date,open,high,low,close\n2024-05-01,10,12,9,11\n"), { barOpenUtcSecs: 0, barCloseUtcSecs: 0 }));
    expect(day.records[0][0]).toBe(BigInt(Date.UTC(2024, 3, 30)) * 1_000_000n);
    expect(day.records[3][0]).toBe(BigInt(Date.UTC(2024, 4, 1)) * 1_000_000n);
    const closes = await collect(await openCsv(file("closes.csv", "date,close\n2024-05-01,11\n")));
    const end = BigInt(Date.UTC(2024, 4, 1, 21)) * 1_000_000n;
    expect(closes.records).toEqual([
      [end, header(Kind.Trade, 0, BAR_CLOSE_PRINT), 11_000_000_000n, 0n, 0n, 0n],
      [end, header(Kind.Bar, 0, BAR_PRICES), 11_000_000_000n, 11_000_000_000n, 11_000_000_000n, 11_000_000_000n],
      [end, header(Kind.Bar, 0, BAR_VOLUME), 0n, end, 0n, 0n],
    ]);
  });

  it("never splits a bar's records over a batch it cannot fit in", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `2024-05-0${i + 1},10,12,9,11,100`).join("\n");
    const src = await openCsv(file("five.csv", `date,open,high,low,close,volume\n${rows}\n`));
    expect((await collect(src, 1)).batchLengths).toEqual([6, 6, 6, 6, 6]);
    expect((await collect(src, 13)).batchLengths).toEqual([12, 12, 6]);
  });

  it("rejects bad dates and bars whose close lies outside [low, high]", async () => {
    const h = "Date,Open,High,Low,Close,Adj Close,Volume\n2000-01-03,1,2,1,1.5,1.5,10\n";
    expect((await dataError(file("d1.csv", `${h}2000-02-30,1,2,1,1.5,1.5,10\n`))).message).toMatch(/:3: column 1 \(date\): expected a date YYYY-MM-DD, got "2000-02-30"/);
    expect((await dataError(file("d2.csv", `${h}2000-01-04,1,2,1,2.5,2.5,10\n`))).message).toMatch(/:3: column 5 \(close\): expected close within \[low, high\]/);
    expect((await dataError(file("d3.csv", `${h}2000-01-02,1,2,1,1.5,1.5,10\n`))).message).toMatch(/:3: timestamp: expected time in order/);
  });
});

describe("unknown CSV", () => {
  it("fails at open with the list of supported layouts", async () => {
    const e = await failure(openCsv(file("what.csv", "a,b,c\n1,2,3\n")));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/what\.csv:1: expected a CSV header with time,price/);
    expect(e.message).toContain('got "a,b,c"');
  });
});

describe("CSV header checks", () => {
  const combined = (header: string) => `${header}\n1,quote,99,1,101,1,,,\n2,trade,,,,,100,1,buy\n`;

  it("refuses a misspelled column instead of reading quotes+trades as quotes only", async () => {
    const p = file("typo.csv", combined("ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,pirce,qty,side"));
    const e = await failure(openCsv(p));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(`${p}:1: expected a quotes+trades header with a price column (ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side), got "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,pirce,qty,side"`);
  });

  it("refuses a column the layout does not read, naming it and the expected columns", async () => {
    const p = file("extra.csv", "ts_ns,bid_px,bid_qty,ask_px,ask_qty,prcie\n1,99,1,101,1,100\n");
    const e = await failure(openCsv(p));
    expect(e.message).toBe(
      `${p}:1: column 6: expected a column the quotes layout reads (<time>,bid_px,bid_qty,ask_px,ask_qty), or one it ignores (adj_close, adjclose, id, trade_id, agg_trade_id, first_trade_id, last_trade_id, quote_qty, quoteqty, is_best_match, isbestmatch), got "prcie"`,
    );
  });

  it("refuses a duplicated column and a header byte that is not UTF-8", async () => {
    const dup = file("dup.csv", "ts_ns,price,qty,Price\n1,1,1,1\n");
    expect((await failure(openCsv(dup))).message).toBe(`${dup}:1: column 4 (price): expected each column once, but price is also column 2, got "Price"`);
    const bin = file("latin1.csv", Buffer.concat([Buffer.from("ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,pr"), Buffer.from([0xe9]), Buffer.from("ce,qty,side\n1,quote,99,1,101,1,,,\n")]));
    expect((await failure(openCsv(bin))).message).toBe(`${bin}:1: column 7: expected a column name in UTF-8 text, got a byte that is not UTF-8`);
  });

  it("refuses a header with no rows", async () => {
    const p = file("empty-rows.csv", "# a note\nts_ns,price,qty\n\n# nothing else\n");
    expect((await failure(openCsv(p))).message).toBe(`${p}:2: expected data rows after the header, got none (a header alone is not a run of 0 ticks)`);
  });

  it("still reads the columns real exports carry and does not need", async () => {
    const p = file("yahoo.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n2000-01-03,1,2,1,1.5,1.5,10\n");
    expect((await collect(await openCsv(p))).records.length).toBe(6); // one bar: 4 prints and the BAR pair
  });
});
