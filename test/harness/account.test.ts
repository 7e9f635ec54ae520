// The account's funds rule against hand-worked boundaries: a buy pays its
// notional and its larger fee out of cash not promised to resting buys; a
// sell sells only what is held and not already offered.
import { describe, expect, it, vi } from "vitest";
import { Account } from "../../harness/account.ts";
import { Backtest, type BacktestOptions } from "../../harness/engine.ts";
import { AccountField, SideCode } from "../../harness/abi.ts";
import { Ledger } from "../../harness/ledger.ts";
import { parseFixed } from "../../harness/data/decimal.ts";
import { BpsFees } from "../../harness/venue/fees.ts";

const usd = (text: string) => parseFixed(text, 9);
const qty = (text: string) => parseFixed(text, 8);
const BUY = 1;
const SELL = 2;

describe("Account", () => {
  // maker 2 bps, taker 5 bps: a buy is charged the taker fee, the larger.
  const fees = new BpsFees(2, 5);

  it("a buy needs its notional and fee out of the cash not promised to resting buys", () => {
    const account = new Account(usd("1000"), new Ledger(), fees);
    // 9 @ 100 = 900 + 5 bps (0.45) = 900.45 <= 1000.
    expect(account.canPay(BUY, usd("100"), qty("9"), [])).toBe(true);
    // A resting 1 @ 99.50 promises 99.50 + 0.04975 = 99.54975: 1000 − 99.54975 = 900.45025 >= 900.45.
    expect(account.canPay(BUY, usd("100"), qty("9"), [{ side: "buy", price_1e9: usd("99.50"), qty_1e8: qty("1") }])).toBe(true);
    // At 99.51 it promises 99.51 + 0.049755 = 99.559755: 900.440245 left < 900.45.
    expect(account.canPay(BUY, usd("100"), qty("9"), [{ side: "buy", price_1e9: usd("99.51"), qty_1e8: qty("1") }])).toBe(false);
    // Resting sells promise no cash.
    expect(account.canPay(BUY, usd("100"), qty("9"), [{ side: "sell", price_1e9: usd("200"), qty_1e8: qty("5") }])).toBe(true);
  });

  it("a sell sells only what is held and not already offered (no shorting)", () => {
    const ledger = new Ledger();
    const account = new Account(usd("1000"), ledger, fees);
    expect(account.canPay(SELL, usd("100"), qty("0.00000001"), [])).toBe(false);
    ledger.applyFill(SideCode.Buy, usd("100"), qty("2"), usd("0.1"));
    expect(account.canPay(SELL, usd("100"), qty("2"), [])).toBe(true);
    expect(account.canPay(SELL, usd("100"), qty("2"), [{ side: "sell", price_1e9: usd("110"), qty_1e8: qty("0.5") }])).toBe(false);
    expect(account.canPay(SELL, usd("100"), qty("1.5"), [{ side: "sell", price_1e9: usd("110"), qty_1e8: qty("0.5") }])).toBe(true);
  });

  it("reads cash and equity exactly; without capital it refuses nothing", () => {
    const ledger = new Ledger();
    const account = new Account(usd("1000"), ledger, fees);
    ledger.applyFill(SideCode.Buy, usd("100"), qty("2"), usd("0.1"));
    ledger.markTo(usd("103"));
    // cash 1000 − 200 − 0.1 = 799.9; equity 1000 + 2 × 3 − 0.1 = 1005.9.
    expect(account.read(AccountField.Cash)).toBe(usd("799.9"));
    expect(account.read(AccountField.Equity)).toBe(usd("1005.9"));
    expect(account.read(AccountField.UnrealizedPnl)).toBe(usd("6"));
    expect(account.read(AccountField.Capital)).toBe(usd("1000"));
    expect(account.summary()?.return_pct_1e6).toBe(590_000n); // 5.9 / 1000 = 0.59 %
    const free = new Account(null, new Ledger(), fees);
    expect(free.canPay(SELL, usd("100"), qty("1000"), [])).toBe(true);
    expect(free.canPay(BUY, usd("100"), qty("1000000"), [])).toBe(true);
    expect(free.summary()).toBeNull();
  });

  it("without capital the venue never consults the account (no BigInt per order); with capital every order is checked", () => {
    const spy = vi.spyOn(Account.prototype, "canPay");
    // The engine is driven through its venue only: no module runs.
    const engine = (capital?: bigint) => new Backtest({ capitalUsd_1e9: capital } as unknown as BacktestOptions);
    const placeTwo = (bt: Backtest) => {
      bt.venue.submit(0n, BUY, usd("100"), qty("1"), 0);
      bt.venue.submit(0n, SELL, usd("101"), qty("1"), 0);
      while (bt.venue.arriveNext(0n));
      return bt;
    };
    const free = placeTwo(engine());
    expect(free.canPay).toBeUndefined();
    expect(spy).not.toHaveBeenCalled();
    expect(free.recorder.counters.ordersAccepted).toBe(2);
    // $150 pays for the buy ($100, no fees set); nothing is held, so the sell is refused.
    const funded = placeTwo(engine(usd("150")));
    expect(spy.mock.calls.map(([side, px, q]) => [side, px, q])).toEqual([
      [BUY, usd("100"), qty("1")],
      [SELL, usd("101"), qty("1")],
    ]);
    expect([funded.recorder.counters.ordersAccepted, funded.recorder.counters.rejects]).toEqual([1, { insufficient_funds: 1 }]);
    spy.mockRestore();
  });
});
