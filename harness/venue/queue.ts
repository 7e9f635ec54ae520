/**
 * Queue models: where a resting order stands in the line at its price, and so
 * how much of a trade printed exactly at that price reaches it. (A trade
 * through the price always fills; that needs no model.) A model keeps its own
 * per-order state and is told each order's lifecycle, as hftbacktest's
 * QueueModel is: a new order, trades at its price, changes of the displayed
 * size at its level, and its end (filled or cancelled). The data is top of
 * book, so a model sees a level only while it is the touch.
 */
import { Xoshiro128 } from "../data/prng.ts";

export interface QueueModel {
  readonly name: string;
  /** False: orders fill only through their price, and the venue tells this model nothing. */
  readonly fillsAtPrice: boolean;
  /** True: the venue reports every change of displayed size at an order's level (onDepth). */
  readonly watchesDepth: boolean;
  /**
   * An order starts resting. `levelQty` is the size displayed at its price
   * when that price is the touch on its side; 0 when it improves the touch or
   * its side is empty (it is first in line); null when it rests behind the
   * touch (its level cannot be seen).
   */
  onNew(id: bigint, levelQty: bigint | null): void;
  /** `qty` printed exactly at the order's price; returns how much of it reached the order (≥ 0). */
  onTrade(id: bigint, qty: bigint): bigint;
  /** The displayed size at the order's level went from `prev` to `next` (0: the level emptied, or moved behind it). */
  onDepth(id: bigint, prev: bigint, next: bigint): void;
  /** The order left the book (filled, cancelled). */
  onDone(id: bigint): void;
  /** For the report: the model's settings beyond its name. */
  describe(): Record<string, string>;
}

/** Never fills at its own price, only when the market trades through it: the most conservative choice (default). */
export class ThroughOnly implements QueueModel {
  readonly name = "through";
  readonly fillsAtPrice = false;
  readonly watchesDepth = false;
  onNew(): void {}
  onTrade(): bigint {
    return 0n;
  }
  onDepth(): void {}
  onDone(): void {}
  describe(): Record<string, string> {
    return {};
  }
}

/** The quantity ahead of each order at its price (null: behind the touch, never fills at its price). */
abstract class QueueAhead implements QueueModel {
  abstract readonly name: string;
  readonly fillsAtPrice = true;
  abstract readonly watchesDepth: boolean;
  protected readonly ahead = new Map<bigint, bigint | null>();

  onNew(id: bigint, levelQty: bigint | null): void {
    this.ahead.set(id, levelQty);
  }

  /** A print at the price advances the order by its size; what passes the front reaches the order. */
  onTrade(id: bigint, qty: bigint): bigint {
    const ahead = this.ahead.get(id);
    if (ahead === null || ahead === undefined) return 0n;
    if (ahead >= qty) {
      this.ahead.set(id, ahead - qty);
      return 0n;
    }
    this.ahead.set(id, 0n);
    return qty - ahead;
  }

  abstract onDepth(id: bigint, prev: bigint, next: bigint): void;

  onDone(id: bigint): void {
    this.ahead.delete(id);
  }

  describe(): Record<string, string> {
    return {};
  }
}

/**
 * Joins the back of the displayed queue and moves up only when trades print
 * at its price, never when orders ahead are cancelled (hftbacktest's
 * "risk averse" queue model). An order that improves the touch is first in
 * line; one that rests behind the touch cannot see its level and fills only
 * through its price.
 */
export class RiskAverseQueue extends QueueAhead {
  readonly name = "risk-averse";
  readonly watchesDepth = false;
  onDepth(): void {}
}

export interface ProbQueueOptions {
  /** Exponent n of the probability function (default 2). */
  power?: number;
  /** Seed of the draws (default 1): the same seed gives the same fills. */
  seed?: number;
  /** Replaces the seeded draw, for tests: true with probability p. */
  chance?: (p: number) => boolean;
}

/**
 * Cancels ahead move the order up (hftbacktest's ProbQueueModel with
 * PowerProbQueueFunc, drawn instead of averaged). When the displayed size at
 * the order's level shrinks by more than the trades printed there since the
 * last change, the rest is a cancel of size c. With `front` ahead of the order
 * and `back` = prev − front behind it, the cancel was behind the order with
 * probability p = back^n / (back^n + front^n) (1 when both are 0); one seeded
 * draw decides. Ahead, it moves the order up by c; behind, only by whatever
 * part of c exceeds `back`. The order is never behind more than is displayed.
 * Trades at the price advance it as in the risk-averse model.
 */
export class ProbQueue extends QueueAhead {
  readonly name = "prob";
  readonly watchesDepth = true;
  readonly power: number;
  private readonly seed: number;
  private readonly chance: (p: number) => boolean;
  /** Printed at each order's price since its level last changed: a shrink that trades explain is no cancel. */
  private readonly traded = new Map<bigint, bigint>();

  constructor(options: ProbQueueOptions = {}) {
    super();
    this.power = options.power ?? 2;
    this.seed = options.seed ?? 1;
    if (!(this.power > 0) || !Number.isFinite(this.power)) throw new RangeError(`queue power must be a number > 0, got ${options.power}`);
    const rng = Xoshiro128.fromSeed(this.seed);
    this.chance = options.chance ?? ((p) => rng.chance(p));
  }

  /** Probability that a cancel at a level with `front` ahead and `back` behind the order was behind it. */
  probBehind(front: bigint, back: bigint): number {
    const f = Number(front) ** this.power;
    const b = Number(back) ** this.power;
    return f + b === 0 ? 1 : b / (f + b);
  }

  override onTrade(id: bigint, qty: bigint): bigint {
    if (this.ahead.get(id) != null) this.traded.set(id, (this.traded.get(id) ?? 0n) + qty);
    return super.onTrade(id, qty);
  }

  onDepth(id: bigint, prev: bigint, next: bigint): void {
    const front = this.ahead.get(id);
    if (front === null || front === undefined) return;
    const cancelled = prev - next - (this.traded.get(id) ?? 0n);
    this.traded.delete(id);
    let ahead = front;
    if (cancelled > 0n) {
      const back = prev > front ? prev - front : 0n;
      if (!this.chance(this.probBehind(front, back))) ahead -= cancelled;
      else if (cancelled > back) ahead -= cancelled - back;
      if (ahead < 0n) ahead = 0n;
    }
    this.ahead.set(id, ahead < next ? ahead : next);
  }

  override onDone(id: bigint): void {
    super.onDone(id);
    this.traded.delete(id);
  }

  override describe(): Record<string, string> {
    return { queue_power: String(this.power), queue_seed: String(this.seed) };
  }
}

export const QUEUE_MODELS = { through: ThroughOnly, "risk-averse": RiskAverseQueue, prob: ProbQueue } as const;
export type QueueModelName = keyof typeof QUEUE_MODELS;
