// --from/--to: any source limited to a time range, exactly, reading no further than it must.
import { describe, expect, it } from "vitest";
import { RecordBatch, header, Kind, type TickSource } from "sequence-algo";
import { parseTimeBound, withinTimeRange } from "../../../harness/data/time-range.ts";

const DAY = 86_400_000_000_000n;
// 2020-03-01 is day 18322 since 1970-01-01 (50 years incl. 12 leap days = 18262 days, + Jan 31 + Feb 29 = 60)
const MAR_1 = 18_322n * DAY;

describe("parseTimeBound", () => {
  it("reads a UTC day as its start, and as an end the whole day", () => {
    expect(parseTimeBound("2020-03-01", false)).toBe(MAR_1);
    expect(parseTimeBound("2020-03-01", true)).toBe(MAR_1 + DAY);
    expect(parseTimeBound("1970-01-01", false)).toBe(0n);
  });

  it("reads an instant to the ns; as an end the instant itself is kept", () => {
    // 14:30:00.000000001 = 52,200 s + 1 ns into the day
    expect(parseTimeBound("2020-03-01T14:30:00.000000001Z", false)).toBe(MAR_1 + 52_200_000_000_001n);
    expect(parseTimeBound("2020-03-01T14:30Z", true)).toBe(MAR_1 + 52_200_000_000_000n + 1n);
    expect(parseTimeBound("1500", true)).toBe(1501n);
  });

  it("refuses what is not a date, an instant or ns", () => {
    expect(() => parseTimeBound("2021-02-29", false)).toThrow('"2021-02-29" is not a calendar date');
    expect(() => parseTimeBound("2020-13-01", false)).toThrow("is not a calendar date");
    expect(() => parseTimeBound("2020-03-01T24:00Z", false)).toThrow("is not a time of day");
    expect(() => parseTimeBound("yesterday", false)).toThrow(/expected a UTC date \(2020-03-01\), an instant/);
  });
});

/** Trades at ts 1..n, in batches of 4; counts the batches read and whether its loop was closed. */
function trades(n: number) {
  const seen = { batches: 0, closed: false };
  const source: TickSource = {
    description: "trades",
    async *batches() {
      try {
        for (let start = 1; start <= n; start += 4) {
          const b = new RecordBatch(4);
          for (let t = start; t < start + 4 && t <= n; t++) b.push(BigInt(t), header(Kind.Trade), 100n, 1n);
          seen.batches++;
          yield b;
        }
      } finally {
        seen.closed = true;
      }
    },
  };
  return { source, seen };
}

async function timestamps(source: TickSource): Promise<bigint[]> {
  const out: bigint[] = [];
  for await (const b of source.batches()) for (let i = 0; i < b.length; i++) out.push(b.ts(i));
  return out;
}

describe("withinTimeRange", () => {
  it("keeps [from, until) and stops reading at the first record past the end", async () => {
    const { source, seen } = trades(20);
    const ranged = withinTimeRange(source, { fromNs: 3n, untilNs: 7n });
    expect(await timestamps(ranged)).toEqual([3n, 4n, 5n, 6n]);
    expect(seen).toEqual({ batches: 2, closed: true }); // 1-4, 5-8: 7 ends it; 9.. never read
    expect(ranged.description).toBe("trades; only from 1970-01-01T00:00:00.000000003Z, before 1970-01-01T00:00:00.000000007Z");
  });

  it("is the source itself when no bound is given", () => {
    const { source } = trades(3);
    expect(withinTimeRange(source, {})).toBe(source);
  });
});
