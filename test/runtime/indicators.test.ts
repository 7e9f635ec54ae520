// Tests for runtime/indicators.ts, compiled with the real AssemblyScript
// compiler; expected values are hand-computed (comments) or exact BigInt.
import { beforeAll, describe, expect, it } from "vitest";
import { compileAS, type CompiledModule, trapMessage } from "./compile-helper.ts";

const ENTRY = `
import { RollingMean, RollingStd, RollingZScore, Ema, Z_SCALE } from "sequence-algo/runtime";

let mean = new RollingMean(1);
export function meanInit(w: i32): void { mean = new RollingMean(w); }
export function meanPush(x: i64): void { mean.push(x); }
export function meanValue(): i64 { return mean.value(); }
export function meanReady(): bool { return mean.ready(); }
export function meanCount(): i32 { return mean.count(); }
export function meanSum(): i64 { return mean.sum(); }
export function meanReset(): void { mean.reset(); }

let sd = new RollingStd(1);
export function stdInit(w: i32): void { sd = new RollingStd(w); }
export function stdPush(x: i64): void { sd.push(x); }
export function stdMean(): i64 { return sd.mean(); }
export function stdStd(): i64 { return sd.std(); }
export function stdSample(): i64 { return sd.sampleStd(); }
export function stdZ(x: i64): i64 { return sd.zScoreOf(x); }
export function stdReady(): bool { return sd.ready(); }
export function stdReset(): void { sd.reset(); }

let z = new RollingZScore(1);
export function zInit(w: i32): void { z = new RollingZScore(w); }
export function zPush(x: i64): void { z.push(x); }
export function zValue(): i64 { return z.value(); }
export function zValueF64(): f64 { return z.valueF64(); }
export function zReady(): bool { return z.ready(); }
export function zScale(): i64 { return Z_SCALE; }

let ema = new Ema(1);
export function emaInit(period: i32): void { ema = new Ema(period); }
export function emaInitBps(b: i64): void { ema = Ema.fromAlphaBps(b); }
export function emaPush(x: i64): void { ema.push(x); }
export function emaValue(): i64 { return ema.value(); }
export function emaReady(): bool { return ema.ready(); }
export function emaAlphaNum(): i64 { return ema.alphaNum(); }
export function emaAlphaDen(): i64 { return ema.alphaDen(); }

export function heapProbe(): usize { return heap.alloc(1); }
/** Pushes n values into every indicator and reads them (allocation check). */
export function churn(n: i32): i64 {
  let s: i64 = 0;
  for (let i = 0; i < n; i++) {
    let v = 74_000_000_000_000 + <i64>((i * 7919) % 1000) * 1_000_000;
    mean.push(v); sd.push(v); z.push(v); ema.push(v);
    s += mean.value() + sd.std() + sd.sampleStd() + sd.mean() + z.value() + ema.value();
  }
  return s;
}
`;

const E9 = 1_000_000_000n;
const MAX = (1n << 63n) - 1n;

let m: CompiledModule;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let x: Record<string, any>;


const abs = (v: bigint) => (v < 0n ? -v : v);
function isqrtBig(v: bigint): bigint {
  if (v < 2n) return v;
  let r = BigInt(Math.floor(Math.sqrt(Number(v))));
  while (r * r > v) r--;
  while ((r + 1n) * (r + 1n) <= v) r++;
  return r;
}
function divHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const neg = n < 0n !== d < 0n;
  const r2 = 2n * abs(r);
  const away = r2 > abs(d) || (r2 === abs(d) && (abs(q) & 1n) === 1n);
  return away ? q + (neg ? -1n : 1n) : q;
}
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d !== 0n && (n < 0n) !== (d < 0n)) ? q - 1n : q;
}

beforeAll(async () => {
  m = await compileAS(ENTRY);
  x = m.exports;
});

