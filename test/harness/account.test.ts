// The account's funds rule against hand-worked boundaries: a buy pays its
// notional and its larger fee out of cash not promised to resting buys; a
// sell sells only what is held and not already offered.
import { describe, expect, it, vi } from "vitest";
import { Account, type RestingOrders } from "../../harness/account.ts";
import { Backtest, type BacktestOptions } from "../../harness/engine.ts";
import { AccountField, Liquidity, SideCode } from "../../harness/abi.ts";
import { Ledger } from "../../harness/ledger.ts";
import { parseFixed } from "../../harness/data/decimal.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { big, put } from "../../harness/venue/i64.ts";

const usd = (text: string) => parseFixed(text, 9);
const qty = (text: string) => parseFixed(text, 8);
const BUY = 1;
const SELL = 2;

interface Order {
  side: "buy" | "sell";
  price_1e9: bigint;
  qty_1e8: bigint;
}

/** The resting orders as the venue's order table holds them (slots 0..n−1, halves at slot × 2). */
function table(orders: readonly Order[]): { orders: RestingOrders; slots: number[] } {
  const side = new Int32Array(orders.length);
  const px = new Int32Array(orders.length * 2);
  const qty = new Int32Array(orders.length * 2);
  orders.forEach((o, s) => {
    side[s] = o.side === "buy" ? BUY : SELL;
    put(px, s * 2, o.price_1e9);
    put(qty, s * 2, o.qty_1e8);
  });
  return { orders: { side, px, qty }, slots: orders.map((_, s) => s) };
}

/** account.canPay with BigInt values, as the tests write them. */
function canPay(account: Account, side: number, price: bigint, quantity: bigint, resting: readonly Order[]): boolean {
  const h = new Int32Array(4);
  put(h, 0, price);
  put(h, 2, quantity);
  const { orders, slots } = table(resting);
  return account.canPay(side, h, 0, h, 2, orders, slots);
}

