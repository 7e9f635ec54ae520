/**
 * Exact fixed-point arithmetic for the engine, in BigInt: the scales, the one
 * `Rounding` type of the host (the runtime's `Rounding` enum, spelled in lower
 * case) and division with an explicit rounding mode. Decimal text in and out
 * is data/decimal.ts.
 * Scales: prices and USD 1e9, quantities 1e8.
 */

export const PX_DECIMALS = 9;
export const QTY_DECIMALS = 8;
export const PX_SCALE = 10n ** 9n;
export const QTY_SCALE = 10n ** 8n;

/**
 * How a value between two integers becomes one of them:
 * "down" toward zero (truncate), "up" away from zero, "floor" toward −∞,
 * "ceil" toward +∞, "half-up" to nearest with ties away from zero,
 * "half-even" to nearest with ties to the even neighbour (banker's rounding).
 */
export type Rounding = "down" | "up" | "floor" | "ceil" | "half-up" | "half-even";

/**
 * Whether a truncated magnitude moves one step away from zero. `half` compares
 * the dropped part with one half (−1 below, 0 exactly, 1 above); `odd` is the
 * parity of the truncated value. The dropped part is not zero.
 */
export function roundsAway(mode: Rounding, negative: boolean, half: number, odd: boolean): boolean {
  switch (mode) {
    case "down":
      return false;
    case "up":
      return true;
    case "floor":
      return negative;
    case "ceil":
      return !negative;
    case "half-up":
      return half >= 0;
    case "half-even":
      return half > 0 || (half === 0 && odd);
  }
}

/** a / b with an explicit rounding mode. */
export function divRound(a: bigint, b: bigint, mode: Rounding): bigint {
  if (b === 0n) throw new RangeError("division by zero");
  const q = a / b; // truncates toward zero
  const r = a % b;
  if (r === 0n) return q;
  const negative = a < 0n !== b < 0n;
  let half = 0;
  if (mode === "half-up" || mode === "half-even") {
    const twice = 2n * (r < 0n ? -r : r);
    const absB = b < 0n ? -b : b;
    half = twice > absB ? 1 : twice < absB ? -1 : 0;
  }
  const odd = half === 0 && mode === "half-even" && (q & 1n) !== 0n; // parity matters only at a tie
  if (!roundsAway(mode, negative, half, odd)) return q;
  return negative ? q - 1n : q + 1n;
}

/** a * b / d exactly, rounded as asked. */
export function mulDiv(a: bigint, b: bigint, d: bigint, mode: Rounding): bigint {
  return divRound(a * b, d, mode);
}
