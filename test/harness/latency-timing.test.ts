// Feed, entry and response latency, by hand: each case is a few ticks and a
// probe algo that logs its clock, the orders it believes open and its position.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, openSource, runBacktest, Latencies, Params, type LatencySettings } from "sequence-algo";

const HEAD = "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side";
let dir: string;
let module: WebAssembly.Module;

async function run(rows: string[], latency: LatencySettings, params: string[] = []) {
  const file = path.join(dir, `ticks-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, [HEAD, ...rows].join("\n"));
  const { result } = await runBacktest({ module, source: await openSource(file), latency: new Latencies(latency), params: Params.parse(params) });
  return { result, log: result.logs.map((l) => l.message) };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "latency-timing-"));
  module = (await compileAlgo(path.join(__dirname, "../fixtures/latency-algo.ts"))).module;
});

const Q = "99.00,5,100.00,5"; // the quote 99.00 / 100.00 that most cases rest a 99.00 bid under
const quote = (ts: number, book = Q) => `${ts},quote,${book},,,`;
const trade = (ts: number, px: string) => `${ts},trade,,,,,${px},1,sell`;
// Prices in the probe's log are 1e9 fixed point, positions 1e8.
const P99 = "99000000000";
const BOOK = `${P99}/100000000000`;

describe("entry latency: the cancel that arrives too late", () => {
  // The algo bids 1 @ 99.00 at t=1000 and cancels it when it sees the quote at t=2000;
  // a sell prints through 99.00 at t=2500.
  const ticks = [quote(1000), quote(2000), trade(2500, "98.90"), quote(3000)];
  const params = ["limit_px=99", "cancel_on=2"];

  it("800 ns: the bid rests at 1800, fills at 2500, and the cancel sent at 2000 reaches the venue only at 2800", async () => {
    const { result, log } = await run(ticks, { entry: 800n }, params);
    expect(log).toEqual([
      `quote ${BOOK} @1000 open 0 pos 0`,
      `order 1 reason 0 @1800 open 1 pos 0`, // accepted on arrival: 1000 + 800
      `quote ${BOOK} @2000 open 1 pos 0`,
      `cancel sent @2000 open 1 pos 0`, // on its way: arrives 2000 + 800 = 2800
      `fill ${P99} @2500 open 0 pos 100000000`, // 98.90 prints through the bid before the cancel lands
      `trade 98900000000 @2500 open 0 pos 100000000`,
      `order 2 reason 9 @2800 open 0 pos 100000000`, // rejected (status 2): too_late, the order had filled
      `quote ${BOOK} @3000 open 0 pos 100000000`,
    ]);
    expect(result.fill_log.map((f) => [f.ts_ns, f.price_1e9, f.qty_1e8])).toEqual([[2500n, 99_000_000_000n, 100_000_000n]]);
    expect(result.orders.cancelled).toBe(0); // it found nothing left to cancel at 2800
    expect(result.orders.rejected).toEqual({ too_late: 1 });
    expect(result.pnl.position_1e8).toBe(100_000_000n);
  });

  it("400 ns: the same cancel lands at 2400, before the trade, and nothing fills", async () => {
    const { result, log } = await run(ticks, { entry: 400n }, params);
    expect(log.slice(1, 5)).toEqual([
      `order 1 reason 0 @1400 open 1 pos 0`, // 1000 + 400
      `quote ${BOOK} @2000 open 1 pos 0`,
      `cancel sent @2000 open 1 pos 0`,
      `order 3 reason 0 @2400 open 0 pos 0`, // cancelled (status 3) at 2000 + 400
    ]);
    expect(result.fill_log).toEqual([]);
    expect(result.orders.cancelled).toBe(1);
  });
});

describe("response latency: the algo hears late", () => {
  it("700 ns: the fill at 2000 reaches on_fill at 2700; until then the algo trades on with the order believed open", async () => {
    const ticks = [quote(1000), quote(1500), trade(2000, "98.90"), quote(2200), quote(3000)];
    const { result, log } = await run(ticks, { response: 700n }, ["limit_px=99"]);
    expect(log).toEqual([
      `quote ${BOOK} @1000 open 0 pos 0`, // bids 99.00; it reaches the venue at once (no entry latency)
      `quote ${BOOK} @1500 open 1 pos 0`,
      `order 1 reason 0 @1700 open 1 pos 0`, // accepted at 1000, heard at 1000 + 700
      `trade 98900000000 @2000 open 1 pos 0`, // the venue filled it at 2000; the algo does not know yet
      `quote ${BOOK} @2200 open 1 pos 0`,
      `fill ${P99} @2700 open 0 pos 100000000`, // 2000 + 700
      `quote ${BOOK} @3000 open 0 pos 100000000`,
    ]);
    // The venue's (and the ledger's) time of the fill is 2000.
    expect(result.fill_log.map((f) => f.ts_ns)).toEqual([2000n]);
  });

  it("faster than the feed: a 100 ns response with 500 ns feed latency tells of the fill before the trade that caused it is seen", async () => {
    const ticks = [quote(1000), trade(2000, "98.90"), quote(3000)];
    const { log } = await run(ticks, { feed: 500n, response: 100n }, ["limit_px=99"]);
    expect(log).toEqual([
      `quote ${BOOK} @1500 open 0 pos 0`, // seen at 1000 + 500; the bid reaches the venue at 1500
      `order 1 reason 0 @1600 open 1 pos 0`, // 1500 + 100
      `fill ${P99} @2100 open 0 pos 100000000`, // filled at 2000, heard at 2000 + 100
      `trade 98900000000 @2500 open 0 pos 100000000`, // seen at 2000 + 500
      `quote ${BOOK} @3500 open 0 pos 100000000`,
    ]);
  });
});

describe("response latency: a cancel of an order that filled unheard", () => {
  it("700 ns: the cancel sent at 2200 (the fill at 2000 not yet heard) is answered too_late, heard at 2200 + 700", async () => {
    const ticks = [quote(1000), quote(1500), trade(2000, "98.90"), quote(2200), quote(3000)];
    const { result, log } = await run(ticks, { response: 700n }, ["limit_px=99", "cancel_on=3"]);
    expect(log).toEqual([
      `quote ${BOOK} @1000 open 0 pos 0`,
      `quote ${BOOK} @1500 open 1 pos 0`,
      `order 1 reason 0 @1700 open 1 pos 0`, // accepted at 1000, heard at 1700
      `trade 98900000000 @2000 open 1 pos 0`, // fills the bid at the venue; the algo does not know yet
      `quote ${BOOK} @2200 open 1 pos 0`,
      `cancel sent @2200 open 1 pos 0`, // the algo still believes it open: the cancel goes out
      `fill ${P99} @2700 open 0 pos 100000000`, // 2000 + 700
      `order 2 reason 9 @2900 open 0 pos 100000000`, // rejected too_late at the venue at 2200, heard at 2900
      `quote ${BOOK} @3000 open 0 pos 100000000`,
    ]);
    expect(result.orders.rejected).toEqual({ too_late: 1 });
  });
});

describe("feed latency: the algo acts late, on a book that has moved", () => {
  // The ask moves from 100.00 to 102.00 at t=1200; the algo buys at market on the first quote it sees.
  const ticks = [quote(1000), quote(1200, "101.00,5,102.00,5"), quote(2000, "101.00,5,102.00,5")];

  it("0 ns: the buy meets the 100.00 ask it saw", async () => {
    const { result } = await run(ticks, {});
    expect(result.fill_log.map((f) => [f.ts_ns, f.price_1e9])).toEqual([[1000n, 100_000_000_000n]]);
  });

  it("500 ns: on_quote of t=1000 runs at 1500, and the buy meets the 102.00 ask published at 1200", async () => {
    const { result, log } = await run(ticks, { feed: 500n });
    expect(log).toEqual([
      `quote ${BOOK} @1500 open 0 pos 0`, // the algo's clock reads 1000 + 500
      `order 1 reason 0 @1500 open 1 pos 0`,
      `fill 102000000000 @1500 open 0 pos 100000000`, // the book at 1500 is the quote of 1200
      `quote 101000000000/102000000000 @1700 open 0 pos 100000000`, // 1200 + 500
      `quote 101000000000/102000000000 @2500 open 0 pos 100000000`,
    ]);
    expect(result.fill_log.map((f) => [f.ts_ns, f.price_1e9])).toEqual([[1500n, 102_000_000_000n]]);
    expect(result.venue).toMatchObject({ feed_latency: "500", entry_latency: "0", response_latency: "0" });
  });
});
