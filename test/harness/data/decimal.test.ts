import { describe, expect, it } from "vitest";
import { DataError } from "../../../harness/data/errors.ts";
import { formatFixed, parseFixed } from "../../../harness/data/decimal.ts";
import { Xoshiro128 } from "../../../harness/data/prng.ts";

const at = { file: "ticks.csv", line: 17, column: 3, field: "qty" };

function err(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error("expected a DataError");
}

describe("parseFixed", () => {
  it("converts decimal text exactly", () => {
    expect(parseFixed("1455.219971", 9, at)).toBe(1455219971000n);
    expect(parseFixed("0.1", 9, at)).toBe(100_000_000n);
    expect(parseFixed("0.3", 8, at)).toBe(30_000_000n);
    expect(parseFixed("931800000", 8, at)).toBe(93180000000000000n);
    expect(parseFixed("-2.5", 9, at)).toBe(-2_500_000_000n);
    expect(parseFixed("+3", 0, at)).toBe(3n);
    expect(parseFixed(".5", 2, at)).toBe(50n);
    expect(parseFixed("5.", 2, at)).toBe(500n);
    expect(parseFixed("000012.340", 3, at)).toBe(12340n);
    expect(parseFixed("-0", 9, at)).toBe(0n);
    // a value whose float rendering is inexact
    expect(parseFixed("9007199254.740993", 9, at)).toBe(9007199254740993000n);
    expect(parseFixed("0.000000001", 9, at)).toBe(1n);
  });

  it("accepts extra fraction digits only when they are zeros", () => {
    expect(parseFixed("0.0100000000000", 8, at)).toBe(1_000_000n);
    expect(err(() => parseFixed("0.123456789", 8, at)).message).toContain("at most 8 decimal places");
  });

  it("rounds only when told how", () => {
    expect(parseFixed("0.125", 2, at, { rounding: "half-even" })).toBe(12n);
    expect(parseFixed("0.135", 2, at, { rounding: "half-even" })).toBe(14n);
    expect(parseFixed("0.1251", 2, at, { rounding: "half-even" })).toBe(13n);
    expect(parseFixed("0.125", 2, at, { rounding: "half-up" })).toBe(13n);
    expect(parseFixed("-0.125", 2, at, { rounding: "half-up" })).toBe(-13n);
    expect(parseFixed("0.129", 2, at, { rounding: "truncate" })).toBe(12n);
    expect(parseFixed("2.5", 0, at, { rounding: "half-even" })).toBe(2n);
    expect(parseFixed("3.5", 0, at, { rounding: "half-even" })).toBe(4n);
  });

  it("handles the i64 bounds exactly", () => {
    expect(parseFixed("9223372036854775807", 0, at)).toBe(9223372036854775807n);
    expect(parseFixed("-9223372036854775808", 0, at)).toBe(-9223372036854775808n);
    expect(parseFixed("9223372036.854775807", 9, at)).toBe(9223372036854775807n);
    expect(err(() => parseFixed("9223372036854775808", 0, at)).message).toContain("fits a signed 64-bit integer");
    expect(err(() => parseFixed("9223372037", 9, at)).expected).toContain("64-bit");
    expect(err(() => parseFixed("1".repeat(40), 0, at)).expected).toContain("64-bit");
  });

  it("rejects bad input with file, line, column and expectation", () => {
    for (const bad of ["", "1e5", "--1", "1.2.3", "abc", " 1", "1,5", ".", "-", "1_000", "0x10", "١"]) {
      const e = err(() => parseFixed(bad, 8, at, { what: "a decimal quantity" }));
      expect(e.file).toBe("ticks.csv");
      expect(e.line).toBe(17);
      expect(e.column).toBe(3);
      expect(e.got).toBe(bad);
      expect(e.message).toMatch(/^ticks\.csv:17: column 3 \(qty\): expected a decimal quantity/);
    }
    expect(err(() => parseFixed("abc", 8, at, { what: "a decimal quantity" })).message).toBe(
      'ticks.csv:17: column 3 (qty): expected a decimal quantity (plain decimal such as 123.45; no exponent), got "abc"',
    );
  });
});

describe("formatFixed", () => {
  it("is the exact inverse, without trailing zeros", () => {
    expect(formatFixed(1455219971000n, 9)).toBe("1455.219971");
    expect(formatFixed(100_000_000_000n, 9)).toBe("100");
    expect(formatFixed(1n, 9)).toBe("0.000000001");
    expect(formatFixed(-2_500_000_000n, 9)).toBe("-2.5");
    expect(formatFixed(0n, 8)).toBe("0");
    for (const v of [9223372036854775807n, -9223372036854775808n, 123456789n]) {
      expect(parseFixed(formatFixed(v, 9), 9, at)).toBe(v);
    }
  });
});

describe("parseFixed against a reference", () => {
  // Reference: pure string manipulation, then one BigInt() of the digits.
  function reference(text: string, decimals: number): bigint | undefined {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!m || (m[2] + (m[3] ?? "")).length === 0) return undefined;
    const frac = m[3] ?? "";
    if (/[1-9]/.test(frac.slice(decimals))) return undefined;
    const v = BigInt(m[2] + frac.slice(0, decimals).padEnd(decimals, "0"));
    const r = m[1] === "-" ? -v : v;
    return r >= -(1n << 63n) && r < 1n << 63n ? r : undefined;
  }

  it("agrees on 20,000 seeded random decimals", () => {
    const rng = Xoshiro128.fromSeed(2024);
    const digits = (n: number) => Array.from({ length: n }, () => String(rng.below(10))).join("");
    for (let i = 0; i < 20_000; i++) {
      const decimals = [0, 8, 9][rng.below(3)];
      const sign = ["", "-", "+"][rng.below(3)];
      const int = digits(rng.below(21));
      const frac = rng.below(4) === 0 ? "" : "." + digits(rng.below(12));
      const text = sign + int + frac;
      const want = reference(text, decimals);
      let got: bigint | undefined;
      try {
        got = parseFixed(text, decimals, at);
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
      }
      if (got !== want) throw new Error(`${JSON.stringify(text)} @${decimals}: got ${got}, want ${want}`);
    }
  });
});