describe("RollingMean", () => {
  it("hand-computed series", () => {
    x.meanInit(3);
    const want: [bigint, bigint, number][] = [
      // push, mean, ready
      [10n, 10n, 0],
      [20n, 15n, 0],
      [30n, 20n, 1],
      [40n, 30n, 1],
      [45n, 38n, 1], // (30+40+45)/3 = 38.33
      [47n, 44n, 1], // (40+45+47)/3 = 44
      [-100n, -3n, 1], // (45+47−100)/3 = −2.67
    ];
    for (const [v, mean, ready] of want) {
      x.meanPush(v);
      expect(x.meanValue(), `after ${v}`).toBe(mean);
      expect(x.meanReady()).toBe(ready);
    }
    expect(x.meanCount()).toBe(3);
    expect(x.meanSum()).toBe(45n + 47n - 100n);
  });

  it("rounds the mean HalfEven", () => {
    x.meanInit(2);
    x.meanPush(0n);
    expect(x.meanValue()).toBe(0n);
    const series: [bigint, bigint][] = [
      [1n, 0n], // (0+1)/2 = 0.5 → 0
      [2n, 2n], // 1.5 → 2
      [3n, 2n], // 2.5 → 2
      [-4n, 0n], // −0.5 → 0
      [-5n, -4n], // −4.5 → −4
      [-6n, -6n], // −5.5 → −6
    ];
    for (const [v, mean] of series) {
      x.meanPush(v);
      expect(x.meanValue(), `after ${v}`).toBe(mean);
    }
  });

  it("works on prices at 1e9 and resets", () => {
    x.meanInit(4);
    for (const p of [74000_100_000_000n, 74000_200_000_000n, 74000_300_000_000n, 74000_500_000_000n]) x.meanPush(p);
    expect(x.meanValue()).toBe(74000_275_000_000n); // 74000.275 exactly
    x.meanReset();
    expect(x.meanValue()).toBe(0n);
    expect(x.meanReady()).toBe(0);
    x.meanPush(5n);
    expect(x.meanValue()).toBe(5n);
  });

  it("traps on a bad window and on sum overflow", () => {
    expect(trapMessage(() => x.meanInit(0))).toBe("RollingMean: window must be > 0");
    x.meanInit(2);
    x.meanPush(MAX);
    expect(trapMessage(() => x.meanPush(1n))).toBe("RollingMean: window sum overflows i64");
  });

  it("matches an exact BigInt sliding mean (seeded)", () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const w = 7;
    x.meanInit(w);
    const vals: bigint[] = [];
    for (let i = 0; i < 500; i++) {
      const v = 74_000n * E9 + BigInt(Math.floor((rnd() - 0.5) * 2e12));
      vals.push(v);
      x.meanPush(v);
      const win = vals.slice(-w);
      expect(x.meanValue()).toBe(divHalfEven(win.reduce((a, b) => a + b, 0n), BigInt(win.length)));
    }
  });
});

