// The venue works on i64 halves (venue/i64.ts), not BigInt: exact over the
// whole i64 range. The helpers against BigInt, then hand-worked fills with
// sizes and prices far beyond 2^53 and with negative prices.
import { describe, expect, it } from "vitest";
import { add, big, divisible, floorMid, fromNumber, le, lt, mulDivCeil, neg, put, sub, toNumber } from "../../harness/venue/i64.ts";
import { ProbQueue, RiskAverseQueue } from "../../harness/venue/queue.ts";
import { BUY, IOC, SELL, VenueDriver } from "./venue-driver.ts";

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const wrap = (v: bigint) => BigInt.asIntN(64, v);
/** ⌊v / 2⌋ (BigInt division truncates toward zero). */
const floorHalf = (v: bigint) => (v >= 0n || v % 2n === 0n ? v / 2n : v / 2n - 1n);

describe("i64 halves", () => {
  // Edges of each half and of the whole range, and values around 2^53.
  const edges = [0n, 1n, -1n, 2n, -2n, 0xffffffffn, 0x100000000n, -0x100000000n, (1n << 53n) + 1n, -(1n << 53n) - 1n, 1n << 62n, -(1n << 62n), MAX, MIN, MAX - 1n, MIN + 1n];
  let x = 0x2545f491n;
  const random = Array.from({ length: 200 }, () => {
    x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return BigInt.asIntN(64, x);
  });
  const values = [...edges, ...random];

  it("compare, add, subtract and halve a sum exactly as BigInt does", () => {
    const r = new Int32Array(6);
    const wrong: string[] = [];
    const check = (what: string, got: unknown, want: unknown, a: bigint, b: bigint) => {
      if (got !== want) wrong.push(`${what}(${a}, ${b}) = ${got}, expected ${want}`);
    };
    for (const a of values)
      for (const b of values) {
        put(r, 0, a);
        put(r, 2, b);
        check("big∘put", big(r, 0), a, a, b);
        check("lt", lt(r, 0, r, 2), a < b, a, b);
        add(r, 4, r, 0, r, 2);
        check("add", big(r, 4), wrap(a + b), a, b);
        sub(r, 4, r, 0, r, 2);
        check("sub", big(r, 4), wrap(a - b), a, b);
        floorMid(r, 4, r, 0, r, 2); // the sum may pass 2^63; its half never does
        check("floorMid", big(r, 4), floorHalf(a + b), a, b);
      }
    expect(wrong).toEqual([]);
  });

  it("negate, compare (≤), and convert to and from numbers as BigInt does", () => {
    const r = new Int32Array(4);
    const wrong: string[] = [];
    for (const a of values) {
      put(r, 0, a);
      neg(r, 2, r, 0);
      if (big(r, 2) !== wrap(-a)) wrong.push(`neg(${a}) = ${big(r, 2)}`);
      if (toNumber(r, 0) !== Number(a)) wrong.push(`toNumber(${a}) = ${toNumber(r, 0)}`);
      for (const b of edges) {
        put(r, 2, b);
        if (le(r, 0, r, 2) !== a <= b) wrong.push(`le(${a}, ${b})`);
      }
    }
    for (const n of [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, 2 ** 53, -(2 ** 53), 123456789012345, -987654321098])
      (fromNumber(r, 0, n), big(r, 0) !== BigInt(n) && wrong.push(`fromNumber(${n}) = ${big(r, 0)}`));
    expect(wrong).toEqual([]);
  });

  it("divisible: |a| mod m === 0 (BigInt %) for small and wide m, negatives and −2^63 included", () => {
    const r = new Int32Array(4);
    const wrong: string[] = [];
    // 10^7 (a 0.01 tick at 1e9) is on the 16-bit-limb path; 2^37 and above on the long division.
    const divisors = [1n, 2n, 3n, 7n, 10_000_000n, 1_000_000_000n, (1n << 37n) - 1n, 1n << 37n, (1n << 37n) + 1n, 1n << 62n, (1n << 62n) + 1n, MAX, 1n << 32n, 0xffffffffn];
    const multiples = divisors.flatMap((m) => [m, -m, m * 3n, -(m * 5n), m * 7n + 1n].filter((v) => v >= MIN && v <= MAX));
    for (const m of divisors) {
      put(r, 2, m);
      for (const a of [...values, ...multiples]) {
        put(r, 0, a);
        const want = a % m === 0n;
        if (divisible(r, 0, r, 2) !== want) wrong.push(`divisible(${a}, ${m}) should be ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("mulDivCeil: ⌈|a| × mul / div⌉ modulo 2^64, as BigInt with wrapping", () => {
    const r = new Int32Array(4);
    const wrong: string[] = [];
    const abs = (v: bigint) => (v < 0n ? -v : v);
    for (const a of values)
      for (const [mul, div] of [[0, 10_000], [1, 10_000], [10, 10_000], [9_999, 10_000], [999_999, 10_000], [2 ** 21 - 1, 1], [3, 7], [1, 2 ** 21 - 1]]) {
        put(r, 0, a);
        mulDivCeil(r, 2, r, 0, mul, div);
        const p = abs(a) * BigInt(mul);
        const want = wrap(p / BigInt(div) + (p % BigInt(div) === 0n ? 0n : 1n));
        if (big(r, 2) !== want) wrong.push(`⌈|${a}| × ${mul} / ${div}⌉ = ${big(r, 2)}, expected ${want}`);
      }
    expect(wrong).toEqual([]);
  });
});

// Prices 1e9, sizes 1e8 (venue-driver.ts). 2^62 (1e8) = 46116860184.27387904 units;
// 2^60 (1e9) = 1152921504.606846976 USD.
const Q62 = "46116860184.27387904";
const P60 = "1152921504.606846976";
const P60_UP = "1152921504.606846977"; // 2^60 + 1 (1e9)

describe("fills beyond 2^53", () => {
  it("a resting bid of 2^62 at 2^60 fills against the ask reaching it, shares what was taken, then a trade through", () => {
    const d = new VenueDriver();
    d.quote(1000, "1", "1", P60_UP, "1"); // ask 2^60 + 1: above the bid
    d.place(BUY, P60, Q62); // #1 rests: 2^62 at 2^60
    // The ask comes down to 2^60 with 2^62 − 1 shown: that much fills at the bid's price, 1 stays open.
    d.quote(2000, "1", "1", P60, "46116860184.27387903");
    // The same ask again: what #1 took stays taken (nothing more fills).
    d.quote(3000, "1", "1", P60, "46116860184.27387903");
    // A trade of 5 through the bid (2^60 − 1) fills the last unit.
    d.trade(4000, "1152921504.606846975", "0.00000005");
    expect(d.events).toEqual([
      "1000 accepted #1 qty 4611686018427387904",
      "2000 fill #1 buy 4611686018427387903 @ 1152921504606846976 fee 0 maker",
      "4000 fill #1 buy 1 @ 1152921504606846976 fee 0 maker",
    ]);
    expect(d.venue.openOrderCount).toBe(0);
  });

  it("an IOC sell of 2^62 + 2^61 against a bid of 2^62 at 2^60 + 1 fills 2^62 and cancels 2^61", () => {
    const d = new VenueDriver();
    d.quote(1000, P60_UP, Q62, "2000000000", "1");
    d.place(SELL, P60, "69175290276.41081856", IOC); // 3 × 2^61
    expect(d.events).toEqual([
      "1000 accepted #1 qty 6917529027641081856",
      "1000 fill #1 sell 4611686018427387904 @ 1152921504606846977 fee 0 taker",
      "1000 cancelled #1 unfillable qty 2305843009213693952",
    ]);
  });

  it("marks the mid of two prices whose sum passes 2^63 exactly (rounded down), not through a double", () => {
    const d = new VenueDriver();
    // bid 2^62 + 1, ask 2^62 + 2 (1e9): the sum is 2^63 + 3, the mid 2^62 + 1.
    d.quote(1000, "4611686018.427387905", "1", "4611686018.427387906", "1");
    expect(d.venue.mark).toBe((1n << 62n) + 1n);
  });
});

describe("negative prices", () => {
  it("a resting sell at −37.63 fills as maker when the bid reaches it; a market buy takes the ask at −37.64", () => {
    const d = new VenueDriver();
    d.quote(1000, "-37.70", "3", "-37.60", "3");
    d.place(SELL, "-37.63", "2"); // rests: below the ask, above the bid
    d.quote(2000, "-37.62", "1", "-37.60", "3"); // the bid −37.62 ≥ −37.63: 1 shown, 1 fills at −37.63
    d.quote(3000, "-37.80", "1", "-37.64", "4");
    d.place(BUY, "market", "1"); // takes 1 at the ask −37.64 (not at $0)
    d.trade(4000, "-37.50", "5"); // a print above the rest of the sell at −37.63 fills it
    expect(d.events).toEqual([
      "1000 accepted #1 qty 200000000",
      "2000 fill #1 sell 100000000 @ -37630000000 fee 0 maker",
      "3000 accepted #2 qty 100000000",
      "3000 fill #2 buy 100000000 @ -37640000000 fee 0 taker",
      "4000 fill #1 sell 100000000 @ -37630000000 fee 0 maker",
    ]);
    expect(d.venue.mark).toBe(-37_500_000_000n); // the last trade
  });
});

describe("rules and queue models on halves, beyond 2^53", () => {
  it("minimum notional: |price| × size passes 2^64 and is compared exactly (equal passes, one unit more is refused)", () => {
    // A bid of 100 units at −2^60 and at 2^60: |px| × qty = 2^60 × 10^10 (1e17), ≈ 1.2e28 > 2^64.
    // Notional = 2^60 × 10^10 / 10^8 = 2^60 × 100 = 115292150460684697600 (USD 1e9).
    const atMin = new VenueDriver({ rules: { instrument: { tickPx: 0n, lotQty: 0n, minNotional: 115_292_150_460_684_697_600n } } });
    atMin.place(BUY, P60, "100");
    atMin.place(BUY, "-" + P60, "100");
    const above = new VenueDriver({ rules: { instrument: { tickPx: 0n, lotQty: 0n, minNotional: 115_292_150_460_684_697_601n } } });
    above.place(BUY, "-" + P60, "100");
    expect(atMin.events).toEqual(["0 accepted #1 qty 10000000000", "0 accepted #2 qty 10000000000"]);
    expect(above.events).toEqual(["0 rejected #1 min_notional qty 10000000000"]);
  });

  it("tick and lot: a negative price on the tick passes, off it is refused; a size of 2^62 is a multiple of 2^31, not of 3", () => {
    const tick = new VenueDriver({ rules: { instrument: { tickPx: 10_000_000n, lotQty: 0n, minNotional: 0n } } }); // 0.01
    tick.place(SELL, "-37.63", "1");
    tick.place(SELL, "-37.635", "1");
    expect(tick.events).toEqual(["0 accepted #1 qty 100000000", "0 rejected #2 tick_size qty 100000000"]);
    const lot = (lotQty: bigint) => new VenueDriver({ rules: { instrument: { tickPx: 0n, lotQty, minNotional: 0n } } });
    const whole = lot(1n << 31n); // 2^62 = 2^31 × 2^31
    whole.place(BUY, "1", Q62);
    const thirds = lot(300_000_000n); // 3 units: 2^62 mod (3 × 10^8) = 4611686018427387904 mod 300000000 = 27387904
    thirds.place(BUY, "1", Q62);
    expect(whole.events).toEqual(["0 accepted #1 qty 4611686018427387904"]);
    expect(thirds.events).toEqual(["0 rejected #1 lot_size qty 4611686018427387904"]);
  });

  it("impact on negative prices: the move is |price| × bps / 10 000, rounded against the order", () => {
    // impact:10. Ask −37.620000001 × 1: buy 3 → 1 there, 2 at −37.620000001 + ⌈37620000001 × 10 / 10000⌉ (1e9)
    // = −37620000001 + ⌈37620000.001⌉ = −37620000001 + 37620001 = −37582380000.
    // Bid −37.63 × 1: sell 2 → 1 there, 1 at −37630000000 − 37630000 = −37667630000.
    const d = new VenueDriver({ rules: { marketRemainder: { rule: "impact", bps: 10 } } });
    d.quote(1000, "-37.63", "1", "-37.620000001", "1");
    d.place(BUY, "market", "3");
    d.place(SELL, "market", "2");
    expect(d.events.filter((e) => e.includes("fill"))).toEqual([
      "1000 fill #1 buy 100000000 @ -37620000001 fee 0 taker",
      "1000 fill #1 buy 200000000 @ -37582380000 fee 0 taker",
      "1000 fill #2 sell 100000000 @ -37630000000 fee 0 taker",
      "1000 fill #2 sell 100000000 @ -37667630000 fee 0 taker",
    ]);
  });

  it("risk-averse queue: 2^62 ahead, a print of 2^62 − 1 reaches nothing, the next print of 5 brings 4", () => {
    const q = new RiskAverseQueue();
    const v = new Int32Array(8);
    put(v, 0, 1n << 62n);
    q.onNew(7, v, 0);
    put(v, 2, (1n << 62n) - 1n);
    q.onTrade(7, v, 2, v, 4);
    expect(big(v, 4)).toBe(0n);
    put(v, 2, 5n);
    q.onTrade(7, v, 2, v, 4);
    expect(big(v, 4)).toBe(4n);
    q.onTrade(7, v, 2, v, 4); // nothing ahead now: all 5 reach it
    expect(big(v, 4)).toBe(5n);
  });

  it("prob queue: a shrink of 2^62 that one print of 2^61 half explains is a cancel of 2^61, drawn ahead", () => {
    const asked: number[] = [];
    const q = new ProbQueue({ chance: (p) => (asked.push(p), false) }); // drawn ahead
    const v = new Int32Array(8);
    put(v, 0, 1n << 61n); // 2^61 ahead
    q.onNew(3, v, 0);
    put(v, 2, 1n << 59n); // a print of 2^59 at its price: 2^61 − 2^59 ahead
    q.onTrade(3, v, 2, v, 4);
    expect(big(v, 4)).toBe(0n);
    put(v, 0, (1n << 62n) + (1n << 61n)); // the level: 3 × 2^61 → 2^61 (shrank 2^62; 2^59 of it printed)
    put(v, 2, 1n << 61n);
    q.onDepth(3, v, 0, v, 2);
    // front 2^61 − 2^59 = 3 × 2^59, back 3 × 2^61 − 3 × 2^59 = 9 × 2^59: p = 81 / (81 + 9) = 0.9.
    expect(asked).toEqual([0.9]);
    // Ahead: 3 × 2^59 − (2^62 − 2^59) < 0 → 0; a print of 1 reaches the order whole.
    put(v, 2, 1n);
    q.onTrade(3, v, 2, v, 4);
    expect(big(v, 4)).toBe(1n);
  });
});
