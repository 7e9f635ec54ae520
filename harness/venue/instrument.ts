/**
 * What the exchange allows for one symbol: price increments, quantity
 * increments and the smallest order value. A field of 0 means "no rule".
 */
import { PX_DECIMALS, QTY_DECIMALS, QTY_SCALE } from "../fixed.ts";
import { RejectReason } from "../abi.ts";
import { formatFixed, parseFixed } from "../data/decimal.ts";
import { divisible, positive, put } from "./i64.ts";
import { productBelow, wideOf, type Wide } from "./wide.ts";

export interface InstrumentSpec {
  /** Price increment, 1e9 (0: any price). */
  tickPx: bigint;
  /** Quantity increment, 1e8 (0: any quantity). */
  lotQty: bigint;
  /** Smallest order value |price| × qty, USD 1e9 (0: none). */
  minNotional: bigint;
}

export const ANY_INSTRUMENT: InstrumentSpec = { tickPx: 0n, lotQty: 0n, minNotional: 0n };

/**
 * A spec as the venue checks it on each order: the increments as i64 halves
 * and min_notional × 1e8 as a wide bound (wide.ts), converted once here, so a check
 * uses no BigInt.
 */
export class InstrumentCheck {
  /** tick at 0, lot at 2 (halves). */
  private readonly steps = new Int32Array(4);
  private readonly hasTick: boolean;
  private readonly hasLot: boolean;
  /** |price| × qty (1e17) below this breaks the minimum notional; null: no minimum. */
  private readonly notionalBound: Wide | null;
  /** Whether any rule is set (else the venue skips the check). */
  readonly active: boolean;

  constructor(spec: InstrumentSpec) {
    put(this.steps, 0, spec.tickPx);
    put(this.steps, 2, spec.lotQty);
    this.hasTick = positive(this.steps, 0);
    this.hasLot = positive(this.steps, 2);
    // ⌊|px| × qty / 1e8⌋ < min ⇔ |px| × qty < min × 1e8 (whole numbers ≥ 0).
    this.notionalBound = spec.minNotional > 0n ? wideOf(spec.minNotional * QTY_SCALE) : null;
    this.active = this.hasTick || this.hasLot || this.notionalBound !== null;
  }

  /**
   * The rule an order of qty[qi] (> 0) at px[pi] breaks first, or None; a
   * market order (`market`) has no price of its own: its notional is taken at ref[ri].
   */
  check(market: boolean, px: Int32Array, pi: number, qty: Int32Array, qi: number, ref: Int32Array, ri: number): RejectReason {
    if (!market && this.hasTick && !divisible(px, pi, this.steps, 0)) return RejectReason.TickSize;
    if (this.hasLot && !divisible(qty, qi, this.steps, 2)) return RejectReason.LotSize;
    if (this.notionalBound !== null && (market ? productBelow(ref, ri, qty, qi, this.notionalBound) : productBelow(px, pi, qty, qi, this.notionalBound)))
      return RejectReason.MinNotional;
    return RejectReason.None;
  }
}

const FIELDS = { tick: PX_DECIMALS, lot: QTY_DECIMALS, min_notional: PX_DECIMALS } as const;

/** Parses `tick=0.01,lot=0.001,min_notional=10` (any subset, any order); throws RangeError naming the bad part. */
export function parseInstrument(text: string): InstrumentSpec {
  const values: Record<string, bigint> = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    if (!(name in FIELDS)) throw new RangeError(`"${part}": expected tick=<price>, lot=<qty> or min_notional=<usd>`);
    if (name in values) throw new RangeError(`"${name}" is given twice`);
    let value: bigint;
    try {
      value = parseFixed(part.slice(eq + 1), FIELDS[name as keyof typeof FIELDS]);
    } catch (e) {
      throw new RangeError(`${name}: ${(e as Error).message}`);
    }
    if (value < 0n || (value === 0n && name !== "min_notional")) throw new RangeError(`${name}: expected a value > 0, got "${part.slice(eq + 1)}"`);
    values[name] = value;
  }
  return { tickPx: values.tick ?? 0n, lotQty: values.lot ?? 0n, minNotional: values.min_notional ?? 0n };
}

/** The text parseInstrument reads back to the same spec: `tick=0.01,lot=0.001,min_notional=10`. */
export function formatInstrument(spec: InstrumentSpec): string {
  const parts: string[] = [];
  if (spec.tickPx > 0n) parts.push(`tick=${formatFixed(spec.tickPx, PX_DECIMALS)}`);
  if (spec.lotQty > 0n) parts.push(`lot=${formatFixed(spec.lotQty, QTY_DECIMALS)}`);
  if (spec.minNotional > 0n) parts.push(`min_notional=${formatFixed(spec.minNotional, PX_DECIMALS)}`);
  return parts.join(",");
}

/** For the report. */
export function describeInstrument(spec: InstrumentSpec): Record<string, string> {
  const out: Record<string, string> = {};
  if (spec.tickPx > 0n) out.tick_1e9 = spec.tickPx.toString();
  if (spec.lotQty > 0n) out.lot_1e8 = spec.lotQty.toString();
  if (spec.minNotional > 0n) out.min_notional_1e9 = spec.minNotional.toString();
  return out;
}
