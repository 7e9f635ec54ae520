// RSI, ATR, Bollinger bands, MACD and VWAP on the bundled S&P 500 daily bars
// (2000-01-03 … 2020-04-17, 5,105 bars; prices exact at 1e9, volume in
// shares), every bar checked against references written here in BigInt from
// the textbook definitions and the rounding rule each class states. RSI and
// ATR are also checked against the exact (never rounded) Wilder recurrence in
// rational arithmetic, within the error bound docs/runtime.md states.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAS, trapMessage } from "./compile-helper.ts";
import { sp500Bars } from "./sp500-bars.ts";

const ENTRY = `
import { Rsi, Atr, BollingerBands, Macd, Vwap, RollingVwap, RSI_SCALE } from "sequence-algo/runtime";
let rsi = new Rsi(14);
export function rsiInit(p: i32): void { rsi = new Rsi(p); }
export function rsiPush(x: i64): void { rsi.push(x); }
export function rsiValue(): i64 { return rsi.value(); }
export function rsiGain(): i64 { return rsi.avgGain(); }
export function rsiLoss(): i64 { return rsi.avgLoss(); }
export function rsiReady(): bool { return rsi.ready(); }
export function rsiReset(): void { rsi.reset(); }
export function rsiScale(): i64 { return RSI_SCALE; }

let atr = new Atr(14);
export function atrInit(p: i32): void { atr = new Atr(p); }
export function atrPush(h: i64, l: i64, c: i64): void { atr.push(h, l, c); }
export function atrValue(): i64 { return atr.value(); }
export function atrTr(): i64 { return atr.trueRange(); }
export function atrReady(): bool { return atr.ready(); }

let bb = new BollingerBands(20, 2_000_000_000);
export function bbInit(w: i32, k: i64): void { bb = new BollingerBands(w, k); }
export function bbPush(x: i64): void { bb.push(x); }
export function bbMiddle(): i64 { return bb.middle(); }
export function bbUpper(): i64 { return bb.upper(); }
export function bbLower(): i64 { return bb.lower(); }
export function bbReady(): bool { return bb.ready(); }

let macd = new Macd();
export function macdInit(f: i32, s: i32, g: i32): void { macd = new Macd(f, s, g); }
export function macdPush(x: i64): void { macd.push(x); }
export function macdLine(): i64 { return macd.line(); }
export function macdSignal(): i64 { return macd.signal(); }
export function macdHist(): i64 { return macd.histogram(); }
export function macdReady(): bool { return macd.ready(); }

let vwap = new Vwap();
let rvwap = new RollingVwap(20);
export function vwapInit(w: i32): void { vwap = new Vwap(); rvwap = new RollingVwap(w); }
export function vwapPush(px: i64, q: i64): void { vwap.push(px, q); rvwap.push(px, q); }
export function vwapValue(): i64 { return vwap.value(); }
export function vwapVolume(): i64 { return vwap.volume(); }
export function rvwapValue(): i64 { return rvwap.value(); }
export function rvwapVolume(): i64 { return rvwap.volume(); }
export function rvwapReady(): bool { return rvwap.ready(); }

export function heapProbe(): usize { return heap.alloc(1); }
/** Pushes n bars into every indicator and reads every value (allocation check). */
export function churn(n: i32): i64 {
  let s: i64 = 0;
  for (let i = 0; i < n; i++) {
    let c = 4_000_000_000_000 + <i64>((i * 7919) % 1000) * 1_000_000;
    rsi.push(c); atr.push(c + 5_000_000, c - 5_000_000, c); bb.push(c); macd.push(c); vwap.push(c, 100 + i); rvwap.push(c, 7);
    s += rsi.value() + rsi.avgGain() + atr.value() + atr.trueRange() + bb.middle() + bb.upper() + bb.lower() + bb.width();
    s += macd.line() + macd.signal() + macd.histogram() + vwap.value() + rvwap.value() + rvwap.volume();
  }
  return s;
}
export function badRsi(): void { new Rsi(0); }
export function badAtrBar(): void { new Atr(3).push(1, 2, 1); }
export function badBbK(): void { new BollingerBands(3, -1); }
export function badMacd(): void { new Macd(0, 26, 9); }
export function badVwap(): void { new Vwap().push(-1, 5); }
export function badRollingVwap(): void { new RollingVwap(0); }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let x: Record<string, any>;
beforeAll(async () => {
  x = (await compileAS(ENTRY)).exports;
});

const E9 = 1_000_000_000n;
const abs = (v: bigint) => (v < 0n ? -v : v);
/** n/d rounded to nearest, ties to even. */
function halfEven(n: bigint, d: bigint): bigint {
  if (d < 0n) return halfEven(-n, -d);
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  } // now n = q·d + r, 0 ≤ r < d
  return 2n * r > d || (2n * r === d && (q & 1n) === 1n) ? q + 1n : q;
}
function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let r = BigInt(Math.floor(Math.sqrt(Number(v))));
  while (r * r > v) r--;
  while ((r + 1n) * (r + 1n) <= v) r++;
  return r;
}

const bars = sp500Bars();
const closes = bars.map((b) => b.close);

/** Wilder's average as the class states it: SMA seed, then (avg·(p−1) + x)/p, each rounded HalfEven. */
function wilder(values: bigint[], p: number): (bigint | undefined)[] {
  const P = BigInt(p);
  const out: (bigint | undefined)[] = [];
  let avg = 0n;
  let sum = 0n;
  values.forEach((v, i) => {
    if (i < p - 1) {
      sum += v;
      out.push(undefined);
    } else if (i === p - 1) {
      avg = halfEven(sum + v, P);
      out.push(avg);
    } else {
      avg = halfEven(avg * (P - 1n) + v, P);
      out.push(avg);
    }
  });
  return out;
}
/** The exact Wilder average as a fraction num/den, never rounded. */
function wilderExact(values: bigint[], p: number): ({ num: bigint; den: bigint } | undefined)[] {
  const P = BigInt(p);
  let num = 0n;
  let den = 1n;
  return values.map((v, i) => {
    if (i < p - 1) {
      num += v;
      return undefined;
    }
    if (i === p - 1) {
      num += v;
      den = P;
    } else {
      num = num * (P - 1n) + v * den;
      den *= P;
    }
    return { num, den };
  });
}

describe("Rsi (Wilder)", () => {
  const p = 14;
  const changes = closes.slice(1).map((c, i) => c - closes[i]);
  const gains = changes.map((d) => (d > 0n ? d : 0n));
  const losses = changes.map((d) => (d < 0n ? -d : 0n));

  it("matches the textbook recurrence on every S&P 500 close, and the exact RSI within its bound", () => {
    const G = wilder(gains, p);
    const L = wilder(losses, p);
    const GE = wilderExact(gains, p);
    const LE = wilderExact(losses, p);
    x.rsiInit(p);
    x.rsiPush(closes[0]);
    expect(x.rsiReady()).toBe(0);
    let checkedExact = 0;
    for (let i = 0; i < changes.length; i++) {
      x.rsiPush(closes[i + 1]);
      const g = G[i];
      const l = L[i];
      if (g === undefined || l === undefined) {
        expect([x.rsiReady(), x.rsiValue()], `bar ${i + 1}`).toEqual([0, 0n]);
        continue;
      }
      const want = g + l === 0n ? 50n * E9 : halfEven(100n * E9 * g, g + l);
      expect([x.rsiGain(), x.rsiLoss(), x.rsiValue(), x.rsiReady()], `bar ${i + 1} (${bars[i + 1].date})`).toEqual([g, l, want, 1]);
      // Exact Wilder RSI = 100·NG/(NG + NL); each rounded average is within
      // p/2 units of the exact one, so |RSI − exact| ≤ 100e9·p/(G + L) + 0.5.
      const ge = GE[i]!;
      const le = LE[i]!;
      const total = ge.num + le.num;
      if (total === 0n) continue;
      const bound = (100n * E9 * BigInt(p)) / (g + l) + 1n;
      expect(abs(want * total - 100n * E9 * ge.num) <= bound * total, `bar ${i + 1}`).toBe(true);
      checkedExact++;
    }
    expect(checkedExact).toBe(changes.length - p + 1);
  });

  it("is 50 on a flat series, 100 when it only rises, and resets", () => {
    x.rsiInit(3);
    for (let i = 0; i < 5; i++) x.rsiPush(7n * E9);
    expect(x.rsiValue()).toBe(50n * x.rsiScale());
    x.rsiReset();
    for (const c of [1n, 2n, 3n, 4n]) x.rsiPush(c * E9);
    expect(x.rsiValue()).toBe(100n * E9);
    // hand-computed: closes 10, 11, 10, 12 with period 2: gains 1,0,2; losses 0,1,0
    // seed G = 0.5, L = 0.5; then G = (0.5 + 2)/2 = 1.25, L = 0.25 → RSI = 100·1.25/1.5 = 83.333333333…
    x.rsiInit(2);
    for (const c of [10n, 11n, 10n, 12n]) x.rsiPush(c * E9);
    expect([x.rsiGain(), x.rsiLoss(), x.rsiValue()]).toEqual([1_250_000_000n, 250_000_000n, 83_333_333_333n]);
  });
});

describe("Atr (Wilder)", () => {
  it("matches the textbook true range and recurrence on every S&P 500 bar, and the exact ATR within period/2 units", () => {
    const p = 14;
    const tr = bars.map((b, i) => {
      const hl = b.high - b.low;
      if (i === 0) return hl;
      const pc = bars[i - 1].close;
      return [hl, abs(b.high - pc), abs(b.low - pc)].reduce((a, v) => (v > a ? v : a));
    });
    const want = wilder(tr, p);
    const exact = wilderExact(tr, p);
    x.atrInit(p);
    bars.forEach((b, i) => {
      x.atrPush(b.high, b.low, b.close);
      expect(x.atrTr(), `TR bar ${i} (${b.date})`).toBe(tr[i]);
      expect([x.atrValue(), x.atrReady()], `ATR bar ${i} (${b.date})`).toEqual([want[i] ?? 0n, want[i] === undefined ? 0 : 1]);
      const e = exact[i];
      if (e) expect(abs(want[i]! * e.den - e.num) * 2n <= BigInt(p) * e.den, `exact bound bar ${i}`).toBe(true);
    });
  });
});

describe("BollingerBands", () => {
  it.each([
    [20, 2_000_000_000n],
    [5, 1_500_000_000n],
  ])("window %i, k = %i/1e9: middle, upper and lower on every S&P 500 close", (window, k) => {
    x.bbInit(window, k);
    closes.forEach((c, i) => {
      x.bbPush(c);
      const w = closes.slice(Math.max(0, i - window + 1), i + 1);
      const n = BigInt(w.length);
      const sum = w.reduce((a, v) => a + v, 0n);
      const middle = halfEven(sum, n);
      // population σ = √(Σ(x − μ)²/n) = √((nΣx² − (Σx)²)/n²), floored
      const sq = w.reduce((a, v) => a + v * v, 0n);
      const sigma = isqrt((n * sq - sum * sum) / (n * n));
      const width = halfEven(k * sigma, E9);
      expect([x.bbMiddle(), x.bbUpper(), x.bbLower(), x.bbReady()], `bar ${i}`).toEqual([
        middle,
        middle + width,
        middle - width,
        w.length === window ? 1 : 0,
      ]);
    });
  });
});

describe("Macd", () => {
  it("12/26/9 matches EMAs written from the definition on every S&P 500 close", () => {
    /** EMA with α = 2/(n + 1), seeded with the first value, each step rounded once HalfEven. */
    const ema = (values: bigint[], n: number) => {
      const N = BigInt(n);
      let e = values[0];
      return values.map((v, i) => (i === 0 ? e : (e = halfEven(e * (N - 1n) + 2n * v, N + 1n))));
    };
    const fast = ema(closes, 12);
    const slow = ema(closes, 26);
    const line = fast.map((f, i) => f - slow[i]);
    const signal = ema(line, 9);
    x.macdInit(12, 26, 9);
    closes.forEach((c, i) => {
      x.macdPush(c);
      expect([x.macdLine(), x.macdSignal(), x.macdHist(), x.macdReady()], `bar ${i}`).toEqual([
        line[i],
        signal[i],
        line[i] - signal[i],
        i >= 26 + 9 - 2 ? 1 : 0,
      ]);
    });
  });
});

describe("Vwap / RollingVwap", () => {
  it("cumulative and 20-bar VWAP of the closes weighted by share volume, on every bar", () => {
    const window = 20;
    x.vwapInit(window);
    let pv = 0n;
    let vol = 0n;
    bars.forEach((b, i) => {
      x.vwapPush(b.close, b.volume);
      pv += b.close * b.volume;
      vol += b.volume;
      const w = bars.slice(Math.max(0, i - window + 1), i + 1);
      const wpv = w.reduce((a, v) => a + v.close * v.volume, 0n);
      const wvol = w.reduce((a, v) => a + v.volume, 0n);
      expect([x.vwapValue(), x.vwapVolume(), x.rvwapValue(), x.rvwapVolume(), x.rvwapReady()], `bar ${i}`).toEqual([
        halfEven(pv, vol),
        vol,
        halfEven(wpv, wvol),
        wvol,
        w.length === window ? 1 : 0,
      ]);
    });
    expect(pv > 1n << 64n).toBe(true); // the sum really needed 128 bits
  });

  it("hand-computed: 100 @ 2, 101 @ 1, 0 volume ignored, HalfEven", () => {
    x.vwapInit(2);
    expect(x.vwapValue()).toBe(0n);
    x.vwapPush(100n, 2n);
    x.vwapPush(101n, 1n); // 301/3 = 100.33 → 100
    expect([x.vwapValue(), x.rvwapValue()]).toEqual([100n, 100n]);
    x.vwapPush(103n, 0n); // window: 101@1, 103@0 → 101
    expect([x.vwapValue(), x.rvwapValue(), x.rvwapVolume()]).toEqual([100n, 101n, 1n]);
    x.vwapPush(102n, 1n); // window: 103@0, 102@1 → 102; total 403/4 = 100.75 → 101
    expect([x.vwapValue(), x.rvwapValue()]).toEqual([101n, 102n]);
  });
});

it("does its math in integers only (no f32/f64, no Math)", () => {
  const source = readFileSync(new URL("../../runtime/technical.ts", import.meta.url), "utf8").replace(/\/\/.*|\/\*[\s\S]*?\*\//g, "");
  expect(source).not.toMatch(/\bf(32|64)\b|\bMath\./);
});

describe("allocation", () => {
  it("push and every reader allocate nothing after construction", () => {
    x.rsiInit(14);
    x.atrInit(14);
    x.bbInit(20, 2_000_000_000n);
    x.macdInit(12, 26, 9);
    x.vwapInit(20);
    x.churn(50); // warm up
    const p0 = x.heapProbe();
    const p1 = x.heapProbe();
    x.churn(5_000);
    const p2 = x.heapProbe();
    expect(p2 - p1).toBe(p1 - p0);
  });
});

describe("traps", () => {
  it("say which indicator and what was wrong", () => {
    expect(trapMessage(() => x.badRsi())).toBe("Rsi: period must be >= 1");
    expect(trapMessage(() => x.badAtrBar())).toBe("Atr: high < low");
    expect(trapMessage(() => x.badBbK())).toBe("BollingerBands: k must be >= 0");
    expect(trapMessage(() => x.badMacd())).toBe("Macd: periods must be >= 1");
    expect(trapMessage(() => x.badVwap())).toBe("Vwap: px and qty must be >= 0");
    expect(trapMessage(() => x.badRollingVwap())).toBe("RollingVwap: window must be > 0");
    x.rsiInit(2);
    x.rsiPush(-(1n << 62n) - (1n << 61n));
    expect(trapMessage(() => x.rsiPush((1n << 62n) + (1n << 61n)))).toBe("Rsi: overflow");
  });
});
