import { readFileSync, statSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openTicks, readTicksHeader, writeTicks } from "../../../harness/data/binary.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { openSource } from "../../../harness/data/source.ts";
import { SyntheticSource } from "../../../harness/data/synthetic.ts";
import { withinTimeRange } from "../../../harness/data/time-range.ts";
import { type RecordBatch } from "../../../harness/data/record.ts";
import { RECORD_BYTES } from "../../../harness/abi.ts";
import type { TickSource } from "../../../harness/data/source.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();

/** Every record's bytes, and how many distinct batch objects carried them (a fast compare for 150,000 records). */
async function bytesOf(src: TickSource, batchSize?: number): Promise<{ bytes: Buffer; distinctBatches: number }> {
  const parts: Buffer[] = [];
  const seen = new Set<RecordBatch>();
  for await (const b of src.batches(batchSize)) {
    seen.add(b);
    parts.push(Buffer.from(b.bytes().slice()));
  }
  return { bytes: Buffer.concat(parts), distinctBatches: seen.size };
}

/** A version 1 file (header + raw records), as the previous writer wrote it: the reader must still read it. */
async function writeV1(path: string, records: bigint[][], symbol: string, description: string): Promise<number> {
  const sym = Buffer.from(symbol);
  const desc = Buffer.from(description);
  const size = Math.ceil((40 + sym.length + desc.length) / 8) * 8;
  const h = Buffer.alloc(size);
  h.write("SQTICKS1", 0, "latin1");
  h.writeUInt32LE(1, 8);
  h.writeUInt32LE(size, 12);
  h.writeBigUInt64LE(BigInt(records.length), 16);
  h.writeUInt32LE(48, 24);
  h.writeUInt32LE(sym.length, 28);
  h.writeUInt32LE(desc.length, 32);
  sym.copy(h, 40);
  desc.copy(h, 40 + sym.length);
  writeFileSync(path, Buffer.concat([h, Buffer.from(BigInt64Array.from(records.flat()).buffer)]));
  return size;
}

describe(".ticks version 2: chunked and compressed", () => {
  // 150,000 records = chunks of 65,536 + 65,536 + 18,928.
  const big = new SyntheticSource({ seed: 7, count: 150_000 });
  const bigFile = file("big.ticks");
  const progress: number[] = [];
  const written = writeTicks(bigFile, big, {
    symbol: "SYN",
    venue: "synthetic-venue",
    instrument: { tickPx: 10_000_000n, lotQty: 100_000_000n, minNotional: 0n },
    onProgress: (n) => progress.push(n),
  });

  it("round-trips records, symbol, venue, instrument and counts exactly, for any batch size", async () => {
    const info = await written;
    const wantBytes = (await bytesOf(big)).bytes;
    const w = new BigInt64Array(wantBytes.buffer, wantBytes.byteOffset, wantBytes.length / 8);
    const ts = (record: number) => w[record * 6];
    let quotes = 0;
    for (let i = 0; i < 150_000; i++) if ((w[i * 6 + 1] & 0xffn) === 1n) quotes++;
    expect(quotes).toBeGreaterThan(0);
    const header = await readTicksHeader(bigFile);
    expect(header).toEqual(info);
    expect(header).toMatchObject({
      version: 2,
      records: 150_000,
      symbol: "SYN",
      venue: "synthetic-venue",
      description: big.description,
      kinds: { QUOTE: quotes, TRADE: 150_000 - quotes },
      firstTsNs: ts(0),
      lastTsNs: ts(149_999),
      instrument: { tickPx: 10_000_000n, lotQty: 100_000_000n, minNotional: 0n },
      chunkRecords: 65_536,
    });
    expect(header.chunks!.map((c) => [c.records, c.firstRecord, c.firstTsNs, c.lastTsNs])).toEqual([
      [65_536, 0, ts(0), ts(65_535)],
      [65_536, 65_536, ts(65_536), ts(131_071)],
      [18_928, 131_072, ts(131_072), ts(149_999)],
    ]);
    expect(progress).toEqual([65_536, 131_072, 150_000]);
    for (const batchSize of [1_000, 4096, 100_000]) {
      const got = await bytesOf(await openTicks(bigFile), batchSize);
      expect(got.bytes.equals(wantBytes)).toBe(true);
      expect(got.distinctBatches).toBe(1);
    }
    expect((await bytesOf(await openSource(bigFile))).bytes.equals(wantBytes)).toBe(true);
  });

  it("is much smaller than the raw records", async () => {
    await written;
    // Columns with ts deltas deflate to about 6% of 150,000 × 48 B on this data; 15% leaves room.
    expect(statSync(bigFile).size).toBeLessThan(0.15 * 150_000 * RECORD_BYTES);
  });

  it("writes byte-identical files for identical input", async () => {
    const syn = new SyntheticSource({ seed: 7, count: 1000 });
    await writeTicks(file("a.ticks"), syn, { symbol: "S", venue: "v" });
    await writeTicks(file("b.ticks"), syn, { symbol: "S", venue: "v" });
    expect(readFileSync(file("a.ticks")).equals(readFileSync(file("b.ticks")))).toBe(true);
  });

  it("writes and reads an empty file", async () => {
    const p = file("empty.ticks");
    const empty = { description: "nothing", async *batches() {} };
    expect(await writeTicks(p, empty)).toMatchObject({ records: 0, chunks: [], firstTsNs: undefined, kinds: {} });
    expect((await collect(await openTicks(p))).records).toEqual([]);
  });

  it("skips chunks outside --from/--to without reading them", async () => {
    const header = await written;
    const [c1, c2, c3] = header.chunks!;
    // Chunk 1's bytes are garbled: a range starting in chunk 3 never reads them, the whole file does.
    const bytes = Buffer.from(readFileSync(bigFile));
    bytes[c1.offset + 10] ^= 0xff;
    const p = file("first-chunk-garbled.ticks");
    writeFileSync(p, bytes);
    const e = (await failure(collect(await openTicks(p)))) as DataError;
    expect(e.message).toBe(`${p}: record 1: chunk 1: expected bytes matching the chunk's CRC-32 (the file is corrupt)`);
    const late = await collect(withinTimeRange(await openTicks(p), { fromNs: c3.firstTsNs }));
    expect(late.records.length).toBe(c3.records);
    // A range ending inside chunk 2 stops before chunk 3: its records are all before c2's last ts.
    const mid = await collect(withinTimeRange(await openTicks(bigFile), { fromNs: c2.firstTsNs, untilNs: c2.lastTsNs }));
    expect(mid.records[0][0]).toBe(c2.firstTsNs);
    expect(mid.records.every((r) => r[0] < c2.lastTsNs)).toBe(true);
  });

  it("names the chunk and its first record when a chunk is corrupt or the file is cut", async () => {
    const header = await written;
    const c2 = header.chunks![1];
    const bytes = readFileSync(bigFile);
    const flipped = Buffer.from(bytes);
    flipped[c2.offset + c2.bytes - 1] ^= 0x01;
    writeFileSync(file("flipped.ticks"), flipped);
    expect((await failure(collect(await openTicks(file("flipped.ticks"))))).message).toMatch(
      /flipped\.ticks: record 65537: chunk 2: expected bytes matching the chunk's CRC-32 \(the file is corrupt\)$/,
    );

    writeFileSync(file("cut.ticks"), bytes.subarray(0, bytes.length - 100));
    const cut = (await failure(openTicks(file("cut.ticks")))) as DataError;
    expect(cut).toBeInstanceOf(DataError);
    expect(cut.message).toMatch(/cut\.ticks: header: expected a file of \d+ bytes for 3 chunks and the chunk index \(truncated or unfinished write\?\)/);
  });

  it("refuses a file whose scales the engine does not use, naming them, and a header whose counts disagree", async () => {
    const bytes = Buffer.from(readFileSync(file("a.ticks")));
    bytes[64] = 6; // price decimals
    writeFileSync(file("micro.ticks"), bytes);
    expect((await failure(openTicks(file("micro.ticks")))).message).toBe(
      `${file("micro.ticks")}: scales: expected the engine's scales: prices in 1e-9, quantities in 1e-8, time in ns (1e-9 s), got "prices in 1e-6, quantities in 1e-8, time in 1e-9 s"`,
    );

    const miscounted = Buffer.from(readFileSync(file("a.ticks")));
    miscounted.writeBigUInt64LE(miscounted.readBigUInt64LE(88) + 1n, 88); // the QUOTE count
    writeFileSync(file("miscounted.ticks"), miscounted);
    expect((await failure(openTicks(file("miscounted.ticks")))).message).toBe(
      `${file("miscounted.ticks")}: records per kind: expected records per kind adding up to the header's 1000 records, got "1001"`,
    );
  });
});