describe("Account", () => {
  // maker 2 bps, taker 5 bps: a buy is charged the taker fee, the larger.
  const fees = new BpsFees(2, 5);

  it("a buy needs its notional and fee out of the cash not promised to resting buys", () => {
    const account = new Account(usd("1000"), new Ledger(), fees);
    // 9 @ 100 = 900 + 5 bps (0.45) = 900.45 <= 1000.
    expect(canPay(account, BUY, usd("100"), qty("9"), [])).toBe(true);
    // A resting 1 @ 99.50 promises 99.50 + 0.04975 = 99.54975: 1000 − 99.54975 = 900.45025 >= 900.45.
    expect(canPay(account, BUY, usd("100"), qty("9"), [{ side: "buy", price_1e9: usd("99.50"), qty_1e8: qty("1") }])).toBe(true);
    // At 99.51 it promises 99.51 + 0.049755 = 99.559755: 900.440245 left < 900.45.
    expect(canPay(account, BUY, usd("100"), qty("9"), [{ side: "buy", price_1e9: usd("99.51"), qty_1e8: qty("1") }])).toBe(false);
    // Resting sells promise no cash.
    expect(canPay(account, BUY, usd("100"), qty("9"), [{ side: "sell", price_1e9: usd("200"), qty_1e8: qty("5") }])).toBe(true);
  });

  it("a sell sells only what is held and not already offered (no shorting)", () => {
    const ledger = new Ledger();
    const account = new Account(usd("1000"), ledger, fees);
    expect(canPay(account, SELL, usd("100"), qty("0.00000001"), [])).toBe(false);
    ledger.applyFill(SideCode.Buy, usd("100"), qty("2"), usd("0.1"));
    expect(canPay(account, SELL, usd("100"), qty("2"), [])).toBe(true);
    expect(canPay(account, SELL, usd("100"), qty("2"), [{ side: "sell", price_1e9: usd("110"), qty_1e8: qty("0.5") }])).toBe(false);
    expect(canPay(account, SELL, usd("100"), qty("1.5"), [{ side: "sell", price_1e9: usd("110"), qty_1e8: qty("0.5") }])).toBe(true);
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
    expect(canPay(free, SELL, usd("100"), qty("1000"), [])).toBe(true);
    expect(canPay(free, BUY, usd("100"), qty("1000000"), [])).toBe(true);
    expect(free.summary()).toBeNull();
  });

  it("without capital the venue never consults the account (no BigInt per order); with capital every order is checked", () => {
    const original = Account.prototype.canPay;
    const asked: Array<[number, bigint, bigint]> = [];
    const spy = vi.spyOn(Account.prototype, "canPay").mockImplementation(function (this: Account, ...args) {
      const [side, px, pi, q, qi] = args;
      asked.push([side, big(px, pi), big(q, qi)]); // read now: the venue reuses its arrays
      return original.apply(this, args);
    });
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
    expect(asked).toEqual([
      [BUY, usd("100"), qty("1")],
      [SELL, usd("101"), qty("1")],
    ]);
    expect([funded.recorder.counters.ordersAccepted, funded.recorder.counters.rejects]).toEqual([1, { insufficient_funds: 1 }]);
    spy.mockRestore();
  });

  it("decides as the BigInt rule does, on negative prices, rebates and sizes past 2^62, after fills", () => {
    // The rule in BigInt (docs/backtesting.md, "Account"), written out here as the reference.
    const E8 = 100_000_000n;
    const reference = (capital: bigint, ledger: Ledger, fees: BpsFees, side: number, px: bigint, q: bigint, resting: readonly Order[]) => {
      const cost = (q: bigint, p: bigint) => {
        const maker = fees.fee(q, p, Liquidity.Maker);
        const taker = fees.fee(q, p, Liquidity.Taker);
        return q * p + (maker > taker ? maker : taker) * E8;
      };
      if (side === BUY) {
        const promised = resting.filter((o) => o.side === "buy").reduce((sum, o) => sum + cost(o.qty_1e8, o.price_1e9), 0n);
        return cost(q, px) <= capital * E8 + ledger.cashFlow() - promised;
      }
      const offered = resting.filter((o) => o.side === "sell").reduce((sum, o) => sum + o.qty_1e8, 0n);
      return q <= ledger.position - offered;
    };
    let seed = 0x5eedn;
    const next = (bits: number) => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      return seed >> BigInt(64 - bits);
    };
    const signed = (bits: number) => (next(1) === 1n ? -next(bits) : next(bits));
    const wrong: string[] = [];
    let decided = [0, 0];
    for (const [maker, taker] of [[0, 0], [-1, 5], [2.5, 0.07], [-10000, 10000], [3, -2]]) {
      const fees = new BpsFees(maker, taker);
      for (let run = 0; run < 20; run++) {
        const capital = next(50);
        const ledger = new Ledger();
        const account = new Account(capital, ledger, fees);
        for (let step = 0; step < 60; step++) {
          if (step % 10 === 9) {
            ledger.applyFill(next(1) === 1n ? SideCode.Buy : SideCode.Sell, signed(40), next(36) + 1n, signed(20));
            if (next(1) === 1n) account.sync(); // or left for canPay to notice
          }
          const size = [20, 36, 62][Number(next(2) % 3n)];
          const resting: Order[] = Array.from({ length: Number(next(2)) }, () => ({ side: next(1) === 1n ? "buy" : "sell", price_1e9: signed(40), qty_1e8: next(size) + 1n }));
          const side = next(1) === 1n ? BUY : SELL;
          const px = signed(size === 62 ? 62 : 40);
          const q = next(size) + 1n;
          const got = canPay(account, side, px, q, resting);
          const want = reference(capital, ledger, fees, side, px, q, resting);
          decided[want ? 1 : 0]++;
          if (got !== want) wrong.push(`${side === BUY ? "buy" : "sell"} ${q} @ ${px} with ${resting.length} resting: ${got}, expected ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(Math.min(...decided)).toBeGreaterThan(500); // both answers were exercised
  });

  it("checks an order without reading the ledger: cash and position are copied once per fill", () => {
    const ledger = new Ledger();
    const account = new Account(usd("1000"), ledger, fees);
    const cashFlow = vi.spyOn(ledger, "cashFlow");
    ledger.applyFill(SideCode.Buy, usd("100"), qty("2"), usd("0.1"));
    account.sync();
    expect(cashFlow).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) expect(canPay(account, BUY, usd("100"), qty("7.99"), [])).toBe(true); // 799.9 − 799 − 0.3995 ≥ 0
    expect(canPay(account, BUY, usd("100"), qty("8"), [])).toBe(false);
    expect(cashFlow).toHaveBeenCalledTimes(1);
  });
});
