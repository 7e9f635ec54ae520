import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import path from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, runBacktest, BpsFees, toExactJson } from "sequence-algo";
import { openSource } from "../../../harness/data/source.ts";
import { writeParquet } from "../../../harness/data/parquet-write.ts";
import { runIdentity } from "../../../harness/report/run-hash.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { HAND_WORKED_TICKS } from "../../fixtures/hand-worked-ticks.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();
const T0 = 1_704_067_200_000_000_000n; // 2024-01-01 in ns, beyond 2^53

// Quotes and trades with values a float would mangle: a price whose 1e9
// integer (9000000000123456789) is beyond 2^53 and near i64's top, negative
// prices, and times beyond 2^53.
const MIXED = [
  "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side",
  `${T0},quote,-37.70,5,-37.60,5,,,`,
  `${T0 + 1n},trade,,,,,-37.63,1,sell`,
  `${T0 + 2n},trade,,,,,9000000000.123456789,0.00000001,buy`,
  `${T0 + 3n},quote,0,0,100.01,7,,,`,
  `${T0 + 3n},trade,,,,,100.01,92233720368.54775807,`,
].join("\n");

async function schemaOf(p: string): Promise<{ columns: string[]; kv: Record<string, string | undefined>; rowGroups: number[] }> {
  const md = await parquetMetadataAsync(await asyncBufferFromFile(p));
  return {
    columns: md.schema.slice(1).map((e) => `${e.name}:${e.type}${e.repetition_type === "OPTIONAL" ? "?" : ""}`),
    kv: Object.fromEntries((md.key_value_metadata ?? []).map((e) => [e.key, e.value])),
    rowGroups: md.row_groups.map((g) => Number(g.num_rows)),
  };
}

