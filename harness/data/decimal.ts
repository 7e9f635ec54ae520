/**
 * Exact decimal text ↔ fixed-point integer: the host's one implementation
 * (file readers, CLI flags and params, fee rates, the API client). The
 * module has its own, runtime/fixed.ts.
 *
 * Prices are stored as integers scaled 1e9 and quantities scaled 1e8, so
 * "1455.219971" must become exactly 1455219971000n. Going through a JS float
 * (`parseFloat(x) * 1e9`) silently corrupts values like 0.1 or 1455.219971, so
 * this module works on the digits themselves:
 *
 * - Accepted syntax: optional sign, digits, optional "." and digits
 *   (`12`, `-0.5`, `.5`, `5.`, `+3.25`). No exponent, no thousands
 *   separators, no surrounding spaces (readers trim before calling).
 * - More fraction digits than the scale allows are accepted only when the
 *   extra digits are zeros (`1.2300000000` at scale 1e8 is exact). Otherwise
 *   the value is rejected unless the caller names a {@link Rounding} mode:
 *   rounding is a decision about the data, never a silent default.
 * - The result must fit a signed 64-bit integer (the record word);
 *   {@link scanUnits} lifts that limit for values that are no record word.
 *
 * Speed: digits are accumulated in JS numbers only while the value stays
 * below 10^15 < 2^53 (every step is exact integer arithmetic); longer values
 * are split into two such parts and combined as BigInt. No fractional float
 * value is ever formed.
 */
import { divRound, roundsAway, type Rounding } from "../fixed.ts";
import { DataError, type Where } from "./errors.ts";

export type { Rounding };

/** What a parser does with nonzero digits finer than its scale: refuse them (the default) or round. */
export type FinerDigits = "reject" | Rounding;

/** Why {@link scanFixed} refused its input. */
export const FixedFail = {
  Empty: 1,
  Syntax: 2,
  Precision: 3,
  Overflow: 4,
} as const;
export type FixedFail = (typeof FixedFail)[keyof typeof FixedFail];

export interface ParseFixedOptions {
  /** Default "reject". */
  readonly rounding?: FinerDigits;
  /** The noun phrase for messages, e.g. "a decimal price". */
  readonly what?: string;
}

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN_ABS = 1n << 63n;
/** Most digits accumulated in one JS number (10^15 < 2^53, so exact). */
const RUN = 15;
const POW10 = Array.from({ length: RUN + 1 }, (_, i) => 10 ** i);

const ZERO = 48;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

/**
 * The byte-level core used by the readers: parses `bytes[start, end)` as a
 * decimal scaled by 10^decimals (decimals in 0..18). Returns the value, or a
 * {@link FixedFail} code (a number) so hot loops build the error message only
 * when needed.
 */
export function scanFixed(
  bytes: Uint8Array,
  start: number,
  end: number,
  decimals: number,
  rounding: FinerDigits = "reject",
): bigint | FixedFail {
  if (start >= end) return FixedFail.Empty;
  let i = start;
  let neg = false;
  const c0 = bytes[i];
  if (c0 === MINUS) {
    neg = true;
    i++;
  } else if (c0 === PLUS) {
    i++;
  }
  const intStart = i;
  while (i < end && bytes[i] - ZERO >>> 0 < 10) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < end && bytes[i] === DOT) {
    fracStart = ++i;
    while (i < end && bytes[i] - ZERO >>> 0 < 10) i++;
    fracEnd = i;
  }
  if (i !== end || intEnd - intStart + (fracEnd - fracStart) === 0) return FixedFail.Syntax;

  // Split the fraction into kept digits and the excess beyond the scale.
  let keptEnd = fracEnd;
  let roundUp = false;
  if (fracEnd - fracStart > decimals) {
    keptEnd = fracStart + decimals;
    let excessNonZero = false;
    for (let j = keptEnd; j < fracEnd; j++) {
      if (bytes[j] !== ZERO) {
        excessNonZero = true;
        break;
      }
    }
    if (excessNonZero) {
      if (rounding === "reject") return FixedFail.Precision;
      roundUp = excessRoundsUp(bytes, intStart, intEnd, fracStart, keptEnd, fracEnd, neg, rounding);
    }
  }

  // Skip leading zeros so the digit count reflects magnitude.
  let s = intStart;
  while (s < intEnd && bytes[s] === ZERO) s++;
  const kept = keptEnd - fracStart;
  const padding = decimals - kept;
  const total = intEnd - s + kept + padding; // digits of the scaled integer
  let v: bigint;
  if (total <= RUN) {
    // Fast path: the whole value is below 10^15 < 2^53, exact in a number.
    let n = 0;
    for (let j = s; j < intEnd; j++) n = n * 10 + (bytes[j] - ZERO);
    for (let j = fracStart; j < keptEnd; j++) n = n * 10 + (bytes[j] - ZERO);
    v = BigInt(n * POW10[padding]);
  } else {
    // 16..19 digits: split into hi (all but the last 9 digits, < 10^10) and
    // lo (last 9 digits), each exact in a number. With an integer part, 20+
    // digits means >= 10^19, beyond i64; without one, total = decimals <= 18.
    if (total > 19) return FixedFail.Overflow;
    const split = total - 9;
    let hi = 0;
    let lo = 0;
    let k = 0;
    for (let j = s; j < intEnd; j++, k++) {
      if (k < split) hi = hi * 10 + (bytes[j] - ZERO);
      else lo = lo * 10 + (bytes[j] - ZERO);
    }
    for (let j = fracStart; j < keptEnd; j++, k++) {
      if (k < split) hi = hi * 10 + (bytes[j] - ZERO);
      else lo = lo * 10 + (bytes[j] - ZERO);
    }
    for (; k < total; k++) {
      if (k < split) hi *= 10;
      else lo *= 10;
    }
    v = hiTimes1e9(hi) + BigInt(lo);
  }
  if (roundUp) v += 1n;
  if (neg ? v > I64_MIN_ABS : v > I64_MAX) return FixedFail.Overflow;
  return neg ? -v : v;
}

