// Wide integers (venue/wide.ts) carry the per-order checks whose products
// pass i64 (minimum notional, the account's funds) without BigInt. Each
// operation against BigInt on values at the edges of i64 and past 2^128.
import { describe, expect, it } from "vitest";
import { put } from "../../harness/venue/i64.ts";
import { addHalves, addProduct, addWide, bigOf, divCeil, mulSmall, negate, newWide, productBelow, sign, wideLess, wideOf } from "../../harness/venue/wide.ts";

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const edges = [0n, 1n, -1n, 2n, -2n, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, -0x100000000n, (1n << 53n) + 1n, -(1n << 53n) - 1n, 1n << 62n, -(1n << 62n), MAX, MIN, MAX - 1n, MIN + 1n];
let x = 0x9e3779b9n;
const random = Array.from({ length: 120 }, () => {
  x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
  return BigInt.asIntN(64, x) >> BigInt(Number(x & 63n)); // all magnitudes, both signs
});
const values = [...edges, ...random];
/** ⌈a / d⌉ for d > 0 (BigInt division truncates toward zero). */
const ceilDiv = (a: bigint, d: bigint) => (a > 0n && a % d !== 0n ? a / d + 1n : a / d);
const signOf = (v: bigint) => (v < 0n ? -1 : v > 0n ? 1 : 0);

describe("wide integers", () => {
  it("round-trip BigInt values up to ±2^190", () => {
    const wrong: string[] = [];
    for (const v of [...values, 1n << 127n, -(1n << 127n), (1n << 190n) - 1n, -(1n << 190n), MAX * MAX, MIN * MAX]) {
      if (bigOf(wideOf(v)) !== v) wrong.push(String(v));
    }
    expect(wrong).toEqual([]);
  });

  it("add signed products and i64 values exactly, and know their sign", () => {
    const h = new Int32Array(4);
    const wrong: string[] = [];
    for (const a of values)
      for (const b of values.slice(0, 50)) {
        put(h, 0, a);
        put(h, 2, b);
        const w = wideOf(7n - (1n << 100n));
        addProduct(w, h, 0, h, 2, 1);
        addHalves(w, h, 2, -1);
        const want = 7n - (1n << 100n) + a * b - b;
        if (bigOf(w) !== want || sign(w) !== signOf(want)) wrong.push(`${a} × ${b}`);
        addProduct(w, h, 0, h, 2, -1);
        addHalves(w, h, 2, 1);
        addWide(w, wideOf(1n << 100n), 1);
        if (bigOf(w) !== 7n || sign(w) !== 1) wrong.push(`back from ${a} × ${b}`);
      }
    expect(wrong).toEqual([]);
  });

  it("multiply by a fee rate and divide rounding toward +∞, as the fee model's BigInt does", () => {
    const h = new Int32Array(4);
    const wrong: string[] = [];
    for (const a of values)
      for (const b of values.slice(0, 40))
        for (const rate of [0, 1, -1, 700, 50_000, -20_000, 100_000_000, -100_000_000]) {
          put(h, 0, a);
          put(h, 2, b);
          const w = newWide();
          addProduct(w, h, 0, h, 2, 1);
          mulSmall(w, rate);
          divCeil(w, 1e8);
          divCeil(w, 1e8);
          const want = ceilDiv(a * b * BigInt(rate), 10n ** 16n);
          if (bigOf(w) !== want) wrong.push(`⌈${a} × ${b} × ${rate} / 1e16⌉ = ${bigOf(w)}, expected ${want}`);
        }
    expect(wrong).toEqual([]);
  });

  it("compare and negate", () => {
    const wrong: string[] = [];
    const wides = [...values, 1n << 126n, -(1n << 126n), (1n << 126n) + 1n];
    for (const a of wides)
      for (const b of wides.slice(0, 40)) {
        if (wideLess(wideOf(a), wideOf(b)) !== a < b) wrong.push(`${a} < ${b}`);
      }
    for (const a of wides) {
      const w = wideOf(a);
      negate(w);
      if (bigOf(w) !== -a) wrong.push(`−${a}`);
    }
    expect(wrong).toEqual([]);
  });

  it("productBelow: |a| × |b| < bound, beyond what a double or an i64 holds", () => {
    const r = new Int32Array(4);
    const wrong: string[] = [];
    const abs = (v: bigint) => (v < 0n ? -v : v);
    for (const a of edges)
      for (const b of values.slice(0, 60)) {
        const product = abs(a) * abs(b);
        put(r, 0, a);
        put(r, 2, b);
        for (const bound of [0n, 1n, product, product + 1n, product > 0n ? product - 1n : 0n, 10n * 100_000_000n, 1n << 126n])
          if (productBelow(r, 0, r, 2, wideOf(bound)) !== product < bound) wrong.push(`|${a}| × |${b}| < ${bound}`);
      }
    expect(wrong).toEqual([]);
  });
});
