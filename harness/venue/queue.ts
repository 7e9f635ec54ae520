/**
 * Queue models: when the market trades exactly at a resting order's price,
 * how much of that price level trades before the order does. (A trade
 * through the price always fills; that needs no model.) The data is top of
 * book, so a model sees only the displayed size at the touch.
 */
export interface QueueModel {
  readonly name: string;
  /**
   * Quantity (1e8) ahead of an order that starts resting at `px`, given the
   * touch on its own side; null when it can never fill at its own price.
   */
  queueAhead(side: "buy" | "sell", px: bigint, touchPx: bigint, touchQty: bigint): bigint | null;
}

/** Never fills at its own price, only when the market trades through it: the most conservative choice (default). */
export class ThroughOnly implements QueueModel {
  readonly name = "through";
  queueAhead(): null {
    return null;
  }
}

/**
 * Joins the back of the displayed queue and moves up only when trades print
 * at its price, never when orders ahead are cancelled (hftbacktest's
 * "risk averse" queue model). An order that improves the touch is first in
 * line; one that rests behind the touch cannot see its level and fills only
 * through its price.
 */
export class RiskAverseQueue implements QueueModel {
  readonly name = "risk-averse";
  queueAhead(side: "buy" | "sell", px: bigint, touchPx: bigint, touchQty: bigint): bigint | null {
    if (touchPx === 0n) return 0n; // an empty side: the order is the touch
    if (px === touchPx) return touchQty;
    const improves = side === "buy" ? px > touchPx : px < touchPx;
    return improves ? 0n : null;
  }
}

export const QUEUE_MODELS = { through: ThroughOnly, "risk-averse": RiskAverseQueue } as const;
export type QueueModelName = keyof typeof QUEUE_MODELS;
