// The ledger against hand-worked cases: partial closes, flips, shorts, fees.
import { describe, expect, it } from "vitest";
import { Ledger, pnlSummary } from "../../harness/ledger.ts";
import { Liquidity, SideCode } from "../../harness/abi.ts";
import { formatFixed, parseFixed } from "../../harness/data/decimal.ts";
import { divRound } from "../../harness/fixed.ts";
import { Params } from "../../harness/params.ts";
import { BpsFees } from "../../harness/venue/fees.ts";

const px = (text: string) => parseFixed(text, 9);
const qty = (text: string) => parseFixed(text, 8);

describe("Ledger", () => {
  it("knows the cash its fills moved, exactly, through a rounded partial close and a flip", () => {
    const l = new Ledger();
    l.applyFill(SideCode.Buy, px("100"), qty("3"), px("0.1")); // −300 − 0.1
    l.applyFill(SideCode.Sell, px("101"), qty("1"), 0n); // +101; the closed third of the cost (100) is exact
    l.applyFill(SideCode.Buy, px("100.01"), qty("1"), 0n); // −100.01 → 3 held at cost 300.01: a third is 100.00333…
    l.applyFill(SideCode.Sell, px("99"), qty("1"), 0n); // +99; the cost share is rounded, the cash is not
    l.applyFill(SideCode.Sell, px("98"), qty("3"), px("0.2")); // +294 − 0.2: closes 2, opens a short of 1
    // cash = −300 + 101 − 100.01 + 99 + 294 − 0.1 − 0.2 = 93.69 exactly (at 1e17)
    expect(l.cashFlow()).toBe(9369n * 10n ** 15n);
    expect(l.position).toBe(-qty("1"));
  });

  it("realizes PnL on a partial close at the average cost", () => {
    const l = new Ledger();
    l.applyFill(SideCode.Buy, px("100"), qty("1"), 0n);
    l.applyFill(SideCode.Buy, px("103"), qty("2"), 0n); // 3 @ avg 102
    l.applyFill(SideCode.Sell, px("110"), qty("1.5"), 0n); // closes 1.5: (110 − 102) × 1.5 = 12
    l.markTo(px("104"));
    const s = l.snapshot();
    expect(s.position_1e8).toBe(qty("1.5"));
    expect(s.avg_entry_1e9).toBe(px("102"));
    expect(s.realized_pnl_1e9).toBe(px("12"));
    expect(s.unrealized_pnl_1e9).toBe(px("3")); // (104 − 102) × 1.5
  });

  it("flips from long to short and opens the rest at the fill price", () => {
    const l = new Ledger();
    l.applyFill(SideCode.Buy, px("50"), qty("2"), 0n);
    l.applyFill(SideCode.Sell, px("55"), qty("5"), 0n); // closes 2 (+10), opens short 3 @ 55
    l.markTo(px("53"));
    const s = l.snapshot();
    expect(s.position_1e8).toBe(qty("-3"));
    expect(s.avg_entry_1e9).toBe(px("55"));
    expect(s.realized_pnl_1e9).toBe(px("10"));
    expect(s.unrealized_pnl_1e9).toBe(px("6")); // short 3 from 55 to 53
  });

  it("rounds a non-terminating average half-even and keeps the position's cost exact", () => {
    const l = new Ledger();
    l.applyFill(SideCode.Buy, px("1"), qty("1"), 0n);
    l.applyFill(SideCode.Buy, px("2"), qty("1"), 0n);
    l.applyFill(SideCode.Buy, px("2"), qty("1"), 0n); // avg 5/3
    expect(l.snapshot().avg_entry_1e9).toBe(1_666_666_667n);
    l.applyFill(SideCode.Sell, px("2"), qty("3"), 0n); // closing everything uses the whole cost: exactly +1
    expect(l.snapshot().realized_pnl_1e9).toBe(px("1"));
  });

  it("states the open position's signed cost basis, rounded once, and leaves it out of the report's pnl", () => {
    const l = new Ledger();
    l.applyFill(SideCode.Buy, px("1"), qty("1"), 0n);
    l.applyFill(SideCode.Buy, px("2"), qty("2"), 0n); // 3 held at cost 5
    l.applyFill(SideCode.Sell, px("3"), qty("1"), 0n); // closes a third: 5 × 2/3 = 3.333333333 33… left (exact at 1e17)
    expect(l.snapshot().cost_1e9).toBe(3_333_333_333n); // half-even at 1e-9, not position × the rounded average (2 × 1.666666667)
    l.applyFill(SideCode.Sell, px("4"), qty("5"), 0n); // closes 2, opens a short of 3 @ 4: cost −12
    const s = l.snapshot();
    expect(s.cost_1e9).toBe(-px("12"));
    expect(Object.keys(pnlSummary(s))).toEqual([
      "position_1e8", "avg_entry_1e9", "mark_1e9", "realized_pnl_1e9", "unrealized_pnl_1e9", "fees_1e9",
      "net_pnl_1e9", "max_drawdown_1e9", "volume_1e8", "notional_1e9",
    ]);
  });

  it("tracks drawdown from the equity peak, fees included", () => {
    const l = new Ledger();
    l.applyFill(SideCode.Buy, px("10"), qty("1"), px("0.01"));
    l.markTo(px("12")); // equity 1.99: the peak
    l.markTo(px("9")); // equity −1.01
    l.markTo(px("11"));
    expect(l.snapshot().max_drawdown_1e9).toBe(px("3"));
    expect(l.snapshot().net_pnl_1e9).toBe(px("0.99"));
  });
});

