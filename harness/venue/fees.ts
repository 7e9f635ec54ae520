/**
 * Fee models. A fee is charged in USD 1e9 on each fill's notional; positive
 * is paid, negative a rebate. Rounding is toward +infinity: a fee is never
 * undercharged and a rebate never overpaid, as exchanges round.
 */
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
    this.maker = toBpsE4(makerBps);
    this.taker = toBpsE4(takerBps);
  }

  fee(qty: bigint, px: bigint, liquidity: Liquidity): bigint {
    const rate = liquidity === Liquidity.Maker ? this.maker : this.taker;
    // qty·px is USD at 1e17; ·rate/1e4 is bps·1e4; /1e4 bps per unit; /1e8 back to 1e9.
    return divRound(qty * px * rate, E16, "ceil");
  }

  describe(): Record<string, string> {
    return { maker_bps: fromBpsE4(this.maker), taker_bps: fromBpsE4(this.taker) };
  }
}

function toBpsE4(bps: number | string): bigint {
  const text = String(bps);
  const m = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) throw new RangeError(`fee rate "${text}": expected basis points with at most 4 decimals, e.g. 2.5`);
  const value = BigInt(m[2]) * 10_000n + BigInt((m[3] ?? "").padEnd(4, "0") || "0");
  return m[1] ? -value : value;
}

function fromBpsE4(v: bigint): string {
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const frac = (abs % 10_000n).toString().padStart(4, "0").replace(/0+$/, "");
  return (negative ? "-" : "") + (abs / 10_000n).toString() + (frac ? "." + frac : "");
}