describe("RollingStd / RollingZScore", () => {
  // classic series: 2 4 4 4 5 5 7 9 (mean 5, population std 2), scaled to 1e9
  const S = [2n, 4n, 4n, 4n, 5n, 5n, 7n, 9n].map((v) => v * E9);

  it("hand-computed population and sample std", () => {
    x.stdInit(8);
    S.forEach((v) => x.stdPush(v));
    expect(x.stdReady()).toBe(1);
    expect(x.stdMean()).toBe(5n * E9);
    expect(x.stdStd()).toBe(2n * E9); // exactly 2
    expect(x.stdSample()).toBe(2_138_089_935n); // √(32/7) = 2.1380899352993…
    expect(x.stdZ(9n * E9)).toBe(2n * E9); // (9 − 5)/2
    expect(x.stdZ(5n * E9)).toBe(0n);
    expect(x.stdZ(2n * E9)).toBe(-1_500_000_000n);

    x.stdInit(4);
    S.slice(0, 4).forEach((v) => x.stdPush(v)); // 2 4 4 4: var 0.75
    expect(x.stdMean()).toBe(3_500_000_000n);
    expect(x.stdStd()).toBe(866_025_403n); // √0.75 = 0.8660254037…
    expect(x.stdSample()).toBe(1n * E9); // √1
    S.slice(4).forEach((v) => x.stdPush(v)); // window 5 5 7 9: var 2.75
    expect(x.stdMean()).toBe(6_500_000_000n);
    expect(x.stdStd()).toBe(1_658_312_395n); // √2.75 = 1.6583123951…
    expect(x.stdSample()).toBe(1_914_854_215n); // √(11/3) = 1.9148542155…
  });

  it("z-score of the latest value", () => {
    x.zInit(4);
    expect(x.zValue()).toBe(0n);
    S.forEach((v) => x.zPush(v));
    expect(x.zReady()).toBe(1);
    // exact z = 2.5/1.6583123951… = 1.5075567228888…; computed as 1e10·1e9/⌊√X⌋ with
    // X = 4.4e37 (units²), ⌊√X⌋ = 6633249580 → 1507556723.05 → 1507556723
    const got = x.zValue();
    expect(got).toBe(1_507_556_723n);
    expect(Math.abs(Number(got) - 1.5075567228888182e9)).toBeLessThan(1);
    expect(x.zValueF64()).toBeCloseTo(1.5075567, 6);
    expect(x.zScale()).toBe(E9);
  });

  it("constant window: std 0, z 0; one unit of spread on a big price", () => {
    x.stdInit(3);
    for (let i = 0; i < 5; i++) x.stdPush(74_000n * E9);
    expect(x.stdStd()).toBe(0n);
    expect(x.stdSample()).toBe(0n);
    expect(x.stdZ(74_001n * E9)).toBe(0n);
    x.stdInit(2);
    x.stdPush(74_000n * E9 + 1n);
    expect(x.stdStd()).toBe(0n); // n < 2
    x.stdPush(74_000n * E9 + 3n); // devs ±1 → std exactly 1 unit
    expect(x.stdStd()).toBe(1n);
    expect(x.stdMean()).toBe(74_000n * E9 + 2n);
  });

  it("matches exact BigInt statistics on a seeded random walk (window 5)", () => {
    let s = 777;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const w = 5;
    x.stdInit(w);
    const vals: bigint[] = [];
    let p = 74_000n * E9;
    for (let i = 0; i < 400; i++) {
      p += BigInt(Math.floor((rnd() - 0.5) * 1e11)); // ±$50 steps
      vals.push(p);
      x.stdPush(p);
      const win = vals.slice(-w);
      const n = BigInt(win.length);
      const sum = win.reduce((a, b) => a + b, 0n);
      const sum2 = win.reduce((a, b) => a + b * b, 0n);
      const X = n * sum2 - sum * sum;
      expect(x.stdMean()).toBe(divHalfEven(sum, n));
      if (n >= 2n) {
        expect(x.stdStd(), `i=${i}`).toBe(isqrtBig(X / (n * n)));
        expect(x.stdSample()).toBe(isqrtBig(X / (n * (n - 1n))));
        const root = isqrtBig(X);
        if (root > 0n) expect(x.stdZ(p)).toBe(divHalfEven((n * p - sum) * E9, root));
      }
    }
  });

  it("traps with clear messages", () => {
    expect(trapMessage(() => x.stdInit(0))).toBe("RollingStd: window must be > 0");
    expect(trapMessage(() => x.zInit(-1))).toBe("RollingZScore: window must be > 0");
    x.stdInit(3);
    x.stdPush(-(1n << 62n));
    expect(trapMessage(() => x.stdPush(MAX))).toBe("RollingStd: value too far from the reference (x - K overflows i64)");
    x.stdReset();
    x.stdPush(0n);
    x.stdPush(1n << 62n);
    expect(trapMessage(() => x.stdPush((1n << 62n) + 1n))).toBe("RollingStd: window sum overflows i64");
  });
});

