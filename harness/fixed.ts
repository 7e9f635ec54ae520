/**
 * Exact fixed-point arithmetic for the engine, in BigInt: decimal text in and
 * out without floats, division with an explicit rounding mode.
 * Scales: prices and USD 1e9, quantities 1e8.
 */
import { FixedFail, formatFixed as formatDecimal, scanFixed } from "./data/decimal.ts";

export const PX_DECIMALS = 9;
export const QTY_DECIMALS = 8;
export const PX_SCALE = 10n ** 9n;
export const QTY_SCALE = 10n ** 8n;

export type Rounding = "down" | "up" | "floor" | "ceil" | "half-up" | "half-even";

/** Decimal text → fixed point, for values that come from no file (CLI flags, params). */
export function parseFixed(text: string, decimals: number): bigint {
  const trimmed = text.trim();
  const r = scanFixed(Buffer.from(trimmed, "latin1"), 0, trimmed.length, decimals, "reject");
  if (typeof r === "bigint") return r;
  const what = decimals === 0 ? "a whole number" : `a decimal number with at most ${decimals} decimal places`;
  throw new RangeError(`expected ${what}${r === FixedFail.Overflow ? " that fits in 64 bits" : ""}, got "${text}"`);
}

/** Fixed point → decimal text without trailing zeros, padded to at least `minDecimals`. */
export function formatFixed(value: bigint, decimals: number, minDecimals = 0): string {
  const text = formatDecimal(value, decimals);
  const dot = text.indexOf(".");
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (have >= minDecimals) return text;
  return (dot < 0 ? text + "." : text) + "0".repeat(minDecimals - have);
}

/** a / b with an explicit rounding mode. */
export function divRound(a: bigint, b: bigint, mode: Rounding): bigint {
  if (b === 0n) throw new RangeError("division by zero");
  const q = a / b; // truncates toward zero
  const r = a % b;
  if (r === 0n) return q;
  const negative = a < 0n !== b < 0n;
  const away = negative ? q - 1n : q + 1n;
  switch (mode) {
    case "down":
      return q;
    case "up":
      return away;
    case "floor":
      return negative ? away : q;
    case "ceil":
      return negative ? q : away;
    case "half-up":
    case "half-even": {
      const twice = 2n * (r < 0n ? -r : r);
      const absB = b < 0n ? -b : b;
      if (twice > absB) return away;
      if (twice < absB) return q;
      if (mode === "half-up") return away;
      return q % 2n === 0n ? q : away;
    }
  }
}

/** a * b / d exactly, rounded as asked. */
export function mulDiv(a: bigint, b: bigint, d: bigint, mode: Rounding): bigint {
  return divRound(a * b, d, mode);
}
