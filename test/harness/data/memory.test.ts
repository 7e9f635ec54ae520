/**
 * Constant memory: a reader must hold one batch and one read window, never
 * the file. Files here are ~50 MB; reading one whole (readFileSync, or
 * JSON.parse of the document) would show up as heap/ArrayBuffer growth of
 * the file's size, so growth is bounded well below it. The batch object is
 * also checked to be the same one every time.
 */
import { createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { openSource } from "../../../harness/data/source.ts";
import { MergedSource } from "../../../harness/data/merge.ts";
import type { TickSource } from "../../../harness/data/source.ts";
import type { RecordBatch } from "../../../harness/data/record.ts";
import { writeTicks } from "../../../harness/data/binary.ts";
import { SyntheticSource } from "../../../harness/data/synthetic.ts";
import { tempDir } from "./helpers.ts";

const file = tempDir();

async function writeRows(path: string, head: string, n: number, row: (i: number) => string, tail = ""): Promise<void> {
  const ws = createWriteStream(path);
  ws.write(head);
  let s = "";
  for (let i = 0; i < n; i++) {
    s += row(i);
    if (s.length > 1 << 20) {
      if (!ws.write(s)) await once(ws, "drain");
      s = "";
    }
  }
  ws.end(s + tail);
  await once(ws, "finish");
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function drain(src: TickSource, batchSize: number) {
  const batches = new Set<RecordBatch>();
  let records = 0;
  let lastTs = 0n;
  const base = used();
  let peak = 0;
  let i = 0;
  for await (const b of src.batches(batchSize)) {
    batches.add(b);
    records += b.length;
    lastTs = b.ts(b.length - 1);
    if (++i % 16 === 0) peak = Math.max(peak, used() - base);
  }
  return { records, lastTs, distinct: batches.size, peakGrowth: peak };
}

const MB = 1 << 20;
const T0 = 1_700_000_000_000_000_000n;

describe("constant memory", () => {
  it("writes and replays a 1.5M-record .ticks file one chunk at a time", async () => {
    const n = 1_500_000; // 72 MB of raw records, 23 chunks
    const p = file("big.ticks");
    const base = used();
    let writePeak = 0;
    await writeTicks(p, new SyntheticSource({ seed: 3, count: n }), { onProgress: () => (writePeak = Math.max(writePeak, used() - base)) });
    // A chunk of rows and one of columns (3 MiB each), the compressed chunk and the deflater's
    // garbage (~17 MB seen): well under half the 72 MB a writer holding every record would need.
    expect(writePeak).toBeLessThan(36 * MB);
    const r = await drain(await openSource(p), 4096);
    expect(r.records).toBe(n);
    expect(r.distinct).toBe(1);
    // The decoder's chunk (3 MiB), a compressed chunk and the batch.
    expect(r.peakGrowth).toBeLessThan(16 * MB);
  });

  it("streams a 1.5M-row trades CSV with one batch and bounded memory", async () => {
    const n = 1_500_000;
    const p = file("big.csv");
    await writeRows(p, "ts_ns,price,qty,side\n", n, (i) => `${T0 + BigInt(i) * 1000n},${100 + (i % 97) / 100},0.${(i % 9) + 1},${i & 1 ? "buy" : "sell"}\n`);
    const size = statSync(p).size;
    expect(size).toBeGreaterThan(50 * MB);
    const r = await drain(await openSource(p), 4096);
    expect(r.records).toBe(n);
    expect(r.lastTs).toBe(T0 + BigInt(n - 1) * 1000n);
    expect(r.distinct).toBe(1);
    expect(r.peakGrowth).toBeLessThan(size / 2);
  });

  it("streams a 500k-point price_history JSON without parsing the whole document", async () => {
    const n = 500_000;
    const p = file("big.json");
    await writeRows(
      p,
      '{"symbol":"BIG","source":"test","points":[\n',
      n,
      (i) => `${i ? ",\n" : ""}  {"ts_ns": ${T0 + BigInt(i)}, "price_1e9": ${97_000_000_000_000 + i}, "qty_1e8": ${i % 1000}, "side": "${i & 1 ? "buy" : "sell"}"}`,
      "\n]}\n",
    );
    const size = statSync(p).size;
    expect(size).toBeGreaterThan(45 * MB);
    const r = await drain(await openSource(p), 4096);
    expect(r.records).toBe(n);
    expect(r.lastTs).toBe(T0 + BigInt(n - 1));
    expect(r.distinct).toBe(1);
    expect(r.peakGrowth).toBeLessThan(size / 2);
  });

  it("merges two interleaved 25 MB CSVs (algo data import) holding batches, not files", async () => {
    const n = 700_000;
    const even = file("even.csv");
    const odd = file("odd.csv");
    // Rows alternate between the files: the merge takes one record from each in turn.
    const row = (k: number) => (i: number) => `${T0 + BigInt(2 * i + k) * 1000n},${100 + (i % 97) / 100},0.${(i % 9) + 1},buy\n`;
    await writeRows(even, "ts_ns,price,qty,side\n", n, row(0));
    await writeRows(odd, "ts_ns,price,qty,side\n", n, row(1));
    const size = statSync(even).size + statSync(odd).size;
    expect(size).toBeGreaterThan(45 * MB);
    const r = await drain(new MergedSource([await openSource(even), await openSource(odd)], "even+odd"), 4096);
    expect(r.records).toBe(2 * n);
    expect(r.lastTs).toBe(T0 + BigInt(2 * n - 1) * 1000n);
    expect(r.distinct).toBe(1); // the merge's own batch: runs of one record are copied into it
    expect(r.peakGrowth).toBeLessThan(size / 4);
  });
});
