/**
 * A Parquet file is read a row group at a time: memory follows the row
 * group, not the file. 1.2M trades decoded at once hold at least
 * 1.2M × 3 INT64 columns × 8 B = 28.8 MB of typed arrays, plus the side
 * strings; read by row groups of 65,536 rows the live growth stays a fraction
 * of that. (Parquet is compressed, so the file's own size says little: the
 * bound is on live memory, measured after a full collection.)
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { openSource } from "../../../harness/data/source.ts";
import type { TickSource } from "../../../harness/data/source.ts";
import { writeParquet } from "../../../harness/data/parquet-write.ts";
import { RecordBatch } from "../../../harness/data/record.ts";
import { Kind, SideCode } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import { tempDir } from "./helpers.ts";

const file = tempDir();
const MB = 1 << 20;
const N = 1_200_000;
const T0 = 1_700_000_000_000_000_000n;

/** N trades, generated batch by batch (no file to read). */
const trades: TickSource = {
  description: "generated trades",
  async *batches() {
    const b = new RecordBatch(4096);
    for (let i = 0; i < N; i++) {
      b.push(T0 + BigInt(i) * 1000n, header(Kind.Trade, i & 1 ? SideCode.Buy : SideCode.Sell), 100_000_000_000n + BigInt(i % 997), BigInt((i % 9) + 1) * 10_000_000n);
      if (b.full) {
        yield b;
        b.clear();
      }
    }
    if (b.length) yield b;
  },
};

// A full collection before the baseline, so the writer's garbage cannot hide a reader's growth.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe("Parquet memory", () => {
  it("reads a 1.2M-row file with memory growth well below its decoded size", async () => {
    const p = file("big.parquet");
    expect(await writeParquet(p, trades)).toEqual({ records: N, layout: "trades", rowGroups: Math.ceil(N / 65_536) });
    const src = await openSource(p);
    gc();
    const base = used();
    let peak = 0;
    let records = 0;
    let last = 0n;
    let i = 0;
    for await (const b of src.batches(4096)) {
      records += b.length;
      last = b.ts(b.length - 1);
      if (++i % 8 === 0) {
        gc(); // live memory only: what the reader holds, not garbage awaiting collection
        peak = Math.max(peak, used() - base);
      }
    }
    expect(records).toBe(N);
    expect(last).toBe(T0 + BigInt(N - 1) * 1000n);
    // Measured: ~9 MB; the same file written as one row group peaks at ~84 MB.
    expect(peak).toBeLessThan(24 * MB);
  }, 120_000);
});