describe("Ema", () => {
  it("period 3 (α = 1/2 exactly), HalfEven per step", () => {
    x.emaInit(3);
    expect(x.emaAlphaNum()).toBe(2n);
    expect(x.emaAlphaDen()).toBe(4n);
    const steps: [bigint, bigint, number][] = [
      [10n, 10n, 0], // seed
      [20n, 15n, 0],
      [30n, 22n, 1], // 22.5 → 22 (even)
      [40n, 31n, 1],
      [30n, 30n, 1], // 30.5 → 30
      [33n, 32n, 1], // 31.5 → 32
      [-10n, 11n, 1],
      [-20n, -4n, 1], // −4.5 → −4
      [-20n, -12n, 1],
    ];
    for (const [v, want, ready] of steps) {
      x.emaPush(v);
      expect(x.emaValue(), `after ${v}`).toBe(want);
      expect(x.emaReady()).toBe(ready);
    }
  });

  it("period 4 (α = 2/5) on prices, and alpha in bps", () => {
    x.emaInit(4);
    x.emaPush(100n * E9);
    x.emaPush(200n * E9);
    expect(x.emaValue()).toBe(140n * E9); // 100 + 0.4·100
    x.emaPush(141n * E9);
    expect(x.emaValue()).toBe(140_400_000_000n); // 140 + 0.4·1
    x.emaPush(140_400_000_001n);
    expect(x.emaValue()).toBe(140_400_000_000n); // + 0.4 unit → rounds back

    x.emaInitBps(2500n); // α = 0.25, equivalent period 7
    expect(x.emaAlphaNum()).toBe(2500n);
    expect(x.emaAlphaDen()).toBe(10_000n);
    x.emaPush(100n);
    x.emaPush(200n);
    expect(x.emaValue()).toBe(125n);
    for (let i = 0; i < 4; i++) x.emaPush(125n);
    expect(x.emaReady()).toBe(0); // 6 values
    x.emaPush(125n);
    expect(x.emaReady()).toBe(1); // 7 values
    x.emaInitBps(10_000n); // α = 1: follows the input
    x.emaPush(5n);
    x.emaPush(-9n);
    expect(x.emaValue()).toBe(-9n);
    expect(x.emaReady()).toBe(1);
  });

  it("matches an exact BigInt reference (one HalfEven rounding per step)", () => {
    let s = 4242;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (const period of [1, 2, 9, 20, 200]) {
      x.emaInit(period);
      let v = 0n;
      for (let i = 0; i < 300; i++) {
        const p = 74_000n * E9 + BigInt(Math.floor((rnd() - 0.5) * 2e12));
        if (i === 0) v = p;
        else v = v + divHalfEvenFrom(v, (p - v) * 2n, BigInt(period + 1));
        x.emaPush(p);
        expect(x.emaValue(), `period ${period} step ${i}`).toBe(v);
      }
    }
    // rounding of v + t as a whole (t = num/den): HalfEven on the exact sum
    function divHalfEvenFrom(base: bigint, num: bigint, den: bigint): bigint {
      const total = base * den + num;
      return divHalfEven(total, den) - base;
    }
    void floorDiv;
  });

  it("traps on bad parameters and overflow", () => {
    expect(trapMessage(() => x.emaInit(0))).toBe("Ema: period must be >= 1");
    expect(trapMessage(() => x.emaInitBps(0n))).toBe("Ema: alphaBps must be in 1..10000");
    expect(trapMessage(() => x.emaInitBps(10_001n))).toBe("Ema: alphaBps must be in 1..10000");
    x.emaInit(3);
    x.emaPush(-(1n << 62n) - 5n);
    expect(trapMessage(() => x.emaPush(MAX))).toBe("Ema: x - ema overflows i64");
  });
});

describe("allocation", () => {
  it("push/value allocate nothing after construction", () => {
    x.meanInit(16);
    x.stdInit(16);
    x.zInit(16);
    x.emaInit(16);
    const p0 = x.heapProbe();
    const p1 = x.heapProbe();
    x.churn(2000);
    const p2 = x.heapProbe();
    expect(p2 - p1).toBe(p1 - p0);
  });
});
