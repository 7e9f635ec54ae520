/**
 * Exact fixed-point arithmetic for the engine, in BigInt: decimal text in and
 * out without floats, division with an explicit rounding mode.
 * Scales: prices and USD 1e9, quantities 1e8.
 */
export const PX_DECIMALS = 9;
export const QTY_DECIMALS = 8;
export const PX_SCALE = 10n ** 9n;
export const QTY_SCALE = 10n ** 8n;

export type Rounding = "down" | "up" | "floor" | "ceil" | "half-up" | "half-even";

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$|^([+-])?\.(\d+)$/;

/** "1455.219971" at 9 decimals → 1455219971000n. Refuses more decimals than the scale holds. */
export function parseFixed(text: string, decimals: number): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`expected a decimal number, got "${text}"`);
  const sign = m[1] ?? m[4];
  const whole = m[2] ?? "0";
  const frac = (m[3] ?? m[5] ?? "").replace(/0+$/, "");
  if (frac.length > decimals)
    throw new RangeError(`"${text}" has more than ${decimals} decimal places`);
  const value = BigInt(whole + frac.padEnd(decimals, "0")) * (sign === "-" ? -1n : 1n);
  if (value > I64_MAX || value < I64_MIN) throw new RangeError(`"${text}" does not fit in a 64-bit fixed-point value`);
  return value;
}

/** 1455219971000n at 9 decimals → "1455.219971" (no trailing zeros, at least one digit). */
export function formatFixed(value: bigint, decimals: number, minDecimals = 0): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  let frac = decimals > 0 ? digits.slice(digits.length - decimals).replace(/0+$/, "") : "";
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, "0");
  return (negative ? "-" : "") + whole + (frac ? "." + frac : "");
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
