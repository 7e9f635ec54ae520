// Queue models, by hand: a bid joins 3.0 displayed at 99.00; trades print at 99.00.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, openSource, runBacktest, RiskAverseQueue, ThroughOnly, type QueueModel } from "sequence-algo";

const TICKS = [
  "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side",
  "1000,quote,99.00,3,99.50,2,,,", // the algo joins the bid: 3.0 ahead of it
  "2000,trade,,,,,99.00,2,sell", // 1.0 left ahead
  "3000,trade,,,,,99.00,1.5,sell", // reaches the order: 0.5 fills
  "4000,trade,,,,,99.00,2,sell", // the other 0.5 fills
  "5000,trade,,,,,98.90,1,sell", // through the price: nothing left to fill
].join("\n");

let file: string;
let module: WebAssembly.Module;

const run = async (queue: QueueModel) => (await runBacktest({ module, source: await openSource(file), queue })).result;

beforeAll(async () => {
  file = path.join(await mkdtemp(path.join(tmpdir(), "queue-test-")), "ticks.csv");
  await writeFile(file, TICKS);
  module = (await compileAlgo(path.join(__dirname, "../fixtures/join-bid-algo.ts"))).module;
});

describe("queue models", () => {
  it("risk-averse: fills once the displayed queue ahead has traded, at the order's price, as maker", async () => {
    const r = await run(new RiskAverseQueue());
    expect(r.fill_log.map((f) => [f.ts_ns, f.price_1e9, f.qty_1e8, f.liquidity])).toEqual([
      [3000n, 99_000_000_000n, 50_000_000n, "maker"],
      [4000n, 99_000_000_000n, 50_000_000n, "maker"],
    ]);
    expect(r.pnl.position_1e8).toBe(100_000_000n);
    expect(r.venue.queue).toBe("risk-averse");
  });

  it("through (the default): trades at the order's price never fill it; a trade through it does", async () => {
    const r = await run(new ThroughOnly());
    expect(r.fill_log.map((f) => [f.ts_ns, f.qty_1e8])).toEqual([[5000n, 100_000_000n]]);
    expect(r.venue.queue).toBe("through");
  });
});
