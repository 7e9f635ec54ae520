// The account an algo reads mid-run is marked at the price it is looking at.
// The engine hands the module a stretch of records at once and marks the
// position after; an account read inside the stretch must first mark the
// records up to the module's own (it read the price before the stretch).
// Every figure is worked out by hand in the comments.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileAlgo, openSource, runBacktest } from "sequence-algo";

const USD = 1_000_000_000n;
// Capital $1000; bought 1 @ 101 (the first ask) with no fees. The mark is the quote's mid, or a trade's price.
const TICKS = `ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side
1000000000,quote,99,5,101,5,,,
2000000000,quote,100,5,102,5,,,
3000000000,quote,104,5,106,5,,,
4000000000,trade,,,,,93,1,sell
5000000000,quote,90,5,92,5,,,
6000000000,quote,110,5,112,5,,,
`;

describe("the account read mid-run", () => {
  it("is marked at the record the algo is on, not where the engine's stretch began", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "marks-"));
    const file = path.join(dir, "ticks.csv");
    await writeFile(file, TICKS);
    const { module } = await compileAlgo(path.join(__dirname, "../fixtures/mark-probe-algo.ts"));
    const { result } = await runBacktest({ module, source: await openSource(file), capitalUsd_1e9: 1000n * USD });
    const probes = result.logs.map((l) => l.message.split(" "));
    expect(probes).toEqual([
      ["quote", "0", String(1000n * USD)], //          mid 101: 101 − 101 = 0
      ["quote", String(4n * USD), String(1004n * USD)], // mid 105: +4
      ["trade", String(-8n * USD), String(992n * USD)], //  trade 93: −8
      ["quote", String(-10n * USD), String(990n * USD)], // mid 91: −10
      ["quote", String(10n * USD), String(1010n * USD)], // mid 111: +10
    ]);
    expect(result.pnl.unrealized_pnl_1e9).toBe(10n * USD);
  });
});
