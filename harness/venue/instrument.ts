/**
 * What the exchange allows for one symbol: price increments, quantity
 * increments and the smallest order value. A field of 0 means "no rule".
 */
import { PX_DECIMALS, QTY_DECIMALS, QTY_SCALE } from "../fixed.ts";
import { RejectReason } from "../abi.ts";
import { formatFixed, parseFixed } from "../data/decimal.ts";

export interface InstrumentSpec {
  /** Price increment, 1e9 (0: any price). */
  tickPx: bigint;
  /** Quantity increment, 1e8 (0: any quantity). */
  lotQty: bigint;
  /** Smallest order value |price| × qty, USD 1e9 (0: none). */
  minNotional: bigint;
}

export const ANY_INSTRUMENT: InstrumentSpec = { tickPx: 0n, lotQty: 0n, minNotional: 0n };

/** The rule an order at `px` (null: a market order, checked at `refPx`) of `qty` breaks first, or None. */
export function checkInstrument(spec: InstrumentSpec, px: bigint | null, qty: bigint, refPx: bigint): RejectReason {
  if (px !== null && spec.tickPx > 0n && px % spec.tickPx !== 0n) return RejectReason.TickSize;
  if (spec.lotQty > 0n && qty % spec.lotQty !== 0n) return RejectReason.LotSize;
  const at = px ?? refPx;
  if (spec.minNotional > 0n && ((at < 0n ? -at : at) * qty) / QTY_SCALE < spec.minNotional) return RejectReason.MinNotional;
  return RejectReason.None;
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
