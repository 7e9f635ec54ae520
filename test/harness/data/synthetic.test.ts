import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SyntheticSource, writeSyntheticCsv } from "../../../harness/data/synthetic.ts";
import { Xoshiro128, splitmix64 } from "../../../harness/data/prng.ts";
import { openSource } from "../../../harness/data/source.ts";
import { Kind, SideCode } from "../../../harness/abi.ts";
import { headerKind, headerSide } from "../../../harness/record-view.ts";
import { collect, tempDir } from "./helpers.ts";

const file = tempDir();

describe("PRNG", () => {
  it("matches the reference algorithms", () => {
    // splitmix64 from state 0 (reference C implementation)
    expect(splitmix64(0n)[1]).toBe(0xe220a8397b1dcdafn);
    // xoshiro128** 1.1 from state {1, 2, 3, 4}: 11520, 0, 5927040 (hand-checked against the C code)
    const r = new Xoshiro128(1, 2, 3, 4);
    expect([r.next(), r.next(), r.next()]).toEqual([11520, 0, 5927040]);
  });

  it("below(n) stays in range", () => {
    const r = Xoshiro128.fromSeed(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.below(3)]++;
    expect(counts.reduce((a, b) => a + b)).toBe(30_000); // nothing fell outside 0..2
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});

describe("synthetic ticks", () => {
  it("same seed ⇒ identical records, whatever the batch size; different seeds differ", async () => {
    const a = await collect(new SyntheticSource({ seed: 42, count: 5000 }), 4096);
    const b = await collect(new SyntheticSource({ seed: 42, count: 5000 }), 7);
    const c = await collect(new SyntheticSource({ seed: 43, count: 5000 }), 4096);
    expect(a.records).toHaveLength(5000);
    expect(b.records).toEqual(a.records);
    expect(c.records).not.toEqual(a.records);
    expect(b.distinctBatches).toBe(1);
  });

  it("quotes are never crossed, trades print at the touch of the preceding quote, time steps 1 ms", async () => {
    const tick = 10_000_000n;
    const { records } = await collect(new SyntheticSource({ seed: 9, count: 20_000 }));
    // Plain checks in the loop (20k records); the first violation is reported.
    const fail = (i: number, why: string) => {
      throw new Error(`record ${i}: ${why}: ${records[i].join(",")}`);
    };
    let quote: bigint[] | undefined;
    let trades = 0;
    let buys = 0;
    const spreads = new Set<bigint>();
    for (let i = 0; i < records.length; i++) {
      const [ts, h, a, b, c, d] = records[i];
      if (ts !== 1_704_205_800_000_000_000n + BigInt(i) * 1_000_000n) fail(i, "not 1 ms after the previous record");
      if (headerKind(h) === Kind.Quote) {
        if (!(a < c)) fail(i, "crossed or locked quote");
        if (!(a > 0n && a % tick === 0n && c % tick === 0n)) fail(i, "price off the tick grid");
        if (!(b > 0n && d > 0n)) fail(i, "empty side");
        spreads.add((c - a) / tick);
        quote = records[i];
      } else {
        if (headerKind(h) !== Kind.Trade) fail(i, "unexpected kind");
        if (!quote || records[i - 1] !== quote) fail(i, "trade not right after its quote");
        const side = headerSide(h);
        if (side === SideCode.Buy) {
          buys++;
          if (a !== quote![4] || b > quote![5]) fail(i, "buy not at the ask or larger than the ask size");
        } else if (side === SideCode.Sell) {
          if (a !== quote![2] || b > quote![3]) fail(i, "sell not at the bid or larger than the bid size");
        } else fail(i, "trade without aggressor side");
        if (b <= 0n) fail(i, "empty trade");
        trades++;
      }
    }
    expect([...spreads].sort()).toEqual([1n, 2n, 3n]);
    // tradeProbability 0.25 per quote ⇒ ~20% of records are trades, about half buys
    expect(trades / records.length).toBeGreaterThan(0.17);
    expect(trades / records.length).toBeLessThan(0.23);
    expect(buys / trades).toBeGreaterThan(0.45);
    expect(buys / trades).toBeLessThan(0.55);
  });

  it("honours its options and says it is synthetic", async () => {
    const src = new SyntheticSource({ seed: 1n, count: 10, startPx: 5_000_000_000n, tickSize: 5_000_000n, startTs: 1000n, stepNs: 10n });
    expect(src.description).toMatch(/^SYNTHETIC SYN ticks, not market data/);
    const { records } = await collect(src);
    expect(records.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => 1000n + BigInt(i) * 10n));
    for (const r of records) expect(r[2] % 5_000_000n).toBe(0n);
    expect(() => new SyntheticSource({ startPx: 5n, tickSize: 10n })).toThrow(/multiple of tickSize/);
  });

  it("writes a byte-identical CSV per seed that openSource reads back to the same records", async () => {
    const opts = { seed: 5, count: 3000 };
    await writeSyntheticCsv(file("s1.csv"), opts);
    await writeSyntheticCsv(file("s2.csv"), opts);
    await writeSyntheticCsv(file("s3.csv"), { ...opts, seed: 6 });
    const s1 = readFileSync(file("s1.csv"));
    expect(s1.equals(readFileSync(file("s2.csv")))).toBe(true);
    expect(s1.equals(readFileSync(file("s3.csv")))).toBe(false);
    const text = s1.toString("utf8");
    expect(text.split("\n")[0]).toMatch(/^# SYNTHETIC SYN ticks, not market data/);
    expect(text.split("\n")[1]).toBe("ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side");

    const back = await openSource(file("s1.csv"));
    expect(back.description).toContain("quotes+trades CSV");
    expect(back.description).toContain("SYNTHETIC");
    expect((await collect(back, 100)).records).toEqual((await collect(new SyntheticSource(opts))).records);
  });
});
