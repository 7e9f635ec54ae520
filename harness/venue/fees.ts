/**
 * Fee models. A fee is charged in USD 1e9 on each fill's notional; positive
 * is paid, negative a rebate. Rounding is toward +infinity: a fee is never
 * undercharged and a rebate never overpaid, as exchanges round.
 */
import { asciiBytes, formatFixed, scanFixed } from "../data/decimal.ts";
import { divRound } from "../fixed.ts";
import { Liquidity } from "../abi.ts";
import { divCeil, mulSmall, sign, type Wide } from "./wide.ts";

/** 1e17 (qty × px) × 1e4 (rate) → 1e9 USD × bps: a constant, not a BigInt power per fill. */
const E16 = 10n ** 16n;

export interface FeeModel {
  /** Fee in USD 1e9 for a fill of qty (1e8) at px (1e9). */
  fee(qty: bigint, px: bigint, liquidity: Liquidity): bigint;
  /**
   * The larger of the maker and the taker fee on a notional (qty × px, 1e17,
   * in `notional`), as `fee` rounds it, into `dst` (USD 1e9): what the
   * account sets aside for an order before it knows how it fills. Without
   * BigInt: it runs on the venue's per-order path.
   */
  maxFee(notional: Wide, dst: Wide): void;
  /** The rate a fill of this liquidity pays, in 1e-4 bps (10 000 = 1 bp; negative: a rebate), for the algo's account. */
  rate(liquidity: Liquidity): bigint;
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
  /** The rates as numbers (|rate| ≤ 1e8, exact) for maxFee. */
  private readonly highRate: number;
  private readonly lowRate: number;

  constructor(makerBps: number | string, takerBps: number | string) {
    this.maker = parseBps(makerBps);
    this.taker = parseBps(takerBps);
    this.highRate = Number(this.maker > this.taker ? this.maker : this.taker);
    this.lowRate = Number(this.maker > this.taker ? this.taker : this.maker);
  }

  fee(qty: bigint, px: bigint, liquidity: Liquidity): bigint {
    const rate = this.rate(liquidity);
    // qty·px is USD at 1e17; ·rate/1e4 is bps·1e4; /1e4 bps per unit; /1e8 back to 1e9.
    return divRound(qty * px * rate, E16, "ceil");
  }

  rate(liquidity: Liquidity): bigint {
    return liquidity === Liquidity.Maker ? this.maker : this.taker;
  }

  maxFee(notional: Wide, dst: Wide): void {
    // ⌈n × rate / 1e16⌉ grows with the rate when n ≥ 0 and shrinks when n < 0 (a negative price).
    dst.set(notional);
    mulSmall(dst, sign(notional) >= 0 ? this.highRate : this.lowRate);
    divCeil(dst, 1e8); // ⌈⌈x / a⌉ / b⌉ = ⌈x / ab⌉, and 1e16 is past divCeil's 2^36
    divCeil(dst, 1e8);
  }

  describe(): Record<string, string> {
    return { maker_bps: formatBps(this.maker), taker_bps: formatBps(this.taker) };
  }
}

/** A rate's decimals: rates are held as integers in 1e-4 bps. */
const BPS_DECIMALS = 4;
/** No fee or rebate beyond the whole notional (10 000 bps = 100 %), as dev.json's schema says too. */
const MAX_BPS_E4 = 10_000n * 10_000n;

/**
 * A fee rate in basis points, as text or a JS number ("0.07", 2.5, "-1"), →
 * integer 1e-4 bps, exactly (a number is read through its shortest text, so
 * 0.07 is 700, never 700.0000000000001), from −10000 to 10000 bps. Every place
 * that reads a rate (flags, project config, dev.json) checks it with this.
 * RangeError otherwise.
 */
export function parseBps(bps: number | string): bigint {
  const text = String(bps);
  const v = scanFixed(asciiBytes(text), 0, text.length, BPS_DECIMALS);
  if (typeof v !== "bigint" || v > MAX_BPS_E4 || v < -MAX_BPS_E4)
    throw new RangeError(`fee rate "${text}": ${BPS_EXPECTED}`);
  return v;
}

/** What a fee rate must be, for messages. */
export const BPS_EXPECTED = "expected basis points from -10000 to 10000 with at most 4 decimals, e.g. 2.5";

/** 1e-4 bps → the rate's text without trailing zeros: 700n → "0.07". */
export function formatBps(bpsE4: bigint): string {
  return formatFixed(bpsE4, BPS_DECIMALS);
}