describe(".ticks version 1 (raw records) is still read", () => {
  const syn = new SyntheticSource({ seed: 7, count: 1000 });

  it("reads records, symbol and description", async () => {
    const want = await collect(syn);
    const p = file("v1.ticks");
    await writeV1(p, want.records, "SYN", syn.description);
    expect(await readTicksHeader(p)).toMatchObject({ version: 1, records: 1000, symbol: "SYN", description: syn.description });
    for (const batchSize of [1, 3, 999, 4096]) {
      const got = await collect(await openTicks(p), batchSize);
      expect(got.records).toEqual(want.records);
      expect(got.distinctBatches).toBe(1);
    }
    expect((await openSource(p)).description).toContain("SYNTHETIC");
  });

  it("rejects truncated files, bad magic and corrupt records", async () => {
    const p = file("ok-v1.ticks");
    const headerBytes = await writeV1(p, (await collect(syn)).records, "SYN", syn.description);
    const bytes = readFileSync(p);

    writeFileSync(file("short.ticks"), bytes.subarray(0, bytes.length - 10));
    const e1 = await failure(openTicks(file("short.ticks")));
    expect(e1).toBeInstanceOf(DataError);
    expect(e1.message).toMatch(/truncated or unfinished write/);

    const bad = Buffer.from(bytes);
    bad.write("NOTTICKS", 0, "latin1");
    writeFileSync(file("magic.ticks"), bad);
    expect((await failure(openTicks(file("magic.ticks")))).message).toMatch(/expected a \.ticks file starting with "SQTICKS1", got "NOTTICKS"/);

    const corrupt = Buffer.from(bytes);
    corrupt[headerBytes + 4 * RECORD_BYTES + 8] = 99; // kind byte of record 5
    writeFileSync(file("corrupt.ticks"), corrupt);
    const e3 = (await failure(collect(await openTicks(file("corrupt.ticks")), 3))) as DataError;
    expect(e3.message).toMatch(/corrupt\.ticks: record 5: kind: expected a market-data record \(kind 1 QUOTE, 2 TRADE, 6 BAR, 7 DEPTH\), got kind 99$/);

    const back = Buffer.from(bytes);
    back.writeBigInt64LE(0n, headerBytes + 9 * RECORD_BYTES); // ts of record 10
    writeFileSync(file("back.ticks"), back);
    const e4 = (await failure(collect(await openTicks(file("back.ticks"))))) as DataError;
    expect([e4.line, e4.unit]).toEqual([10, "record"]);
    expect(e4.message).toMatch(/record 10: timestamp: expected time in order.*from record 9/);
  });
});
