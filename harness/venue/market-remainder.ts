/**
 * What happens to the part of a market order the displayed liquidity could
 * not fill (L1 data shows only the touch):
 * - `cancel` (default): cancelled, like an IOC; the order update carries the quantity.
 * - `rest`: rests as a limit order at the touch price it met, and fills as maker later.
 * - `impact:<bps>`: fills at once, as taker, at the touch price moved <bps>
 *   basis points against the order (a buy pays more, a sell gets less),
 *   rounded against the order to 1e-9.
 */
import { add, mulDivCeil, sub } from "./i64.ts";

/** `bps`: whole basis points, at most 6 digits (so ⌈|px| × bps / 10 000⌉ is exact on i64 halves). */
export type MarketRemainder = { rule: "cancel" } | { rule: "rest" } | { rule: "impact"; bps: number };

export const DEFAULT_MARKET_REMAINDER: MarketRemainder = { rule: "cancel" };

/** Parses cancel | rest | impact:<whole bps>; throws RangeError. */
export function parseMarketRemainder(text: string): MarketRemainder {
  if (text === "cancel" || text === "rest") return { rule: text };
  const m = /^impact:(\d{1,6})$/.exec(text);
  if (m) return { rule: "impact", bps: Number(m[1]) };
  throw new RangeError(`"${text}": expected cancel, rest or impact:<bps> (whole basis points, e.g. impact:10)`);
}

export function describeMarketRemainder(r: MarketRemainder): string {
  return r.rule === "impact" ? `impact:${r.bps}` : r.rule;
}

/**
 * The impact rule's price, into dst[i]: px[pi] moved `bps` against a buy
 * (isBuy) or a sell, on i64 halves (wrapping as i64 does, like the store of a
 * BigInt would). `move` is scratch for the move itself.
 */
export function impactPrice(dst: Int32Array, i: number, px: Int32Array, pi: number, bps: number, isBuy: boolean, move: Int32Array, mi: number): void {
  mulDivCeil(move, mi, px, pi, bps, 10_000); // against the order either way
  if (isBuy) add(dst, i, px, pi, move, mi);
  else sub(dst, i, px, pi, move, mi);
}
