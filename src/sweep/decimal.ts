/** Exact decimal text: what metrics are written as and compared by (no float rounding in a ranking). */
import { asciiBytes, scanUnits } from "../../harness/data/decimal.ts";

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** A report value → decimal text: integers and bigints exactly, a float through its shortest round-trip digits. */
export function toDecimalText(value: number | bigint | string): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") {
    if (!isDecimal(value)) throw new RangeError(`not a decimal number: ${value}`);
    return value;
  }
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text === "-0" ? "0" : text;
  // 1e-7 → 0.0000001, 1.5e+21 → 1500000000000000000000
  const [mantissa, exp] = text.toLowerCase().split("e");
  const negative = mantissa.startsWith("-");
  const [whole, frac = ""] = (negative ? mantissa.slice(1) : mantissa).split(".");
  const digits = whole + frac;
  const point = whole.length + Number(exp);
  const body =
    point <= 0 ? "0." + "0".repeat(-point) + digits : point >= digits.length ? digits + "0".repeat(point - digits.length) : digits.slice(0, point) + "." + digits.slice(point);
  return (negative ? "-" : "") + body;
}

/** a < b → -1, a = b → 0, a > b → 1, exactly. */
export function compareDecimal(a: string, b: string): number {
  const [ua, ub] = commonUnits(a, b);
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function commonUnits(a: string, b: string): [bigint, bigint] {
  const scale = Math.max(decimals(a), decimals(b));
  return [units(a, scale), units(b, scale)];
}

function decimals(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Decimal text → an integer count of 10^-scale (the text has at most `scale` decimals), by the host's one decimal scanner. */
export function units(text: string, scale: number): bigint {
  const u = scanUnits(asciiBytes(text), 0, text.length, scale);
  if (typeof u !== "bigint") throw new RangeError(`not a decimal number with at most ${scale} decimals: ${text}`);
  return u;
}
