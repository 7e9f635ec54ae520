// isoNs: the host's one ns → ISO 8601 formatter, with all nine digits ("ns")
// or to the millisecond ("ms", what terminal summaries and report.html print).
import { describe, expect, it } from "vitest";
import { isoNs } from "../../../harness/data/time.ts";
import { Xoshiro128 } from "../../../harness/data/prng.ts";

describe("isoNs", () => {
  it("writes nine digits, or milliseconds left out when zero", () => {
    // 1704205801 s = 2024-01-02 (1704153600) + 14 h 30 min 1 s
    expect(isoNs(1_704_205_801_000_000_123n)).toBe("2024-01-02T14:30:01.000000123Z");
    expect(isoNs(1_704_205_801_000_000_123n, "ms")).toBe("2024-01-02T14:30:01Z");
    expect(isoNs(1_704_205_801_123_999_999n, "ms")).toBe("2024-01-02T14:30:01.123Z");
    expect(isoNs(1_704_205_801_050_000_000n, "ms")).toBe("2024-01-02T14:30:01.050Z");
    expect(isoNs(0n)).toBe("1970-01-01T00:00:00.000000000Z");
    expect(isoNs(0n, "ms")).toBe("1970-01-01T00:00:00Z");
  });

  it("counts back before 1970 and names the integer beyond what a Date holds", () => {
    expect(isoNs(-1n)).toBe("1969-12-31T23:59:59.999999999Z");
    expect(isoNs(-1n, "ms")).toBe("1969-12-31T23:59:59.999Z");
    expect(isoNs(-86_400_000_000_000n, "ms")).toBe("1969-12-31T00:00:00Z");
    expect(isoNs(8_640_000_000_000n * 1_000_000_000n)).toBe("+275760-09-13T00:00:00.000000000Z");
    expect(isoNs(8_640_000_000_001n * 1_000_000_000n)).toBe("8640000000001000000000 ns");
    expect(isoNs(-8_640_000_000_001n * 1_000_000_000n, "ms")).toBe("-8640000000001000000000 ns");
  });

  it("prints what the two formatters it replaces printed, for times since 1970", () => {
    const oldNine = (ts: bigint) =>
      new Date(Number(ts / 1_000_000_000n) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${(ts % 1_000_000_000n).toString().padStart(9, "0")}Z`);
    const oldMs = (ts: bigint) => new Date(Number(ts / 1_000_000n)).toISOString().replace(".000Z", "Z");
    const rng = Xoshiro128.fromSeed(12);
    for (let i = 0; i < 5_000; i++) {
      // up to ~2^62 ns (year 2116), whole seconds one time in four
      const ts = (BigInt(rng.below(2 ** 31)) << 31n) | BigInt(rng.below(2 ** 31));
      const t = rng.below(4) === 0 ? ts - (ts % 1_000_000_000n) : ts;
      expect(isoNs(t), String(t)).toBe(oldNine(t));
      expect(isoNs(t, "ms"), String(t)).toBe(oldMs(t));
    }
  });
});