/**
 * {@link scanFixed} without the 64-bit limit (any decimals ≥ 0, any
 * magnitude), for values that are no record word (the API client's).
 */
export function scanUnits(bytes: Uint8Array, start: number, end: number, decimals: number, rounding: FinerDigits = "reject"): bigint | FixedFail {
  const r = scanFixed(bytes, start, end, decimals, rounding);
  if (r !== FixedFail.Overflow) return r;
  // Past 64 bits, with syntax and precision already checked: every digit as one BigInt, then scaled.
  let digits = "";
  let fraction = -1;
  for (let j = start; j < end; j++) {
    const c = bytes[j];
    if (c === DOT) fraction = 0;
    else if (c !== MINUS && c !== PLUS) {
      digits += String.fromCharCode(c);
      if (fraction >= 0) fraction++;
    }
  }
  const exact = bytes[start] === MINUS ? -BigInt(digits) : BigInt(digits);
  const f = Math.max(fraction, 0);
  if (f <= decimals) return exact * 10n ** BigInt(decimals - f);
  return divRound(exact, 10n ** BigInt(f - decimals), rounding === "reject" ? "down" : rounding); // "reject": the excess is zeros
}

// Consecutive timestamps share their leading digits (a ts_ns's hi part is
// its whole seconds), so the BigInt for hi·10^9 is memoised: one entry.
let memoHi = -1;
let memoHiBig = 0n;
function hiTimes1e9(hi: number): bigint {
  if (hi !== memoHi) {
    memoHi = hi;
    memoHiBig = BigInt(hi) * 1_000_000_000n;
  }
  return memoHiBig;
}

/** Whether the dropped digits `bytes[keptEnd, fracEnd)` (not all zeros) move the kept value away from zero. */
function excessRoundsUp(bytes: Uint8Array, intStart: number, intEnd: number, fracStart: number, keptEnd: number, fracEnd: number, neg: boolean, rounding: Rounding): boolean {
  const first = bytes[keptEnd] - ZERO;
  let half = first > 5 ? 1 : first < 5 ? -1 : 0; // the dropped part against one half
  for (let j = keptEnd + 1; half === 0 && j < fracEnd; j++) if (bytes[j] !== ZERO) half = 1;
  const lastKept = keptEnd > fracStart ? bytes[keptEnd - 1] - ZERO : lastDigit(bytes, intStart, intEnd);
  return roundsAway(rounding, neg, half, (lastKept & 1) === 1);
}

function lastDigit(bytes: Uint8Array, start: number, end: number): number {
  return end > start ? bytes[end - 1] - ZERO : 0;
}

/**
 * Parses an integer literal: optional "-" then digits only (no ".", no
 * exponent). Used where the format promises an exact integer (`ts_ns`,
 * `price_1e9` in JSON), so "1.0" or "1e18" are reported rather than accepted.
 */
