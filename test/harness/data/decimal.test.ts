import { describe, expect, it } from "vitest";
import { DataError } from "../../../harness/data/errors.ts";
import { FixedFail, asciiBytes, formatFixed, parseFixed, parseFixedAt, scanFixed, scanUnits } from "../../../harness/data/decimal.ts";
import { divRound, type Rounding } from "../../../harness/fixed.ts";
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

describe("parseFixedAt", () => {
  it("converts decimal text exactly", () => {
    expect(parseFixedAt("1455.219971", 9, at)).toBe(1455219971000n);
    expect(parseFixedAt("0.1", 9, at)).toBe(100_000_000n);
    expect(parseFixedAt("0.3", 8, at)).toBe(30_000_000n);
    expect(parseFixedAt("931800000", 8, at)).toBe(93180000000000000n);
    expect(parseFixedAt("-2.5", 9, at)).toBe(-2_500_000_000n);
    expect(parseFixedAt("+3", 0, at)).toBe(3n);
    expect(parseFixedAt(".5", 2, at)).toBe(50n);
    expect(parseFixedAt("5.", 2, at)).toBe(500n);
    expect(parseFixedAt("000012.340", 3, at)).toBe(12340n);
    expect(parseFixedAt("-0", 9, at)).toBe(0n);
    // a value whose float rendering is inexact
    expect(parseFixedAt("9007199254.740993", 9, at)).toBe(9007199254740993000n);
    expect(parseFixedAt("0.000000001", 9, at)).toBe(1n);
  });

  it("accepts extra fraction digits only when they are zeros", () => {
    expect(parseFixedAt("0.0100000000000", 8, at)).toBe(1_000_000n);
    expect(err(() => parseFixedAt("0.123456789", 8, at)).message).toContain("at most 8 decimal places");
  });

  it("rounds only when told how", () => {
    expect(parseFixedAt("0.125", 2, at, { rounding: "half-even" })).toBe(12n);
    expect(parseFixedAt("0.135", 2, at, { rounding: "half-even" })).toBe(14n);
    expect(parseFixedAt("0.1251", 2, at, { rounding: "half-even" })).toBe(13n);
    expect(parseFixedAt("0.125", 2, at, { rounding: "half-up" })).toBe(13n);
    expect(parseFixedAt("-0.125", 2, at, { rounding: "half-up" })).toBe(-13n);
    expect(parseFixedAt("0.129", 2, at, { rounding: "down" })).toBe(12n);
    expect(parseFixedAt("2.5", 0, at, { rounding: "half-even" })).toBe(2n);
    expect(parseFixedAt("3.5", 0, at, { rounding: "half-even" })).toBe(4n);
  });

  it("handles the i64 bounds exactly", () => {
    expect(parseFixedAt("9223372036854775807", 0, at)).toBe(9223372036854775807n);
    expect(parseFixedAt("-9223372036854775808", 0, at)).toBe(-9223372036854775808n);
    expect(parseFixedAt("9223372036.854775807", 9, at)).toBe(9223372036854775807n);
    expect(err(() => parseFixedAt("9223372036854775808", 0, at)).message).toContain("fits a signed 64-bit integer");
    expect(err(() => parseFixedAt("9223372037", 9, at)).expected).toContain("64-bit");
    expect(err(() => parseFixedAt("1".repeat(40), 0, at)).expected).toContain("64-bit");
  });

  it("rejects bad input with file, line, column and expectation", () => {
    for (const bad of ["", "1e5", "--1", "1.2.3", "abc", " 1", "1,5", ".", "-", "1_000", "0x10", "١"]) {
      const e = err(() => parseFixedAt(bad, 8, at, { what: "a decimal quantity" }));
      expect(e.file).toBe("ticks.csv");
      expect(e.line).toBe(17);
      expect(e.column).toBe(3);
      expect(e.got).toBe(bad);
      expect(e.message).toMatch(/^ticks\.csv:17: column 3 \(qty\): expected a decimal quantity/);
    }
    expect(err(() => parseFixedAt("abc", 8, at, { what: "a decimal quantity" })).message).toBe(
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
      expect(parseFixedAt(formatFixed(v, 9), 9, at)).toBe(v);
    }
  });
});