describe("writeParquet", () => {
  it("round-trips quotes and trades exactly through one quotes+trades table, in bounded row groups", async () => {
    const csv = await openSource(file("mixed.csv", MIXED));
    const out = file("mixed.parquet");
    const progress: number[] = [];
    const written = await writeParquet(out, csv, { symbol: "CL", venue: "NYMEX", onProgress: (n) => progress.push(n), rowGroupRows: 2 });
    expect(written).toEqual({ records: 5, layout: "quotes+trades", rowGroups: 3 });
    expect(progress).toEqual([2, 4, 5]);
    expect((await collect(await openSource(out))).records).toEqual((await collect(csv)).records);
    const s = await schemaOf(out);
    expect(s.columns).toEqual([
      "ts_ns:INT64", "type:BYTE_ARRAY",
      "bid_px_1e9:INT64?", "bid_qty_1e8:INT64?", "ask_px_1e9:INT64?", "ask_qty_1e8:INT64?",
      "price_1e9:INT64?", "qty_1e8:INT64?", "side:BYTE_ARRAY?",
    ]);
    expect(s.rowGroups).toEqual([2, 2, 1]);
    expect(s.kv).toMatchObject({
      layout: "quotes+trades", ts_unit: "ns", price_scale: "1e9", qty_scale: "1e8",
      symbol: "CL", venue: "NYMEX", instrument_id: "CL.NYMEX",
      records: "5", first_ts_ns: String(T0), last_ts_ns: String(T0 + 3n),
    });
    // Nothing left beside the file: the temporary was renamed.
    expect(readdirSync(dirname(out)).filter((n) => n.startsWith("mixed.parquet"))).toEqual(["mixed.parquet"]);
  });

  it("gives a one-kind stream its own table, and the same records the same bytes", async () => {
    const trades = await openSource(file("trades.csv", "ts_ns,price,qty,side\n1,100.5,2,buy\n2,-1,0.5,\n"));
    const a = file("trades-a.parquet");
    const b = file("trades-b.parquet");
    expect((await writeParquet(a, trades)).layout).toBe("trades");
    await writeParquet(b, trades);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect((await schemaOf(a)).columns).toEqual(["ts_ns:INT64", "price_1e9:INT64", "qty_1e8:INT64", "side:BYTE_ARRAY?"]);
    expect((await collect(await openSource(a))).records).toEqual((await collect(trades)).records);

    const quotes = await openSource(file("quotes.csv", "ts_ns,bid_px,bid_qty,ask_px,ask_qty\n1,99,1,,\n"));
    const q = file("quotes.parquet");
    expect((await writeParquet(q, quotes)).layout).toBe("quotes");
    expect((await schemaOf(q)).columns).toEqual(["ts_ns:INT64", "bid_px_1e9:INT64", "bid_qty_1e8:INT64", "ask_px_1e9:INT64", "ask_qty_1e8:INT64"]);
    expect((await collect(await openSource(q))).records).toEqual((await collect(quotes)).records);
  });

  it("rewrites as quotes+trades when a later row group brings the other kind", async () => {
    const src = await openSource(file("late-quote.csv", "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n1,trade,,,,,1,1,buy\n2,trade,,,,,1,1,sell\n3,quote,1,1,2,1,,,\n"));
    const out = file("late-quote.parquet");
    expect(await writeParquet(out, src, { rowGroupRows: 2 })).toEqual({ records: 3, layout: "quotes+trades", rowGroups: 2 });
    expect((await collect(await openSource(out))).records).toEqual((await collect(src)).records);
  });

  it("refuses records it has no column for, leaving no file behind", async () => {
    const bars = await openSource(file("bars.csv", "date,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n"));
    const out = file("bars.parquet");
    const e = await failure(writeParquet(out, bars));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/bars\.parquet: expected QUOTE and TRADE records only .*, got a TRADE record with a sub-kind \(a bar's print\) \(record 1 of ohlcv CSV/);
    expect(readdirSync(dirname(out)).filter((n) => n.startsWith("bars.parquet"))).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});

describe("a backtest on Parquet", () => {
  let wasm: Uint8Array;
  let module: WebAssembly.Module;
  beforeAll(async () => {
    const built = await compileAlgo(path.join(__dirname, "../../fixtures/scripted-algo.ts"));
    ({ wasm, module } = built);
  }, 120_000);

  it("is the same run as on the CSV it was written from", async () => {
    // The hand-worked ticks (test/harness/engine.test.ts) at times beyond 2^53, then a print
    // whose price_1e9 (10000000000000001) is beyond 2^53 and a market gone negative.
    const lines = HAND_WORKED_TICKS.split("\n");
    const shifted = lines.slice(1).map((l) => l.replace(/^(\d+),/, (_, t: string) => `${T0 + BigInt(t)},`));
    const extra = [`${T0 + 7000n},trade,,,,,10000000.000000001,0.00000001,buy`, `${T0 + 8000n},quote,-37.70,5,-37.60,5,,,`, `${T0 + 9000n},trade,,,,,-37.63,1,sell`];
    const csvPath = file("run.csv", [lines[0], ...shifted, ...extra].join("\n"));
    const parquetPath = file("run.parquet");
    await writeParquet(parquetPath, await openSource(csvPath), { rowGroupRows: 4 });
    const run = async (p: string) => (await runBacktest({ module, source: await openSource(p), fees: new BpsFees(-1, 5) })).result;
    const fromCsv = await run(csvPath);
    const fromParquet = await run(parquetPath);
    expect(fromCsv.fills).toEqual({ count: 4, maker: 3, taker: 1 }); // the hand-worked fills happened
    expect(fromCsv.pnl.mark_1e9).toBe(-37_630_000_000n); // and the negative print marks the position
    expect(toExactJson(fromParquet, 0)).toBe(toExactJson(fromCsv, 0));
    // The run hash over the same module, data content and result is the same.
    expect(runIdentity(wasm, "same data", fromParquet).run_sha256).toBe(runIdentity(wasm, "same data", fromCsv).run_sha256);
  }, 120_000);
});