export function scanInteger(bytes: Uint8Array, start: number, end: number): bigint | FixedFail {
  if (start >= end) return FixedFail.Empty;
  let i = start;
  const neg = bytes[i] === MINUS;
  if (neg && ++i === end) return FixedFail.Syntax;
  for (let j = i; j < end; j++) if (bytes[j] - ZERO >>> 0 >= 10) return FixedFail.Syntax;
  while (i < end - 1 && bytes[i] === ZERO) i++;
  const len = end - i;
  let v: bigint;
  if (len <= RUN) {
    let n = 0;
    for (let j = i; j < end; j++) n = n * 10 + (bytes[j] - ZERO);
    v = BigInt(n);
  } else {
    if (len > 19) return FixedFail.Overflow;
    const split = end - 9;
    let hi = 0;
    let lo = 0;
    for (let j = i; j < split; j++) hi = hi * 10 + (bytes[j] - ZERO);
    for (let j = split; j < end; j++) lo = lo * 10 + (bytes[j] - ZERO);
    v = hiTimes1e9(hi) + BigInt(lo);
    if (neg ? v > I64_MIN_ABS : v > I64_MAX) return FixedFail.Overflow;
  }
  return neg ? -v : v;
}

/** The "expected …" phrase for a failure, shared by every reader. */
export function fixedExpectation(fail: FixedFail, what: string, decimals: number): string {
  switch (fail) {
    case FixedFail.Empty:
      return what;
    case FixedFail.Syntax:
      return decimals === 0 ? `${what} (digits only)` : `${what} (plain decimal such as 123.45; no exponent)`;
    case FixedFail.Precision:
      return `${what} with at most ${decimals} decimal places (name a rounding mode to round)`;
    case FixedFail.Overflow:
      return `${what} that fits a signed 64-bit integer at scale 1e${decimals}`;
  }
}

/** Builds the DataError for a failed scan. */
export function fixedError(fail: FixedFail, where: Where, got: string, what: string, decimals: number): DataError {
  return new DataError({ ...where, expected: fixedExpectation(fail, what, decimals), got });
}

/** Text → bytes for the scanners; non-ASCII becomes 0xff, which can only be a syntax error. */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[i] = c < 128 ? c : 0xff;
  }
  return bytes;
}

/**
 * A value from a file: decimal text to an integer scaled by 10^decimals,
 * exactly. `parseFixedAt("1455.219971", 9, where)` → 1455219971000n.
 * Throws a {@link DataError} naming `where` on empty input, bad syntax
 * (`1e5`, `--1`, `1.2.3`), excess precision (unless `options.rounding`
 * says how to round) or a result outside the signed 64-bit range.
 */
export function parseFixedAt(text: string, decimals: number, where: Where, options: ParseFixedOptions = {}): bigint {
  checkDecimals(decimals);
  const r = scanFixed(asciiBytes(text), 0, text.length, decimals, options.rounding ?? "reject");
  if (typeof r === "bigint") return r;
  const what = options.what ?? (decimals === 0 ? "an integer" : "a decimal number");
  throw fixedError(r, where, text, what, decimals);
}

/**
 * A value a person typed (a flag, a param, a fee rate): decimal text, spaces
 * around it ignored, to an integer scaled by 10^decimals, exactly. Throws a
 * RangeError ("expected a decimal number with at most 9 decimal places, got
 * "x"") for the caller to prefix with the flag or param it read.
 */
export function parseFixed(text: string, decimals: number): bigint {
  checkDecimals(decimals);
  const trimmed = text.trim();
  const r = scanFixed(asciiBytes(trimmed), 0, trimmed.length, decimals, "reject");
  if (typeof r === "bigint") return r;
  const what = decimals === 0 ? "a whole number" : `a decimal number with at most ${decimals} decimal places`;
  throw new RangeError(`expected ${what}${r === FixedFail.Overflow ? " that fits in 64 bits" : ""}, got "${text}"`);
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new RangeError(`decimals must be an integer in 0..18, got ${decimals}`);
  }
}

/**
 * Formats a scaled integer back to decimal text, exactly, without trailing
 * zeros but with at least `minDecimals`: formatFixed(100010000000n, 9) →
 * "100.01"; formatFixed(5n, 0) → "5"; formatFixed(-1_500_000_000n, 9, 2) → "-1.50".
 */
export function formatFixed(value: bigint, decimals: number, minDecimals = 0): string {
  if (decimals === 0 && minDecimals === 0) return value.toString();
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(decimals + 1, "0");
  const intPart = digits.slice(0, digits.length - decimals);
  let frac = digits.slice(digits.length - decimals);
  let end = frac.length;
  while (end > minDecimals && frac.charCodeAt(end - 1) === ZERO) end--;
  frac = frac.slice(0, end).padEnd(minDecimals, "0");
  return (neg ? "-" : "") + intPart + (frac.length ? "." + frac : "");
}
