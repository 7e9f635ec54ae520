// The algo's account as the host keeps it (the backtest's ledger, an edge's
// account): exact USD at 1e9, read fresh on every call, so a figure is never
// stale after a fill. `this.account` on every Algo.
import { Px, Qty, Usd, Rounding, qtyForNotional, roundToLot } from "./fixed";
import {
  host_account,
  ACCOUNT_CAPITAL,
  ACCOUNT_CASH,
  ACCOUNT_EQUITY,
  ACCOUNT_FEES,
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
