import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openTicks, readTicksHeader, writeTicks } from "../../../harness/data/binary.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { openSource } from "../../../harness/data/source.ts";
import { SyntheticSource } from "../../../harness/data/synthetic.ts";
import { RECORD_BYTES } from "../../../harness/data/record.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();

describe(".ticks binary format", () => {
  const syn = new SyntheticSource({ seed: 7, count: 1000 });

  it("round-trips records, symbol and description exactly", async () => {
    const p = file("syn.ticks");
    const info = await writeTicks(p, syn, { symbol: "SYN", batchSize: 64 });
    expect(info.records).toBe(1000);
    const header = await readTicksHeader(p);
    expect(header).toMatchObject({ version: 1, records: 1000, symbol: "SYN", description: syn.description });
    expect(header.headerBytes % 8).toBe(0);
    expect(readFileSync(p).subarray(0, 8).toString("latin1")).toBe("SQTICKS1");

    const want = await collect(syn);
    for (const batchSize of [1, 3, 999, 4096]) {
      const got = await collect(await openTicks(p), batchSize);
      expect(got.records).toEqual(want.records);
      expect(got.distinctBatches).toBe(1);
    }
    const viaOpen = await openSource(p);
    expect(viaOpen.description).toContain("SYNTHETIC");
    expect((await collect(viaOpen)).records).toEqual(want.records);
  });

  it("writes byte-identical files for identical input", async () => {
    await writeTicks(file("a.ticks"), syn);
    await writeTicks(file("b.ticks"), syn);
    expect(readFileSync(file("a.ticks")).equals(readFileSync(file("b.ticks")))).toBe(true);
  });

  it("rejects truncated files, bad magic and corrupt records", async () => {
    const p = file("ok.ticks");
    await writeTicks(p, syn);
    const bytes = readFileSync(p);
    const header = await readTicksHeader(p);

    writeFileSync(file("short.ticks"), bytes.subarray(0, bytes.length - 10));
    const e1 = await failure(openTicks(file("short.ticks")));
    expect(e1).toBeInstanceOf(DataError);
    expect(e1.message).toMatch(/truncated or unfinished write/);

    const bad = Buffer.from(bytes);
    bad.write("NOTTICKS", 0, "latin1");
    writeFileSync(file("magic.ticks"), bad);
    expect((await failure(openTicks(file("magic.ticks")))).message).toMatch(/expected a \.ticks file starting with "SQTICKS1", got "NOTTICKS"/);

    const corrupt = Buffer.from(bytes);
    corrupt[header.headerBytes + 4 * RECORD_BYTES + 8] = 99; // kind byte of record 5
    writeFileSync(file("corrupt.ticks"), corrupt);
    const e3 = (await failure(collect(await openTicks(file("corrupt.ticks")), 3))) as DataError;
    expect(e3.message).toMatch(/corrupt\.ticks: record 5: kind: expected a market-data record \(kind 1 QUOTE, 2 TRADE, 6 BAR, 7 DEPTH\), got kind 99$/);

    const back = Buffer.from(bytes);
    back.writeBigInt64LE(0n, header.headerBytes + 9 * RECORD_BYTES); // ts of record 10
    writeFileSync(file("back.ticks"), back);
    const e4 = (await failure(collect(await openTicks(file("back.ticks"))))) as DataError;
    expect([e4.line, e4.unit]).toEqual([10, "record"]);
    expect(e4.message).toMatch(/record 10: timestamp: expected time in order.*from record 9/);
  });
});