describe("exact helpers", () => {
  it("divides with every rounding mode", () => {
    const cases: Array<[bigint, bigint, Record<string, bigint>]> = [
      [7n, 2n, { down: 3n, up: 4n, floor: 3n, ceil: 4n, "half-up": 4n, "half-even": 4n }],
      [5n, 2n, { down: 2n, up: 3n, floor: 2n, ceil: 3n, "half-up": 3n, "half-even": 2n }],
      [-5n, 2n, { down: -2n, up: -3n, floor: -3n, ceil: -2n, "half-up": -3n, "half-even": -2n }],
      [-7n, 3n, { down: -2n, up: -3n, floor: -3n, ceil: -2n, "half-up": -2n, "half-even": -2n }],
    ];
    for (const [a, b, want] of cases)
      for (const [mode, v] of Object.entries(want)) expect(divRound(a, b, mode as never), `${a}/${b} ${mode}`).toBe(v);
    expect(() => divRound(1n, 0n, "down")).toThrow(/division by zero/);
  });

  it("parses and formats decimals exactly", () => {
    expect(parseFixed("1455.219971", 9)).toBe(1_455_219_971_000n);
    expect(formatFixed(-1_500_000_000n, 9, 2)).toBe("-1.50");
    expect(() => parseFixed("0.123", 2)).toThrow(/expected a decimal number with at most 2 decimal places, got "0.123"/);
  });

  it("charges fees rounded up, rebates rounded toward zero", () => {
    const fees = new BpsFees("-0.5", "2.5");
    // 0.00000001 × 1.000000001 × 2.5 bps = 2.500000025e-12 USD → 1 nano-dollar when rounded up
    expect(fees.fee(1n, 1_000_000_001n, Liquidity.Taker)).toBe(1n);
    // the rebate −2.500000005e-13 rounds toward zero → 0
    expect(fees.fee(1n, 1_000_000_001n, Liquidity.Maker)).toBe(0n);
    expect(fees.fee(qty("3"), px("2000"), Liquidity.Taker)).toBe(px("1.5")); // 6000 × 2.5 bps
    expect(() => new BpsFees("1.23456", "0")).toThrow(/at most 4 decimals/);
  });
});

describe("Params", () => {
  it("reads values at the requested scale, records defaults and flags unused names", () => {
    const p = Params.parse(["size=0.5", "window=20", "typo=1"]);
    expect(p.read("size", 100_000_000n, 8)).toBe(50_000_000n);
    expect(p.read("window", 10n, 0)).toBe(20n);
    expect(p.read("edge", 7n, 9)).toBe(7n);
    expect(p.unused()).toEqual(["typo"]);
    expect(p.summary()).toEqual({
      edge: { value: "0.000000007", default: true },
      size: { value: "0.5", default: false },
      window: { value: "20", default: false },
    });
  });

  it("fails with the parameter's name on a bad value", () => {
    expect(() => Params.parse(["window=2.5"]).read("window", 1n, 0)).toThrow(/param window=2\.5: expected a whole number/);
    expect(() => Params.parse(["novalue"])).toThrow(/expected name=value/);
  });
});

describe("toExactJson", () => {
  it("writes bigints as exact integers and leaves strings alone", async () => {
    const { toExactJson } = await import("../../harness/report/json.ts");
    const text = toExactJson({ a_1e9: 9007199254740993n, message: "\u00000\u0000", n: 1.5 }, 0);
    expect(text).toBe('{"a_1e9":9007199254740993,"message":"\\u00000\\u0000","n":1.5}');
  });
});
