/**
 * Fixed-point helpers for the wire's scaled integers.
 *
 * | helper | scale | example |
 * |--------|-------|---------|
 * | `Qty`  | 1e8   | 1.5 BTC → `150_000_000n` |
 * | `Px`   | 1e9   | $74 000 → `74_000_000_000_000n` |
 *
 * Raw values are `bigint`. `parse`/`format` convert exactly between decimal
 * strings and raw values and never go through a float. `fromHuman` takes a JS
 * number through its shortest decimal form (so `0.1` is `10_000_000n`, not
 * `9_999_999n`) and rounds half away from zero beyond the scale; `human`
 * returns the double nearest to the exact value.
 */
import { asciiBytes, formatFixed, scanInteger, scanUnits } from "../../harness/data/decimal.ts";
import { divRound } from "../../harness/fixed.ts";
import { validationError } from "./errors.ts";

/** Conversions for one fixed-point scale (10^decimals). */
export interface FixedPoint {
  /** Number of decimal places (8 for Qty, 9 for Px). */
  readonly decimals: number;
  /** 10^decimals as a bigint. */
  readonly scale: bigint;
  /** Human number → raw units, rounding half away from zero. Throws `validation` on NaN/Infinity. */
  fromHuman(value: number): bigint;
  /** Raw units → the nearest double. */
  human(raw: bigint): number;
  /**
   * Exact decimal string → raw units (`"74000.123456789"` → `74000123456789000n` for Px).
   * Accepts an optional sign and exponent; throws `validation` when the text is not a
   * decimal number or has more significant decimals than the scale holds.
   */
  parse(text: string): bigint;
  /** Raw units → exact decimal string, without trailing zeros (`150000000n` → `"1.5"` for Qty). */
  format(raw: bigint): string;
}

/** Places a value may move by its exponent; beyond that it is refused rather than allocated. */
const MAX_SHIFT = 400;

/**
 * Decimal text with an optional exponent ("1.5e3") → raw units at 10^decimals,
 * through the host's one decimal scanner (harness/data/decimal.ts): the
 * mantissa is read exactly, then moved by the exponent. `round` false refuses
 * any lost digit ("inexact"); true rounds half away from zero.
 */
function toRaw(text: string, decimals: number, round: boolean): bigint | "syntax" | "inexact" {
  const t = text.trim();
  const bytes = asciiBytes(t);
  let end = t.length;
  let exponent = 0;
  const e = t.search(/[eE]/);
  if (e >= 0) {
    const negative = bytes[e + 1] === 0x2d; /* - */
    const digits = negative || bytes[e + 1] === 0x2b /* + */ ? e + 2 : e + 1;
    const x = bytes[digits] === 0x2d ? undefined : scanInteger(bytes, digits, t.length);
    if (typeof x !== "bigint") return "syntax";
    exponent = Number(negative ? -x : x);
    end = e;
  }
  const dot = t.lastIndexOf(".", end - 1);
  const fraction = dot < 0 ? 0 : end - dot - 1;
  const exact = scanUnits(bytes, 0, end, fraction); // the mantissa's digits as one integer
  if (typeof exact !== "bigint") return "syntax";
  const shift = exponent + decimals - fraction;
  if (shift > MAX_SHIFT) return "inexact";
  if (exact === 0n) return 0n;
  if (shift < -MAX_SHIFT) return "inexact";
  if (shift >= 0) return exact * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  if (round) return divRound(exact, divisor, "half-up");
  return exact % divisor === 0n ? exact / divisor : "inexact";
}

/** Build the helpers for a scale of 10^decimals. */
export function fixedPoint(name: string, decimals: number): FixedPoint {
  const scale = 10n ** BigInt(decimals);
  return Object.freeze({
    decimals,
    scale,
    fromHuman(value: number): bigint {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw validationError(`${name}.fromHuman`, `expected a finite number, got ${String(value)}`);
      }
      const raw = toRaw(String(value), decimals, true);
      if (typeof raw !== "bigint") throw validationError(`${name}.fromHuman`, `${value} is out of range`);
      return raw;
    },
    human(raw: bigint): number {
      return Number(formatFixed(raw, decimals));
    },
    parse(text: string): bigint {
      const raw = typeof text === "string" ? toRaw(text, decimals, false) : "syntax";
      if (raw === "syntax") {
        throw validationError(`${name}.parse`, `${JSON.stringify(text)} is not a decimal number`);
      }
      if (raw === "inexact") {
        throw validationError(
          `${name}.parse`,
          `${JSON.stringify(text)} has more than ${decimals} decimal places (or is out of range); it cannot be represented exactly`,
        );
      }
      return raw;
    },
    format(raw: bigint): string {
      return formatFixed(raw, decimals);
    },
  });
}

/** Quantities: 1e8 units per 1 (`qty_1e8`, `position_1e8`). */
export const Qty: FixedPoint = fixedPoint("Qty", 8);
/** Prices and USD amounts: 1e9 units per 1 (`price_1e9`, `realized_pnl_1e9`). */
export const Px: FixedPoint = fixedPoint("Px", 9);
