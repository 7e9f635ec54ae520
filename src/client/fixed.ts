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

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;

interface Decimal {
  negative: boolean;
  /** All digits, integer part then fraction part. */
  digits: string;
  /** Position of the decimal point counted from the right of `digits`. */
  exponent: number;
}

function readDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return undefined;
  const [sign, int, frac, exp] =
    m[2] !== undefined ? [m[1] ?? "", m[2], m[3] ?? "", m[4]] : [m[5] ?? "", "0", m[6] ?? "", m[7]];
  const e = exp === undefined ? 0 : Number(exp);
  if (!Number.isSafeInteger(e)) return undefined;
  return { negative: sign === "-", digits: int + frac, exponent: e - frac.length };
}

/** Scale a decimal to raw units; `round` false means reject any loss. */
function toRaw(d: Decimal, decimals: number, round: boolean): bigint | undefined {
  const shift = d.exponent + decimals;
  let magnitude: bigint;
  if (shift >= 0) {
    if (shift > 400) return undefined; // absurd magnitude; refuse rather than allocate
    magnitude = BigInt(d.digits) * 10n ** BigInt(shift);
  } else {
    const cut = -shift;
    const keep = d.digits.length > cut ? d.digits.slice(0, d.digits.length - cut) : "0";
    const dropped = d.digits.length > cut ? d.digits.slice(d.digits.length - cut) : d.digits.padStart(cut, "0");
    magnitude = BigInt(keep);
    if (/[1-9]/.test(dropped)) {
      if (!round) return undefined;
      if (dropped.charCodeAt(0) >= 0x35 /* '5' */) magnitude += 1n;
    }
  }
  return d.negative ? -magnitude : magnitude;
}

function formatRaw(raw: bigint, decimals: number, scale: bigint): string {
  const negative = raw < 0n;
  const abs = negative ? -raw : raw;
  const int = (abs / scale).toString();
  const frac = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${int}${frac === "" ? "" : `.${frac}`}`;
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
      const raw = toRaw(readDecimal(String(value)) as Decimal, decimals, true);
      if (raw === undefined) throw validationError(`${name}.fromHuman`, `${value} is out of range`);
      return raw;
    },
    human(raw: bigint): number {
      return Number(formatRaw(raw, decimals, scale));
    },
    parse(text: string): bigint {
      const d = typeof text === "string" ? readDecimal(text) : undefined;
      if (d === undefined) {
        throw validationError(`${name}.parse`, `${JSON.stringify(text)} is not a decimal number`);
      }
      const raw = toRaw(d, decimals, false);
      if (raw === undefined) {
        throw validationError(
          `${name}.parse`,
          `${JSON.stringify(text)} has more than ${decimals} decimal places (or is out of range); it cannot be represented exactly`,
        );
      }
      return raw;
    },
    format(raw: bigint): string {
      return formatRaw(raw, decimals, scale);
    },
  });
}

/** Quantities: 1e8 units per 1 (`qty_1e8`, `position_1e8`). */
export const Qty: FixedPoint = fixedPoint("Qty", 8);
/** Prices and USD amounts: 1e9 units per 1 (`price_1e9`, `realized_pnl_1e9`). */
export const Px: FixedPoint = fixedPoint("Px", 9);