describe("parseFixedAt against a reference", () => {
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
        got = parseFixedAt(text, decimals, at);
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
      }
      if (got !== want) throw new Error(`${JSON.stringify(text)} @${decimals}: got ${got}, want ${want}`);
    }
  });
});

describe("one Rounding for parsing and division", () => {
  // Hand-worked: [text, decimals, down, up, floor, ceil, half-up, half-even].
  const table: Array<[string, number, ...bigint[]]> = [
    ["0.125", 2, 12n, 13n, 12n, 13n, 13n, 12n],
    ["-0.125", 2, -12n, -13n, -13n, -12n, -13n, -12n],
    ["0.135", 2, 13n, 14n, 13n, 14n, 14n, 14n],
    ["0.1251", 2, 12n, 13n, 12n, 13n, 13n, 13n],
    ["-0.129", 2, -12n, -13n, -13n, -12n, -13n, -13n],
    ["2.5", 0, 2n, 3n, 2n, 3n, 3n, 2n],
    ["-3.5", 0, -3n, -4n, -4n, -3n, -4n, -4n],
    ["0.001", 1, 0n, 1n, 0n, 1n, 0n, 0n],
    ["-0.001", 1, 0n, -1n, -1n, 0n, 0n, 0n],
  ];
  const modes: Rounding[] = ["down", "up", "floor", "ceil", "half-up", "half-even"];

  it("parseFixedAt rounds excess digits as each mode says", () => {
    for (const [text, decimals, ...want] of table) {
      modes.forEach((mode, i) => expect(parseFixedAt(text, decimals, at, { rounding: mode }), `${text} @${decimals} ${mode}`).toBe(want[i]));
    }
  });

  it("divRound gives the same answers from the exact value", () => {
    for (const [text, decimals, ...want] of table) {
      const exact = parseFixedAt(text, 4, at); // every text above is exact at 4 decimals
      modes.forEach((mode, i) => expect(divRound(exact, 10n ** BigInt(4 - decimals), mode), `${text} @${decimals} ${mode}`).toBe(want[i]));
    }
  });
});

describe("parseFixed (a value a person typed)", () => {
  it("ignores surrounding spaces and says what was expected, for the caller to prefix", () => {
    expect(parseFixed(" 2.5 ", 9)).toBe(2_500_000_000n);
    expect(parseFixed("-7", 0)).toBe(-7n);
    expect(() => parseFixed("0.123", 2)).toThrow(new RangeError('expected a decimal number with at most 2 decimal places, got "0.123"'));
    expect(() => parseFixed("1.5", 0)).toThrow(new RangeError('expected a whole number, got "1.5"'));
    expect(() => parseFixed("9223372037", 9)).toThrow(new RangeError('expected a decimal number with at most 9 decimal places that fits in 64 bits, got "9223372037"'));
    // U+0131 is 0x31 ("1") in its low byte: no digit but an ASCII one is read
    expect(() => parseFixed("\u0131", 0)).toThrow(/expected a whole number, got/);
  });
});

describe("scanUnits", () => {
  it("is scanFixed without the 64-bit limit", () => {
    const text = "12345678901234567890.56";
    const bytes = asciiBytes(text);
    expect(scanFixed(bytes, 0, text.length, 2)).toBe(FixedFail.Overflow);
    expect(scanUnits(bytes, 0, text.length, 2)).toBe(1234567890123456789056n);
    expect(scanUnits(bytes, 0, text.length, 1)).toBe(FixedFail.Precision);
    expect(scanUnits(bytes, 0, text.length, 1, "half-even")).toBe(123456789012345678906n);
    expect(scanUnits(bytes, 0, text.length, 25)).toBe(12345678901234567890_5600000000000000000000000n);
    expect(scanUnits(asciiBytes("-0.00000000000000000000001"), 0, 26, 23)).toBe(-1n);
  });
});

describe("formatFixed with minDecimals", () => {
  it("keeps at least that many decimals, padding past the scale", () => {
    expect(formatFixed(-1_500_000_000n, 9, 2)).toBe("-1.50");
    expect(formatFixed(1_234_500n, 6, 2)).toBe("1.2345");
    expect(formatFixed(7n, 2, 1)).toBe("0.07");
    expect(formatFixed(5n, 0, 2)).toBe("5.00");
    expect(formatFixed(-5n, 0, 1)).toBe("-5.0");
    expect(formatFixed(120n, 2, 0)).toBe("1.2");
  });
});
