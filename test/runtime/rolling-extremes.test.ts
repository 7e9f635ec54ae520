// RollingMax / RollingMin against a brute-force reference (max/min of the
// last `window` values, recomputed from scratch on every bar).
import { beforeAll, describe, expect, it } from "vitest";
import { compileAS, trapMessage } from "./compile-helper.ts";
import { sp500Bars } from "./sp500-bars.ts";

const ENTRY = `
import { RollingMax, RollingMin } from "sequence-algo/runtime";
let hi = new RollingMax(1);
let lo = new RollingMin(1);
export function init(w: i32): void { hi = new RollingMax(w); lo = new RollingMin(w); }
export function push(x: i64): void { hi.push(x); lo.push(x); }
export function max(): i64 { return hi.value(); }
export function min(): i64 { return lo.value(); }
export function ready(): bool { return hi.ready() && lo.ready(); }
export function count(): i32 { return hi.count(); }
export function reset(): void { hi.reset(); lo.reset(); }
export function badMax(): void { new RollingMax(0); }
export function badMin(): void { new RollingMin(-3); }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let x: Record<string, any>;
beforeAll(async () => {
  x = (await compileAS(ENTRY)).exports;
});

function bruteForce(values: bigint[], window: number, pick: (a: bigint, b: bigint) => bigint): bigint[] {
  return values.map((_, i) => values.slice(Math.max(0, i - window + 1), i + 1).reduce(pick));
}
const larger = (a: bigint, b: bigint) => (a > b ? a : b);
const smaller = (a: bigint, b: bigint) => (a < b ? a : b);

describe("RollingMax / RollingMin", () => {
  it("hand-computed series with ties and evictions", () => {
    x.init(3);
    expect(x.max()).toBe(0n);
    const series: [bigint, bigint, bigint, number][] = [
      // push, max, min, ready
      [5n, 5n, 5n, 0],
      [3n, 5n, 3n, 0],
      [5n, 5n, 3n, 1],
      [1n, 5n, 1n, 1], // window 3,5,1: the first 5 left, the second keeps the max
      [2n, 5n, 1n, 1], // 5,1,2
      [2n, 2n, 1n, 1], // 1,2,2: the last 5 left
      [-7n, 2n, -7n, 1],
      [9n, 9n, -7n, 1],
    ];
    for (const [v, max, min, ready] of series) {
      x.push(v);
      expect([x.max(), x.min(), x.ready()], `after ${v}`).toEqual([max, min, ready]);
    }
    expect(x.count()).toBe(3);
    x.reset();
    expect([x.max(), x.min(), x.ready(), x.count()]).toEqual([0n, 0n, 0, 0]);
    x.push(-4n);
    expect([x.max(), x.min(), x.count()]).toEqual([-4n, -4n, 1]);
  });

  it("handles the extremes of i64", () => {
    x.init(2);
    const big = (1n << 63n) - 1n;
    for (const v of [-(1n << 63n), big, 0n]) x.push(v);
    expect([x.max(), x.min()]).toEqual([big, 0n]);
  });

  it.each([1, 2, 20, 250])("matches the brute-force max/min of S&P 500 closes, window %i", (window) => {
    const closes = sp500Bars().map((b) => b.close);
    const wantMax = bruteForce(closes, window, larger);
    const wantMin = bruteForce(closes, window, smaller);
    x.init(window);
    const gotMax: bigint[] = [];
    const gotMin: bigint[] = [];
    for (const c of closes) {
      x.push(c);
      gotMax.push(x.max());
      gotMin.push(x.min());
    }
    expect(gotMax).toEqual(wantMax);
    expect(gotMin).toEqual(wantMin);
  });

  it("traps on a bad window", () => {
    expect(trapMessage(() => x.badMax())).toBe("RollingMax: window must be > 0");
    expect(trapMessage(() => x.badMin())).toBe("RollingMin: window must be > 0");
  });
});
