/**
 * Parquet cell values → the record's exact integers. hyparquet hands us each
 * column of a row group in its physical form (we strip the logical types
 * before reading, so nothing is turned into a float or a Date on the way):
 * INT32 as numbers, INT64 as bigints, BYTE_ARRAY as strings,
 * FIXED_LEN_BYTE_ARRAY as bytes, FLOAT/DOUBLE as numbers. This module turns
 * one such column into a BigInt64Array at a fixed scale, exactly:
 *
 * - DECIMAL(scale s): the unscaled integer, rescaled from 10^s;
 * - integers: whole units (× 10^scale), or already scaled when the column's
 *   name says so (`price_1e9`, `qty_1e8`);
 * - strings: parsed by the CSV readers' exact decimal parser (decimal.ts);
 * - DOUBLE/FLOAT: the shortest decimal text that reads back as the same
 *   binary value (what Python and JavaScript print), then the exact parser.
 *   A double has already lost digits beyond its ~16 significant ones; we never
 *   multiply a float, so 0.1 becomes exactly 100000000 at 1e9.
 * - NautilusTrader's fixed-point raws: little-endian two's complement in
 *   8 bytes (scale 1e9) or 16 bytes (scale 1e16, "high precision").
 */
import { divRound } from "../fixed.ts";
import { FixedFail, scanFixed, scanInteger, type FinerDigits } from "./decimal.ts";

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

/**
 * `value`, an integer at scale 10^from, at scale 10^to. Digits lost by a
 * smaller scale must be zeros unless `rounding` says how to round. Returns the
 * failure code on a lost digit or a result outside i64.
 */
export function rescale(value: bigint, from: number, to: number, rounding: FinerDigits): bigint | FixedFail {
  let v: bigint;
  if (from === to) v = value;
  else if (from < to) v = value * POW10[to - from];
  else {
    const p = POW10[from - to];
    if (rounding !== "reject") v = divRound(value, p, rounding);
    else if (value % p !== 0n) return FixedFail.Precision;
    else v = value / p;
  }
  return v > I64_MAX || v < I64_MIN ? FixedFail.Overflow : v;
}

/** A little-endian two's complement integer of 8 or 16 bytes (NautilusTrader's raw prices and sizes). */
export function leInteger(bytes: Uint8Array, signed: boolean): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length === 8) return signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true);
  const lo = view.getBigUint64(0, true);
  const hi = signed ? view.getBigInt64(8, true) : view.getBigUint64(8, true);
  return (hi << 64n) | lo;
}

/** A big-endian two's complement integer (Parquet's DECIMAL in FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY). */
export function beInteger(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

/**
 * The shortest decimal text that reads back as `x` (a float32 when `single`),
 * written out in plain digits (no exponent): 0.1 → "0.1", 1e-7 → "0.0000001".
 * Undefined for NaN and infinities.
 */
export function shortestDecimal(x: number, single = false): string | undefined {
  if (!Number.isFinite(x)) return undefined;
  let text = String(x);
  if (single) {
    for (let p = 1; p <= 9; p++) {
      const t = x.toPrecision(p);
      if (Math.fround(Number(t)) === x) {
        text = String(Number(t));
        break;
      }
    }
  }
  const e = text.indexOf("e");
  if (e < 0) return text;
  // d.ddde±n → plain digits
  const neg = text[0] === "-";
  const mantissa = text.slice(neg ? 1 : 0, e);
  const exp = Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + exp; // digits before the decimal point
  let plain: string;
  if (point <= 0) plain = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) plain = digits + "0".repeat(point - digits.length);
  else plain = digits.slice(0, point) + "." + digits.slice(point);
  return (neg ? "-" : "") + plain;
}

const encoder = new TextEncoder();

/** Exact decimal text at scale 10^decimals (decimals 0: an integer; "1.0" is refused). */
export function textValue(text: string, decimals: number, rounding: FinerDigits): bigint | FixedFail {
  const bytes = encoder.encode(text.trim());
  return decimals === 0 ? scanInteger(bytes, 0, bytes.length) : scanFixed(bytes, 0, bytes.length, decimals, rounding);
}

