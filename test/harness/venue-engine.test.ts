// The venue's new answers seen through the engine and the report: a cancel
// that arrives too late, and what price 0 means for old and new modules.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, openSource, runBacktest, ConstantLatency } from "sequence-algo";
import { rawModule } from "../fixtures/raw-modules.ts";

let dir: string;
const csv = async (name: string, rows: string[]) => {
  const file = path.join(dir, name);
  await writeFile(file, ["ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side", ...rows].join("\n"));
  return file;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "venue-engine-test-"));
});

describe("through the engine", () => {
  it("a cancel that arrives after its order filled is an order update rejected too_late, counted in the report", async () => {
    const file = await csv("late.csv", [
      "1000,quote,99.00,5,100.00,5,,,", // the bid of 1 at 99.50 is sent; arrives at 1100
      "2000,quote,99.00,5,100.00,5,,,", // cancel() says yes; the cancel arrives at 2100
      "2050,quote,98.00,5,99.40,5,,,", // the ask reaches the bid: filled at 99.50
      "3000,quote,98.00,5,99.40,5,,,",
    ]);
    const module = (await compileAlgo(path.join(__dirname, "../fixtures/late-cancel-algo.ts"))).module;
    const { result } = await runBacktest({ module, source: await openSource(file), latency: new ConstantLatency(100n) });
    expect(result.logs.map((l) => `${l.ts_ns} ${l.message}`)).toEqual([
      "1100 order 1 status 1 reason 0",
      "2000 cancel says yes",
      "2100 order 1 status 2 reason 9",
    ]);
    expect(result.fill_log.map((f) => [f.ts_ns, f.price_1e9, f.qty_1e8, f.liquidity])).toEqual([[2050n, 99_500_000_000n, 100_000_000n, "maker"]]);
    expect(result.orders.rejected).toEqual({ too_late: 1 });
  });

  it("counts taker fills against a stale quote in the report (fills.stale), only when a threshold is set", async () => {
    // The scripted algo buys 2 at market on the first quote (t=1000); 5000 ns of latency: it reaches
    // the venue at 6000, when that quote is 5000 ns old (> 1000): one stale taker fill of 2 @ 100.
    const file = await csv("stale.csv", ["1000,quote,99.00,5,100.00,5,,,", "9000,trade,,,,,99.50,1,sell"]);
    const module = (await compileAlgo(path.join(__dirname, "../fixtures/scripted-algo.ts"))).module;
    const run = async (staleNs?: bigint) =>
      (await runBacktest({ module, source: await openSource(file), latency: new ConstantLatency(5000n), venueRules: { staleNs } })).result;
    const stale = await run(1000n);
    expect(stale.fill_log.filter((f) => f.liquidity === "taker").map((f) => [f.ts_ns, f.price_1e9, f.qty_1e8])).toEqual([[6000n, 100_000_000_000n, 200_000_000n]]);
    expect(stale.fills.stale).toBe(1);
    expect(stale.venue.stale_ns).toBe("1000");
    expect((await run()).fills.stale).toBeUndefined();
  });

  it("price 0 is a market order from a module built for ABI 1.1, and a limit at 0 from one built for 1.2", async () => {
    // on_start places a buy of 1 at price 0, tif GTC, before any quote: as a market order it finds no market.
    const file = await csv("zero.csv", ["1000,quote,-0.50,5,0.25,5,,,"]);
    const run = async (version: number) => {
      const bytes = rawModule({ version, placeOnStart: { side: 1, price: 0n, qty: 100_000_000n, tif: 0 } });
      return (await runBacktest({ module: await WebAssembly.compile(bytes as BufferSource), source: await openSource(file) })).result.orders;
    };
    expect(await run((1 << 16) | 1)).toEqual({ placed: 1, accepted: 0, cancelled: 0, rejected: { no_market: 1 }, open_at_end: 0 });
    expect(await run((1 << 16) | 2)).toEqual({ placed: 1, accepted: 1, cancelled: 0, rejected: {}, open_at_end: 1 });
  });
});
