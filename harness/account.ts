/**
 * The account: starting capital, the cash the fills moved, and the one rule
 * for what an order may cost (docs/backtesting.md, "Account").
 *
 * A spot account with no margin: a buy must be paid for from cash not already
 * promised to resting buys, a sell may only sell what is held and not already
 * offered. Without capital (the default) nothing is checked, as before.
 *
 * Money is exact: cash comes from the ledger at 1e17 USD (qty 1e8 × price
 * 1e9) and is read out rounded half-even to 1e9. The funds check runs on
 * the venue's per-order path, so it reads no BigInt: after each fill the
 * ledger's cash and position are copied into wide integers (venue/wide.ts),
 * and orders come as the venue's i64 halves.
 */
import { AccountField, Liquidity, SideCode } from "./abi.ts";
import { divRound } from "./fixed.ts";
import type { Ledger } from "./ledger.ts";
import type { FeeModel } from "./venue/fees.ts";
import { addHalves, addProduct, addWide, mulSmall, newWide, sign, wideOf, type Wide } from "./venue/wide.ts";

const E8 = 100_000_000n;

/**
 * The orders resting at the venue, as its order table holds them
 * (venue/order-table.ts): slot s's side, and its price and open quantity as
 * i64 halves at s × 2.
 */
export interface RestingOrders {
  readonly side: Int32Array;
  readonly px: Int32Array;
  readonly qty: Int32Array;
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
  /** Capital + the ledger's cash flow (1e17) and the position (1e8) as of `syncedFills` fills. */
  private readonly cashW = newWide();
  private readonly positionW = newWide();
  private syncedFills = -1;
  /** Scratch for canPay: what is left, one order's notional, its fee. */
  private readonly left = newWide();
  private readonly notional = newWide();
  private readonly fee = newWide();

  constructor(
    /** Starting cash, USD 1e9; null: no capital given, nothing is refused for lack of funds. */
    readonly capital: bigint | null,
    private readonly ledger: Ledger,
    private readonly fees: FeeModel,
  ) {}

  /**
   * Copies cash and position from the ledger (BigInt, the fill's own
   * arithmetic): the engine calls this after each fill, so the check on the
   * next order has nothing to convert.
   */
  sync(): void {
    if (this.capital === null || this.syncedFills === this.ledger.fillCount) return;
    wideOf(this.cash(), this.cashW);
    wideOf(this.ledger.position, this.positionW);
    this.syncedFills = this.ledger.fillCount;
  }

  /** Capital − buys + sells − fees, 1e17 USD (from the ledger: nothing to do per fill). */
  private cash(): bigint {
    return (this.capital ?? 0n) * E8 + this.ledger.cashFlow();
  }

  /** One figure for the algo (the `account` import): USD 1e9, or a fee rate in 1e-4 bps. */
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
      case AccountField.MakerFeeRate:
        return this.fees.rate(Liquidity.Maker);
      case AccountField.TakerFeeRate:
        return this.fees.rate(Liquidity.Taker);
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
   * Whether the account can pay for an order of qty[qi] at px[pi] (a
   * limit's own price; a market order's, the price it would take), given the
   * orders resting in `slots` of `orders`. A buy needs qty × px plus the
   * larger of its maker and taker fee out of cash not promised to resting
   * buys; a sell, qty out of the position not offered by resting sells.
   */
  canPay(side: number, px: Int32Array, pi: number, qty: Int32Array, qi: number, orders: RestingOrders, slots: readonly number[]): boolean {
    if (this.capital === null) return true;
    this.sync(); // nothing to do when the engine synced after the last fill
    const left = this.left;
    if (side === SideCode.Buy) {
      left.set(this.cashW);
      for (const s of slots) if (orders.side[s] === SideCode.Buy) this.spend(left, orders.px, s * 2, orders.qty, s * 2);
      this.spend(left, px, pi, qty, qi);
    } else {
      left.set(this.positionW);
      for (const s of slots) if (orders.side[s] === SideCode.Sell) addHalves(left, orders.qty, s * 2, -1);
      addHalves(left, qty, qi, -1);
    }
    return sign(left) >= 0;
  }

  /** left −= what a buy of qty[qi] at px[pi] may cost, 1e17: its notional and its larger fee. */
  private spend(left: Wide, px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    const notional = this.notional;
    notional.fill(0);
    addProduct(notional, qty, qi, px, pi, 1);
    this.fees.maxFee(notional, this.fee);
    mulSmall(this.fee, 1e8); // 1e9 → 1e17
    addWide(left, notional, -1);
    addWide(left, this.fee, -1);
  }
}
