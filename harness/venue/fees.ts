/**
 * Fee models. A fee is charged in USD 1e9 on each fill's notional; positive
 * is paid, negative a rebate. Rounding is toward +infinity: a fee is never
 * undercharged and a rebate never overpaid, as exchanges round.
 */
import { asciiBytes, formatFixed, scanFixed } from "../data/decimal.ts";
import { divRound } from "../fixed.ts";
import { Liquidity } from "../abi.ts";

/** 1e17 (qty × px) × 1e4 (rate) → 1e9 USD × bps: a constant, not a BigInt power per fill. */
const E16 = 10n ** 16n;

export interface FeeModel {
  /** Fee in USD 1e9 for a fill of qty (1e8) at px (1e9). */
  fee(qty: bigint, px: bigint, liquidity: Liquidity): bigint;
  /** For the report: the model's settings. */
  describe(): Record<string, string>;
}

/**
 * Fees in basis points of notional; rates accept up to 4 decimals
 * (e.g. 2.5 bps), held as integers in 1e-4 bps.
 */
export class BpsFees implements FeeModel {
  private readonly maker: bigint;
  private readonly taker: bigint;

  constructor(makerBps: number | string, takerBps: number | string) {
    this.maker = parseBps(makerBps);
    this.taker = parseBps(takerBps);
  }

  fee(qty: bigint, px: bigint, liquidity: Liquidity): bigint {
    const rate = liquidity === Liquidity.Maker ? this.maker : this.taker;
    // qty·px is USD at 1e17; ·rate/1e4 is bps·1e4; /1e4 bps per unit; /1e8 back to 1e9.
    return divRound(qty * px * rate, E16, "ceil");
  }

  describe(): Record<string, string> {
    return { maker_bps: formatBps(this.maker), taker_bps: formatBps(this.taker) };
  }
}

/** A rate's decimals: rates are held as integers in 1e-4 bps. */
const BPS_DECIMALS = 4;

/**
 * A fee rate in basis points, as text or a JS number ("0.07", 2.5, "-1"), →
 * integer 1e-4 bps, exactly (a number is read through its shortest text, so
 * 0.07 is 700, never 700.0000000000001). Every place that reads a rate (flags,
 * project config, dev.json) checks it with this. RangeError otherwise.
 */
export function parseBps(bps: number | string): bigint {
  const text = String(bps);
  const v = scanFixed(asciiBytes(text), 0, text.length, BPS_DECIMALS);
  if (typeof v !== "bigint") throw new RangeError(`fee rate "${text}": expected basis points with at most 4 decimals, e.g. 2.5`);
  return v;
}

/** 1e-4 bps → the rate's text without trailing zeros: 700n → "0.07". */
export function formatBps(bpsE4: bigint): string {
  return formatFixed(bpsE4, BPS_DECIMALS);
}
