// The algo's account as the host keeps it (the backtest's ledger, an edge's
// account): exact USD at 1e9, read fresh on every call, so a figure is never
// stale after a fill. `this.account` on every Algo.
import { Px, Qty, Usd, Rounding, QTY_SCALE, mulDiv, qtyForNotional, roundToLot } from "./fixed";
import {
  host_account,
  ACCOUNT_CAPITAL,
  ACCOUNT_CASH,
  ACCOUNT_EQUITY,
  ACCOUNT_FEES,
  ACCOUNT_MAKER_FEE_RATE,
  ACCOUNT_TAKER_FEE_RATE,
  ACCOUNT_REALIZED_PNL,
  ACCOUNT_UNREALIZED_PNL,
} from "./host";

export class Account {
  /** Starting cash (`--capital`); 0 when none was given (then nothing is refused for lack of funds). */
  capital(): Usd {
    return host_account(ACCOUNT_CAPITAL);
  }
  /** Capital − what buys cost + what sells brought − fees. */
  cash(): Usd {
    return host_account(ACCOUNT_CASH);
  }
  /** Capital + realized + unrealized PnL − fees: cash plus the position at the mark. */
  equity(): Usd {
    return host_account(ACCOUNT_EQUITY);
  }
  realizedPnl(): Usd {
    return host_account(ACCOUNT_REALIZED_PNL);
  }
  /** The open position marked to the last trade (or the quote mid when newer). */
  unrealizedPnl(): Usd {
    return host_account(ACCOUNT_UNREALIZED_PNL);
  }
  /** Fees paid so far (negative when rebates exceed them). */
  fees(): Usd {
    return host_account(ACCOUNT_FEES);
  }
  /** The venue's fee rate for a maker fill, in 1e-4 bps (10_000 = 1 bp; negative: a rebate); 0 on a host before ABI 1.3. */
  makerFeeRate(): i64 {
    return host_account(ACCOUNT_MAKER_FEE_RATE);
  }
  /** The venue's fee rate for a taker fill, in 1e-4 bps, as makerFeeRate. */
  takerFeeRate(): i64 {
    return host_account(ACCOUNT_TAKER_FEE_RATE);
  }

  /**
   * The most the cash buys at `px`, fee included: the largest multiple of
   * `lot` (default 1e-8) whose qty × px plus the larger of the maker and
   * taker fee the cash pays, as the host's funds check counts it (it does not
   * count what your resting buys already promise). `this.buy(this.account.maxBuyQty(px))`
   * spends all the cash. 0 when the cash is ≤ 0; traps when px or lot ≤ 0.
   */
  maxBuyQty(px: Px, lot: Qty = 1): Qty {
    if (px <= 0) throw new Error("maxBuyQty: price must be > 0");
    if (lot <= 0) throw new Error("maxBuyQty: lot must be > 0");
    // The host keeps cash finer than 1e-9 and this read is rounded: leave it one unit.
    const cash = this.cash() - 1;
    if (cash <= 0) return 0;
    const maker = this.makerFeeRate();
    const taker = this.takerFeeRate();
    let rate = maker > taker ? maker : taker;
    if (rate < 0) rate = 0; // a rebate either way: sized as if free, the check has room to spare
    // cash / (px · (1 + rate/1e8)), onto the lot, then one lot at a time to the largest that fits.
    let qty = roundToLot(mulDiv(qtyForNotional(cash, px, Rounding.Down), FEE_RATE_ONE, FEE_RATE_ONE + rate, Rounding.Down), lot, Rounding.Down);
    while (qty > 0 && costBound(qty, px, rate) > cash) qty -= lot;
    while (costBound(qty + lot, px, rate) <= cash) qty += lot;
    return qty;
  }
}

/** A fee rate of 100 %, in 1e-4 bps. */
const FEE_RATE_ONE: i64 = 100_000_000;

/** qty × px plus its fee at `rate` (≥ 0), USD 1e9, each rounded up: never below what the host charges. */
function costBound(qty: Qty, px: Px, rate: i64): Usd {
  const notional = mulDiv(qty, px, QTY_SCALE, Rounding.Ceil);
  return notional + mulDiv(notional, rate, FEE_RATE_ONE, Rounding.Ceil);
}

/**
 * The quantity `usd` buys at `px`, rounded down to a multiple of `lot`
 * (default 1e-8, the smallest quantity), so its cost never exceeds `usd`:
 * `this.buy(qtyFor(this.account.cash(), px))` spends all the cash. 0 when
 * `usd` <= 0. Traps when `px` <= 0 or `lot` <= 0.
 */
export function qtyFor(usd: Usd, px: Px, lot: Qty = 1): Qty {
  if (px <= 0) throw new Error("qtyFor: price must be > 0");
  if (usd <= 0) return 0;
  return roundToLot(qtyForNotional(usd, px, Rounding.Down), lot, Rounding.Down);
}
