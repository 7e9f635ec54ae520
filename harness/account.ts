/**
 * The account: starting capital, the cash the fills moved, and the one rule
 * for what an order may cost (docs/backtesting.md, "Account").
 *
 * A spot account with no margin: a buy must be paid for from cash not already
 * promised to resting buys, a sell may only sell what is held and not already
 * offered. Without capital (the default) nothing is checked, as before.
 *
 * Money is exact: cash comes from the ledger at 1e17 USD (qty 1e8 × price
 * 1e9) and is read out rounded half-even to 1e9.
 */
import { AccountField, Liquidity, SideCode } from "./abi.ts";
import { divRound } from "./fixed.ts";
import type { Ledger } from "./ledger.ts";
import type { FeeModel } from "./venue/fees.ts";

const E8 = 100_000_000n;

/** An order still resting at the venue, as far as funds go. */
export interface RestingOrder {
  side: "buy" | "sell";
  price_1e9: bigint;
  qty_1e8: bigint;
}

/** The report's account block: where the capital ended. */
export interface AccountSummary {
  capital_1e9: bigint;
  cash_1e9: bigint;
  equity_1e9: bigint;
  /** (equity − capital) / capital in percent, 6 decimals, rounded half-even. */
  return_pct_1e6: bigint;
}

export class Account {
  constructor(
    /** Starting cash, USD 1e9; null: no capital given, nothing is refused for lack of funds. */
    readonly capital: bigint | null,
    private readonly ledger: Ledger,
    private readonly fees: FeeModel,
  ) {}

  /** Capital − buys + sells − fees, 1e17 USD (from the ledger: nothing to do per fill). */
  private cash(): bigint {
    return (this.capital ?? 0n) * E8 + this.ledger.cashFlow();
  }

  /** One figure for the algo (the `account` import), USD 1e9. */
  read(field: number): bigint {
    switch (field) {
      case AccountField.Capital:
        return this.capital ?? 0n;
      case AccountField.Cash:
        return divRound(this.cash(), E8, "half-even");
      case AccountField.Equity:
        return this.equity();
      case AccountField.RealizedPnl:
        return this.ledger.snapshot().realized_pnl_1e9;
      case AccountField.UnrealizedPnl:
        return this.ledger.snapshot().unrealized_pnl_1e9;
      case AccountField.Fees:
        return this.ledger.snapshot().fees_1e9;
      default:
        return 0n;
    }
  }

  /** Capital + net PnL (realized + unrealized − fees, each rounded as the report rounds it). */
  equity(): bigint {
    return (this.capital ?? 0n) + this.ledger.snapshot().net_pnl_1e9;
  }

  /** The report's block; null when no capital was given (a return has no base). */
  summary(): AccountSummary | null {
    const capital = this.capital;
    if (capital === null || capital === 0n) return null;
    const equity = this.equity();
    return {
      capital_1e9: capital,
      cash_1e9: this.read(AccountField.Cash),
      equity_1e9: equity,
      return_pct_1e6: divRound((equity - capital) * 100_000_000n, capital, "half-even"),
    };
  }

  /**
   * Whether the account can pay for an order of `qty` at `px` (a limit's own
   * price; a market order's, the price it would take), given what already
   * rests. A buy needs qty × px plus the larger of its maker and taker fee.
   */
  canPay(side: number, px: bigint, qty: bigint, resting: readonly RestingOrder[]): boolean {
    if (this.capital === null) return true;
    if (side === SideCode.Buy) {
      let promised = 0n;
      for (const o of resting) if (o.side === "buy") promised += this.cost(o.qty_1e8, o.price_1e9);
      return this.cost(qty, px) <= this.cash() - promised;
    }
    let offered = 0n;
    for (const o of resting) if (o.side === "sell") offered += o.qty_1e8;
    return qty <= this.ledger.position - offered;
  }

  /** What a buy may cost, 1e17: its notional and its larger fee. */
  private cost(qty: bigint, px: bigint): bigint {
    const maker = this.fees.fee(qty, px, Liquidity.Maker);
    const taker = this.fees.fee(qty, px, Liquidity.Taker);
    return qty * px + (maker > taker ? maker : taker) * E8;
  }
}
