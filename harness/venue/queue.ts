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
import { add, copy, lt, negative, setZero, sub, toNumber } from "./i64.ts";

/**
 * Ids are the venue's order ids (numbers); quantities (1e8) are i64 halves
 * (i64.ts) passed as an Int32Array and an index, so the venue's per-order
 * path makes no BigInt.
 */
export interface QueueModel {
  readonly name: string;
  /** False: orders fill only through their price, and the venue tells this model nothing. */
  readonly fillsAtPrice: boolean;
  /** True: the venue reports every change of displayed size at an order's level (onDepth). */
  readonly watchesDepth: boolean;
  /**
   * An order starts resting. `level[li]` is the size displayed at its price
   * when that price is the touch on its side; 0 when it improves the touch or
   * its side is empty (it is first in line); `level` null when it rests behind
   * the touch (its level cannot be seen).
   */
  onNew(id: number, level: Int32Array | null, li: number): void;
  /** qty[qi] printed exactly at the order's price; writes how much of it reached the order (≥ 0) to out[oi]. */
  onTrade(id: number, qty: Int32Array, qi: number, out: Int32Array, oi: number): void;
  /** The displayed size at the order's level went from prev[pi] to next[ni] (0: the level emptied, or moved behind it). */
  onDepth(id: number, prev: Int32Array, pi: number, next: Int32Array, ni: number): void;
  /** The order left the book (filled, cancelled). */
  onDone(id: number): void;
  /** For the report: the model's settings beyond its name. */
  describe(): Record<string, string>;
}

/** Never fills at its own price, only when the market trades through it: the most conservative choice (default). */
export class ThroughOnly implements QueueModel {
  readonly name = "through";
  readonly fillsAtPrice = false;
  readonly watchesDepth = false;
  onNew(): void {}
  onTrade(_id: number, _qty: Int32Array, _qi: number, out: Int32Array, oi: number): void {
    setZero(out, oi);
  }
  onDepth(): void {}
  onDone(): void {}
  describe(): Record<string, string> {
    return {};
  }
}

const MAX_HI = 0x7fffffff;

/**
 * Per-order i64 values of a queue model, by order id: a slot per order, two
 * values (ahead, and a model's own) at slot × 4 and slot × 4 + 2; ended slots
 * are reused.
 */
class OrderValues {
  values = new Int32Array(64);
  private readonly slots = new Map<number, number>();
  private readonly free: number[] = [];
  private used = 0;

  /** The order's slot, or −1 when it has none. */
  slot(id: number): number {
    return this.slots.get(id) ?? -1;
  }

  /** A slot for the order, both values 0 (the array may be replaced: read it after this). */
  add(id: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot * 4 + 4 > this.values.length) {
        const wider = new Int32Array(this.values.length * 2);
        wider.set(this.values);
        this.values = wider;
      }
    }
    this.values.fill(0, slot * 4, slot * 4 + 4);
    this.slots.set(id, slot);
    return slot;
  }

  delete(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.slots.delete(id);
    this.free.push(slot);
  }
}

/** The quantity ahead of each order at its price (no slot: behind the touch, never fills at its price). */
abstract class QueueAhead implements QueueModel {
  abstract readonly name: string;
  readonly fillsAtPrice = true;
  abstract readonly watchesDepth: boolean;
  /** Ahead at slot × 4; the order's own value (ProbQueue: printed since the last change) at slot × 4 + 2. */
  protected readonly orders = new OrderValues();

  onNew(id: number, level: Int32Array | null, li: number): void {
    if (level === null) {
      this.orders.delete(id);
      return;
    }
    const slot = this.orders.add(id);
    copy(this.orders.values, slot * 4, level, li);
  }

  /** A print at the price advances the order by its size; what passes the front reaches the order. */
  onTrade(id: number, qty: Int32Array, qi: number, out: Int32Array, oi: number): void {
    const slot = this.orders.slot(id);
    if (slot < 0) return setZero(out, oi);
    const v = this.orders.values;
    const a = slot * 4;
    if (!lt(v, a, qty, qi)) {
      sub(v, a, v, a, qty, qi);
      setZero(out, oi);
    } else {
      sub(out, oi, qty, qi, v, a);
      setZero(v, a);
    }
  }

  abstract onDepth(id: number, prev: Int32Array, pi: number, next: Int32Array, ni: number): void;

  onDone(id: number): void {
    this.orders.delete(id);
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

// ProbQueue's scratch values at these indices.
const SHRANK = 0;
const CANCELLED = 2;
const BACK = 4;

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
  private readonly tmp = new Int32Array(6);

  constructor(options: ProbQueueOptions = {}) {
    super();
    this.power = options.power ?? 2;
    this.seed = options.seed ?? 1;
    if (!(this.power > 0) || !Number.isFinite(this.power)) throw new RangeError(`queue power must be a number > 0, got ${options.power}`);
    const rng = Xoshiro128.fromSeed(this.seed);
    this.chance = options.chance ?? ((p) => rng.chance(p));
  }

  /** Probability that a cancel at a level with `front` ahead and `back` behind the order was behind it (sizes 1e8, as numbers). */
  probBehind(front: number, back: number): number {
    const f = front ** this.power;
    const b = back ** this.power;
    return f + b === 0 ? 1 : b / (f + b);
  }

  /** Also counts what printed at the order's price since its level last changed: a shrink that trades explain is no cancel. */
  override onTrade(id: number, qty: Int32Array, qi: number, out: Int32Array, oi: number): void {
    const slot = this.orders.slot(id);
    if (slot >= 0) {
      const v = this.orders.values;
      const t = slot * 4 + 2;
      add(v, t, v, t, qty, qi);
      if (negative(v, t)) (v[t] = -1), (v[t + 1] = MAX_HI); // past 2^63 − 1: it explains any shrink
    }
    super.onTrade(id, qty, qi, out, oi);
  }

  onDepth(id: number, prev: Int32Array, pi: number, next: Int32Array, ni: number): void {
    const slot = this.orders.slot(id);
    if (slot < 0) return;
    const v = this.orders.values;
    const a = slot * 4;
    const r = this.tmp;
    // cancelled = (prev − next) − traded, when positive (sizes ≥ 0: prev − next fits an i64).
    sub(r, SHRANK, prev, pi, next, ni);
    const cancels = lt(v, a + 2, r, SHRANK);
    if (cancels) sub(r, CANCELLED, r, SHRANK, v, a + 2);
    setZero(v, a + 2);
    if (cancels) {
      if (lt(v, a, prev, pi)) sub(r, BACK, prev, pi, v, a);
      else setZero(r, BACK);
      if (!this.chance(this.probBehind(toNumber(v, a), toNumber(r, BACK)))) sub(v, a, v, a, r, CANCELLED);
      else if (lt(r, BACK, r, CANCELLED)) {
        sub(r, CANCELLED, r, CANCELLED, r, BACK);
        sub(v, a, v, a, r, CANCELLED);
      }
      if (negative(v, a)) setZero(v, a);
    }
    if (lt(next, ni, v, a)) copy(v, a, next, ni);
  }

  override describe(): Record<string, string> {
    return { queue_power: String(this.power), queue_seed: String(this.seed) };
  }
}

export const QUEUE_MODELS = { through: ThroughOnly, "risk-averse": RiskAverseQueue, prob: ProbQueue } as const;
export type QueueModelName = keyof typeof QUEUE_MODELS;
