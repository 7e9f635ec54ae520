/**
 * What happens to the part of a market order the displayed liquidity could
 * not fill (L1 data shows only the touch):
 * - `cancel` (default): cancelled, like an IOC; the order update carries the quantity.
 * - `rest`: rests as a limit order at the touch price it met, and fills as maker later.
 * - `impact:<bps>`: fills at once, as taker, at the touch price moved <bps>
 *   basis points against the order (a buy pays more, a sell gets less),
 *   rounded against the order to 1e-9.
 */
import { divRound } from "../fixed.ts";

export type MarketRemainder = { rule: "cancel" } | { rule: "rest" } | { rule: "impact"; bps: bigint };

export const DEFAULT_MARKET_REMAINDER: MarketRemainder = { rule: "cancel" };

/** Parses cancel | rest | impact:<whole bps>; throws RangeError. */
export function parseMarketRemainder(text: string): MarketRemainder {
  if (text === "cancel" || text === "rest") return { rule: text };
  const m = /^impact:(\d{1,6})$/.exec(text);
  if (m) return { rule: "impact", bps: BigInt(m[1]) };
  throw new RangeError(`"${text}": expected cancel, rest or impact:<bps> (whole basis points, e.g. impact:10)`);
}

export function describeMarketRemainder(r: MarketRemainder): string {
  return r.rule === "impact" ? `impact:${r.bps}` : r.rule;
}

/** The impact rule's price: `px` moved `bps` against a buy (isBuy) or a sell. */
export function impactPrice(px: bigint, bps: bigint, isBuy: boolean): bigint {
  const abs = px < 0n ? -px : px;
  const move = divRound(abs * bps, 10_000n, "ceil"); // against the order either way
  return isBuy ? px + move : px - move;
}
