// DEPTH records reach an algo's onBook (ABI 1.2) through the real build and
// engine: the runtime's book after each complete update, worked out by hand
// below; an algo without onBook stops keeping it; a module built for ABI 1.1
// is never sent a DEPTH record.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo } from "../../src/build/compile.ts";
import { openSource } from "../../harness/data/source.ts";
import { runBacktest } from "../../harness/engine.ts";
import { rawModule } from "../fixtures/raw-modules.ts";
import { writeSyntheticBook } from "../../harness/data/synthetic-book.ts";

let dir: string;
let file: string;

/** "100.00", "99.99", … 70 bid levels of size 1, one cent apart. */
const seventyBids = Array.from({ length: 70 }, (_, i) => `["${((10000 - i) / 100).toFixed(2)}", "1"]`).join(", ");
// The runtime keeps 64 levels per side (BOOK_LEVELS): 100.00 … 99.37.
const LINES = [
  `{"ts_ns": 1000, "type": "snapshot", "bids": [${seventyBids}], "asks": [["100.01", "2"], ["100.02", "3"]]}`,
  // the best 10 bids leave (100.00 … 99.91): 54 known levels remain, best 99.90. 99.00 lies past
  // the levels the runtime dropped, so it is not added (99.36 … 99.31 could be missing before it).
  `{"ts_ns": 2000, "type": "delta", "bids": [${Array.from({ length: 10 }, (_, i) => `["${((10000 - i) / 100).toFixed(2)}", "0"]`).join(", ")}, ["99.00", "4"]], "asks": [["100.01", "0"]]}`,
  `{"ts_ns": 3000, "type": "trade", "price": "100.02", "qty": "1", "side": "buy"}`,
  `{"ts_ns": 4000, "type": "snapshot", "bids": [["99.50", "1.5"]], "asks": []}`,
].join("\n");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "book-delivery-"));
  file = path.join(dir, "book.jsonl");
  await writeFile(file, LINES);
});

async function logsOf(module: WebAssembly.Module): Promise<string[]> {
  const report = await runBacktest({ module, source: await openSource(file) });
  return report.result.logs.map((l) => l.message);
}

describe("onBook", () => {
  it("gets the book after each complete update, and onQuote the top the reader derived", async () => {
    const { module } = await compileAlgo(path.join(__dirname, "../fixtures/book-algo.ts"));
    expect(await logsOf(module)).toEqual([
      // ts 1000: 64 of 70 bids kept; asks 100.01×2, 100.02×3; depth of the best 2 asks 2 + 3 = 5;
      // past the last level (and at index −1) the book reads 0
      "book 1000 bids 64: 100.0x1.0 99.99x1.0 99.98x1.0 asks 2: 100.01x2.0 100.02x3.0 ask depth(2) 5.0 past 0.0/0.0",
      "quote 100.0x1.0 100.01x2.0",
      // ts 2000: 64 − 10 = 54 bids from 99.90; 99.00 not added; the ask 100.01 removed
      "book 2000 bids 54: 99.9x1.0 99.89x1.0 99.88x1.0 asks 1: 100.02x3.0 ask depth(2) 3.0 past 0.0/0.0",
      "quote 99.9x1.0 100.02x3.0",
      // ts 4000: a snapshot with no asks empties that side
      "book 4000 bids 1: 99.5x1.5 asks 0: ask depth(2) 0.0 past 0.0/0.0",
      "quote 99.5x1.5 0.0x0.0",
    ]);
  });

  it("is not kept for an algo that does not define onBook", async () => {
    const src = path.join(dir, "no-book.ts");
    await writeFile(
      src,
      `import { Algo, Quote, log, register } from "sequence-algo/runtime";
class NoBook extends Algo {
  onQuote(q: Quote): void { log.info("bids known " + this.depth.bidCount.toString()); }
}
register(new NoBook());
`,
    );
    const built = await compileAlgo(src);
    expect(built.callbacks).toEqual(["on_quote"]);
    expect(built.abi).toEqual({ major: 1, minor: 3 });
    // The first update is applied (64 bids), then the default onBook turns the book off:
    // the second update's removals never reach it.
    expect(await logsOf(built.module)).toEqual(["bids known 64", "bids known 64", "bids known 64"]);
  });

  it("never reaches a module built for ABI 1.1, which would trap on the unknown kind", async () => {
    const old = new WebAssembly.Module(rawModule({ version: (1 << 16) | 1, trapOnKind: 7 }) as Uint8Array<ArrayBuffer>);
    const report = await runBacktest({ module: old, source: await openSource(file) });
    // 3 QUOTEs and 1 TRADE: the 72 + 12 + 2 DEPTH records were dropped before the copy
    expect(report.result.data).toMatchObject({ ticks: 4, quotes: 3, trades: 1 });
    const current = new WebAssembly.Module(rawModule({ version: (1 << 16) | 2, trapOnKind: 7 }) as Uint8Array<ArrayBuffer>);
    await expect(runBacktest({ module: current, source: await openSource(file) })).rejects.toThrow(/unreachable/);
  });

  it("allocates nothing per update: module memory is the same after 2,000 and 20,000 book lines", async () => {
    const src = path.join(dir, "reader.ts");
    await writeFile(
      src,
      `import { Algo, Book, register } from "sequence-algo/runtime";
class Reader extends Algo {
  sum: i64 = 0;
  onBook(b: Book): void {
    for (let i = 0; i < b.bidCount; i++) this.sum += b.bidQty(i);
    this.sum += b.askDepth(5) + b.askPx(0);
  }
}
register(new Reader());
`,
    );
    // the stub runtime never frees: any allocation per update would grow memory with the lines
    const { module } = await compileAlgo(src, { runtime: "stub" });
    const memory = async (lines: number) => {
      const f = path.join(dir, `alloc-${lines}.jsonl`);
      await writeSyntheticBook(f, { seed: 2, lines, levels: 30 });
      return (await runBacktest({ module, source: await openSource(f) })).result.module_memory_bytes;
    };
    expect(await memory(20_000)).toBe(await memory(2_000));
  }, 60_000);

  it("names onBook and the update's last record when the algo traps there", async () => {
    const src = path.join(dir, "trap.ts");
    await writeFile(
      src,
      `import { Algo, Book, register } from "sequence-algo/runtime";
class Trapping extends Algo {
  onBook(b: Book): void {
    if (b.bidCount > 60) throw new Error("too deep");
  }
}
register(new Trapping());
`,
    );
    const { module } = await compileAlgo(src);
    // the first update is records 1..72 (70 bids, 2 asks); onBook runs on record 72, at ts 1000 ns
    await expect(runBacktest({ module, source: await openSource(file) })).rejects.toThrow(
      /^algo trapped: too deep \(at trap\.ts:4:\d+ in onBook, event 72 at 1970-01-01T00:00:00\.000001000Z\)$/,
    );
  });
});
