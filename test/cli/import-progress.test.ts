// The progress bar of `algo data import` (src/cli/import-progress.ts): its
// text, and the share done from the bytes text readers have read or the
// records taken from a .ticks input, weighted by file size.
import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openTicks, writeTicks } from "../../harness/data/binary.ts";
import { openCsv } from "../../harness/data/csv.ts";
import { SyntheticSource } from "../../harness/data/synthetic.ts";
import { formatImportProgress, importFraction, importProgressLine } from "../../src/cli/import-progress.ts";
import { collect, tempDir } from "../harness/data/helpers.ts";

const file = tempDir();

describe("formatImportProgress", () => {
  it("draws the bar, %, records, rate and ETA when the share is known", () => {
    // 1,200,000 records in 2 s: 600k/s. 40% done in 2 s → the other 60% take 2 × 0.6 / 0.4 = 3.0 s. 40% of 20 cells = 8.
    expect(formatImportProgress({ records: 1_200_000, fraction: 0.4, elapsedMs: 2_000 })).toBe(
      "  importing ████████░░░░░░░░░░░░ 40% · 1,200,000 records · 600.0k records/s · ETA 3.0 s",
    );
  });

  it("shows count and rate only when an input cannot tell how far it is", () => {
    expect(formatImportProgress({ records: 5_105, elapsedMs: 500 })).toBe("  importing 5,105 records · 10.2k records/s");
  });

  it("rounds down (never 100% early) and has no ETA before time passed or work was done", () => {
    expect(formatImportProgress({ records: 10, fraction: 0.999, elapsedMs: 0 })).toBe(
      "  importing ███████████████████░ 99% · 10 records · 0 records/s",
    );
    expect(formatImportProgress({ records: 0, fraction: 0, elapsedMs: 100 })).toBe("  importing ░░░░░░░░░░░░░░░░░░░░ 0% · 0 records · 0 records/s");
  });
});

describe("importFraction", () => {
  it("weights each input's share by its size: bytes read for text, records taken for .ticks", async () => {
    const a = file("a.csv", "ts_ns,price,qty\n" + Array.from({ length: 100 }, (_, i) => `${i},1.5,1`).join("\n") + "\n");
    const b = file("b.csv", "ts_ns,price,qty\n5,2,1\n");
    const csvA = await openCsv(a, { chunkBytes: 64 });
    const csvB = await openCsv(b);
    const inputs = [
      { source: csvA, size: statSync(a).size },
      { source: csvB, size: statSync(b).size },
    ];
    expect(importFraction(inputs, [0, 0])).toBe(0); // nothing read yet

    await collect(csvA); // a read to its end: its share is 1, b's still 0
    const sa = statSync(a).size;
    const sb = statSync(b).size;
    expect(importFraction(inputs, [100, 0])).toBe(sa / (sa + sb));
    await collect(csvB);
    expect(importFraction(inputs, [100, 1])).toBe(1);

    // .ticks: 1000 records of which 250 taken → 1/4 of its size.
    const t = file("t.ticks");
    await writeTicks(t, new SyntheticSource({ seed: 1, count: 1000 }));
    const ticks = await openTicks(t);
    const st = statSync(t).size;
    expect(importFraction([{ source: ticks, size: st }, inputs[1]], [250, 1])).toBe((st * 0.25 + sb) / (st + sb));

    // A source that says neither: no share at all.
    expect(importFraction([{ source: new SyntheticSource({ seed: 1, count: 10 }), size: 0 }, inputs[0]], [0, 0])).toBeUndefined();
  });
});

describe("importProgressLine", () => {
  it("draws at the first update, then at most every interval, asking the share at each redraw, and erases itself", () => {
    let now = 0;
    let share = 0.1;
    const out: string[] = [];
    const line = importProgressLine({ write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream, () => share, () => now, 200);
    line.update(100);
    now = 100;
    line.update(200); // too soon
    now = 1000;
    share = 0.5;
    line.update(1000);
    line.clear();
    expect(out).toEqual([
      "\r  importing ██░░░░░░░░░░░░░░░░░░ 10% · 100 records · 0 records/s\x1b[K",
      // 1000 records in 1 s; half done in 1 s → 1.0 s left.
      "\r  importing ██████████░░░░░░░░░░ 50% · 1,000 records · 1.0k records/s · ETA 1.0 s\x1b[K",
      "\r\x1b[K",
    ]);
  });
});
