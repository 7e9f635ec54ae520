// Tests for runtime/fixed.ts: compiled with the real AssemblyScript compiler,
// every result cross-checked against exact JS BigInt arithmetic.
import { beforeAll, describe, expect, it } from "vitest";
import { compileAS, type CompiledModule, trapMessage } from "./compile-helper.ts";

const ENTRY = `
import {
  Rounding, mulDiv, mulDivFloor, mulDivCeil, mulDivDown, mulHigh,
  addChecked, subChecked, mulChecked, negChecked, absChecked, divRound, divChecked, pow10,
  notional, notionalAt, qtyForNotional, bps, applyBps, bpsBetween,
  roundToTick, roundToLot, isqrt, isqrt128, isqrtDiv128,
  Px, Qty, Usd, PX_SCALE, QTY_SCALE, USD_SCALE, BPS_SCALE,
} from "sequence-algo/runtime";

export { Rounding };
export function pxScale(): i64 { return PX_SCALE; }
export function qtyScale(): i64 { return QTY_SCALE; }
export function usdScale(): i64 { return USD_SCALE; }
export function bpsScale(): i64 { return BPS_SCALE; }

export function mulDiv_(a: i64, b: i64, d: i64, m: i32): i64 { return mulDiv(a, b, d, m as Rounding); }
export function mulDivDefault(a: i64, b: i64, d: i64): i64 { return mulDiv(a, b, d); }
export function mulDivFloor_(a: i64, b: i64, d: i64): i64 { return mulDivFloor(a, b, d); }
export function mulDivCeil_(a: i64, b: i64, d: i64): i64 { return mulDivCeil(a, b, d); }
export function mulDivDown_(a: i64, b: i64, d: i64): i64 { return mulDivDown(a, b, d); }
export function mulHigh_(a: u64, b: u64): u64 { return mulHigh(a, b); }

export function add_(a: i64, b: i64): i64 { return addChecked(a, b); }
export function sub_(a: i64, b: i64): i64 { return subChecked(a, b); }
export function mul_(a: i64, b: i64): i64 { return mulChecked(a, b); }
export function neg_(a: i64): i64 { return negChecked(a); }
export function abs_(a: i64): i64 { return absChecked(a); }
export function divRound_(a: i64, b: i64, m: i32): i64 { return divRound(a, b, m as Rounding); }
export function divChecked_(a: i64, b: i64): i64 { return divChecked(a, b); }
export function pow10_(n: i32): i64 { return pow10(n); }

export function notional_(q: i64, p: i64, m: i32): i64 { return notional(q, p, m as Rounding); }
export function notionalDefault(q: i64, p: i64): i64 { return notional(q, p); }
export function notionalAt_(q: i64, p: i64, dec: i32, m: i32): i64 { return notionalAt(q, p, dec, m as Rounding); }
export function qtyForNotional_(usd: i64, p: i64, m: i32): i64 { return qtyForNotional(usd, p, m as Rounding); }

export function bps_(a: i64, b: i64, m: i32): i64 { return bps(a, b, m as Rounding); }
export function applyBps_(p: i64, b: i64, m: i32): i64 { return applyBps(p, b, m as Rounding); }
export function bpsBetween_(a: i64, b: i64, m: i32): i64 { return bpsBetween(a, b, m as Rounding); }
export function bpsBetweenDefault(a: i64, b: i64): i64 { return bpsBetween(a, b); }

export function roundToTick_(p: i64, t: i64, m: i32): i64 { return roundToTick(p, t, m as Rounding); }
export function roundToLot_(q: i64, l: i64, m: i32): i64 { return roundToLot(q, l, m as Rounding); }

export function isqrt_(x: u64): u64 { return isqrt(x); }
export function isqrt128_(hi: u64, lo: u64): u64 { return isqrt128(hi, lo); }
export function isqrtDiv128_(hi: u64, lo: u64, d: u64): u64 { return isqrtDiv128(hi, lo, d); }

export function pxFromInt(n: i64): i64 { return Px.fromInt(n); }
export function pxFromParts(w: i64, f: i64): i64 { return Px.fromParts(w, f); }
export function pxWhole(p: i64): i64 { return Px.whole(p); }
export function pxNanos(p: i64): i64 { return Px.nanos(p); }
export function pxToF64(p: i64): f64 { return Px.toF64(p); }
export function qtyFromInt(n: i64): i64 { return Qty.fromInt(n); }
export function qtyFromParts(w: i64, f: i64): i64 { return Qty.fromParts(w, f); }
export function qtyWhole(q: i64): i64 { return Qty.whole(q); }
export function qtyToF64(q: i64): f64 { return Qty.toF64(q); }
export function usdFromInt(n: i64): i64 { return Usd.fromInt(n); }
export function usdFromParts(w: i64, f: i64): i64 { return Usd.fromParts(w, f); }
export function usdToF64(u: i64): f64 { return Usd.toF64(u); }

/** Bump-allocator probe: consecutive probes differ by a constant unless something else allocated. */
export function heapProbe(): usize { return heap.alloc(1); }
/** Runs every non-trapping helper once (used to check that none of them allocates). */
export function exerciseAll(x: i64): i64 {
  let s: i64 = 0;
  for (let m = 0; m < 6; m++) {
    s += mulDiv(x, 3_000_000_007, 7, m as Rounding);
    s += mulDiv(i64.MAX_VALUE, i64.MAX_VALUE - 1, i64.MAX_VALUE, m as Rounding);
    s += divRound(x, 7, m as Rounding);
    s += notional(x, 74_000_500_000_000, m as Rounding);
    s += notionalAt(100_000_000_000_000, 1_000_000_000_000_000, 0, m as Rounding);
    s += bps(x, 5, m as Rounding) + applyBps(x, -5, m as Rounding) + bpsBetween(x, x + 17, m as Rounding);
    s += roundToTick(x, 5_000_000, m as Rounding) + roundToLot(x, 1000, m as Rounding);
  }
  s += addChecked(x, 1) + subChecked(x, 1) + mulChecked(x, 3) + negChecked(x) + absChecked(x);
  s += <i64>isqrt128(0xFFFF_FFFF, 12345) + <i64>isqrtDiv128(77, 99, 1000) + <i64>mulHigh(x, x);
  s += Px.fromInt(7) + Px.fromParts(7, 5) + Qty.fromInt(3) + Usd.fromParts(-2, -1) + pow10(17);
  return s;
}
`;

// ---------------------------------------------------------------------------
// BigInt reference
// ---------------------------------------------------------------------------
const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);
const U64 = (1n << 64n) - 1n;
const MODES = ["Down", "Up", "Floor", "Ceil", "HalfUp", "HalfEven"] as const;
const [DOWN, UP, FLOOR, CEIL, HALF_UP, HALF_EVEN] = [0, 1, 2, 3, 4, 5];
const abs = (x: bigint) => (x < 0n ? -x : x);
const fits = (x: bigint) => x >= MIN && x <= MAX;

/** n / d rounded by mode (exact). */
function refDiv(n: bigint, d: bigint, mode: number): bigint {
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return q;
  const neg = n < 0n !== d < 0n;
  const ar2 = 2n * abs(r);
  const ad = abs(d);
  let away: boolean;
  switch (mode) {
    case DOWN: away = false; break;
    case UP: away = true; break;
    case FLOOR: away = neg; break;
    case CEIL: away = !neg; break;
    case HALF_UP: away = ar2 >= ad; break;
    case HALF_EVEN: away = ar2 > ad || (ar2 === ad && (abs(q) & 1n) === 1n); break;
    default: throw new Error("mode");
  }
  return away ? q + (neg ? -1n : 1n) : q;
}

function isqrtBig(x: bigint): bigint {
  if (x < 2n) return x;
  let r = BigInt(Math.floor(Math.sqrt(Number(x))));
  for (;;) {
    const nr = (r + x / r) >> 1n;
    if (abs(nr - r) <= 1n) { r = nr; break; }
    r = nr;
  }
  while (r * r > x) r--;
  while ((r + 1n) * (r + 1n) <= x) r++;
  return r;
}

/** Deterministic 64-bit PRNG (splitmix64) so randomized tests are reproducible. */
function prng(seed: bigint) {
  let s = BigInt.asUintN(64, seed);
  const next = (): bigint => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
  const int = (n: number) => Number(next() % BigInt(n));
  /** Random signed i64 with a random bit width (so small and huge values both appear). */
  const i64 = (): bigint => {
    const k = int(20);
    if (k === 0) return [0n, 1n, -1n, MAX, MIN, MAX - 1n, MIN + 1n, 2n, -2n][int(9)];
    const bits = BigInt(1 + int(63));
    let v = next() & ((1n << bits) - 1n);
    if (bits === 63n && int(2) === 0) v = v | (1n << 62n);
    return int(2) === 0 ? v : -v;
  };
  const u64 = (): bigint => next() >> BigInt(int(64));
  return { next, int, i64, u64 };
}


let m: CompiledModule;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let x: Record<string, any>;

beforeAll(async () => {
  m = await compileAS(ENTRY);
  x = m.exports;
});

describe("compile helper / ABI", () => {
  it("exports the Rounding values 0..5 and the scales", () => {
    MODES.forEach((name, i) => expect(x[`Rounding.${name}`].value).toBe(i));
    expect(x.pxScale()).toBe(1_000_000_000n);
    expect(x.qtyScale()).toBe(100_000_000n);
    expect(x.usdScale()).toBe(1_000_000_000n);
    expect(x.bpsScale()).toBe(10_000n);
  });

  it("turns an abort into a JS error carrying the AssemblyScript message", () => {
    expect(() => x.mulDiv_(1n, 1n, 0n, HALF_EVEN)).toThrow("mulDiv: division by zero");
    try {
      x.mulDiv_(1n, 1n, 0n, HALF_EVEN);
    } catch (e) {
      expect((e as Error).name).toBe("AbortError");
      expect((e as Error).message).toMatch(/runtime\/fixed\.ts:\d+:\d+/);
    }
  });

  it("allocates nothing on the non-trapping paths", () => {
    const p0 = x.heapProbe();
    const p1 = x.heapProbe();
    const step = p1 - p0;
    for (let i = 0; i < 50; i++) x.exerciseAll(BigInt(i * 1_000_003 - 7_777_777));
    const p2 = x.heapProbe();
    expect(p2 - p1).toBe(step);
  });
});

describe("mulDiv", () => {
  it("rounds exact halves and non-halves per mode (hand table)", () => {
    // n / d  →  [Down, Up, Floor, Ceil, HalfUp, HalfEven]
    const table: [bigint, bigint, bigint[]][] = [
      [5n, 2n, [2n, 3n, 2n, 3n, 3n, 2n]],
      [-5n, 2n, [-2n, -3n, -3n, -2n, -3n, -2n]],
      [5n, -2n, [-2n, -3n, -3n, -2n, -3n, -2n]],
      [-5n, -2n, [2n, 3n, 2n, 3n, 3n, 2n]],
      [7n, 2n, [3n, 4n, 3n, 4n, 4n, 4n]],
      [-7n, 2n, [-3n, -4n, -4n, -3n, -4n, -4n]],
      [1n, 3n, [0n, 1n, 0n, 1n, 0n, 0n]],
      [-1n, 3n, [0n, -1n, -1n, 0n, 0n, 0n]],
      [2n, 3n, [0n, 1n, 0n, 1n, 1n, 1n]],
      [-2n, 3n, [0n, -1n, -1n, 0n, -1n, -1n]],
      [1n, 2n, [0n, 1n, 0n, 1n, 1n, 0n]],
      [-1n, 2n, [0n, -1n, -1n, 0n, -1n, 0n]],
      [6n, 3n, [2n, 2n, 2n, 2n, 2n, 2n]],
      [0n, -3n, [0n, 0n, 0n, 0n, 0n, 0n]],
    ];
    for (const [n, d, want] of table) {
      for (let mode = 0; mode < 6; mode++) {
        expect(x.mulDiv_(n, 1n, d, mode), `${n}/${d} ${MODES[mode]}`).toBe(want[mode]);
        expect(x.mulDiv_(1n, n, d, mode)).toBe(want[mode]);
        // the same ratio with large operands: (n·2^31)·2^30 / (d·2^61)
        expect(x.mulDiv_(n << 31n, 1n << 30n, d << 61n, mode), `${n}/${d} scaled ${MODES[mode]}`).toBe(want[mode]);
      }
    }
  });

  it("defaults to HalfEven and has Floor/Ceil/Down shorthands", () => {
    expect(x.mulDivDefault(7n, 1n, 2n)).toBe(4n);
    expect(x.mulDivDefault(5n, 1n, 2n)).toBe(2n);
    expect(x.mulDivDefault(-7n, 1n, 2n)).toBe(-4n);
    expect(x.mulDivFloor_(-5n, 1n, 2n)).toBe(-3n);
    expect(x.mulDivCeil_(-5n, 1n, 2n)).toBe(-2n);
    expect(x.mulDivDown_(-5n, 1n, 2n)).toBe(-2n);
  });

  it("is exact at the edges of i64 (products up to 2^126)", () => {
    const cases: [bigint, bigint, bigint][] = [
      [MAX, MAX, MAX],
      [MAX, MAX - 1n, MAX],
      [MAX - 1n, MAX, MAX],
      [MIN, MIN, MIN], // 2^126 / −2^63 = MIN
      [MIN, MAX, MAX], // = MIN
      [MAX, MIN, MIN], // = MAX
      [MIN, -1n, -1n], // = MIN
      [MAX, MAX, MIN], // −(2^63 − 2 + 2^-63)
      [MIN, MIN, -MAX - 0n], // 2^126 / −(2^63−1): −(2^63 + 1.000…) → overflow
      [MAX, 3n, 3n],
      [MIN, 3n, -3n],
      [MAX, MAX, 1n << 62n], // overflow
      [1n << 62n, 1n << 62n, 1n << 61n], // 2^63 → overflow positive
      [1n << 62n, -(1n << 62n), 1n << 61n], // −2^63 → MIN fits
      [(1n << 32n) - 1n, (1n << 32n) + 1n, 2n], // (2^64−1)/2 = MAX + 0.5
      [-((1n << 32n) - 1n), (1n << 32n) + 1n, 2n], // −(MAX + 0.5)
      [-274177n, 67280421310721n, 2n], // −(2^64+1)/2 = MIN − 0.5
      [274177n, 67280421310721n, -2n],
      [MAX, 2n, 3n],
      [MIN, 2n, 3n],
      [MIN, MIN, MIN + 1n],
      [0x7fffffffffffffffn, 0x7ffffffffffffff0n, 0x7ffffffffffffff7n],
      [-0x5555555555555555n, 0x6000000000000000n, 0x4000000000000001n],
      [123456789123456789n, 987654321987654321n, 1000000000000000000n],
    ];
    let fitCount = 0;
    let ovfCount = 0;
    for (const [a, b, d] of cases) {
      for (let mode = 0; mode < 6; mode++) {
        const want = refDiv(a * b, d, mode);
        if (fits(want)) {
          fitCount++;
          expect(x.mulDiv_(a, b, d, mode), `${a}*${b}/${d} ${MODES[mode]}`).toBe(want);
        } else {
          ovfCount++;
          expect(trapMessage(() => x.mulDiv_(a, b, d, mode)), `${a}*${b}/${d} ${MODES[mode]}`).toBe(
            "mulDiv overflow: a*b/d does not fit in i64",
          );
        }
      }
    }
    expect(fitCount).toBeGreaterThan(60);
    expect(ovfCount).toBeGreaterThan(15);
  });

  it("returns exactly i64.MAX / i64.MIN when they fit and traps one past them", () => {
    const a = (1n << 32n) - 1n;
    const b = (1n << 32n) + 1n; // a·b = 2^64 − 1, /2 = MAX + 0.5
    expect(x.mulDiv_(a, b, 2n, DOWN)).toBe(MAX);
    expect(x.mulDiv_(a, b, 2n, FLOOR)).toBe(MAX);
    for (const mode of [UP, CEIL, HALF_UP, HALF_EVEN]) {
      expect(trapMessage(() => x.mulDiv_(a, b, 2n, mode))).toBe("mulDiv overflow: a*b/d does not fit in i64");
    }
    expect(x.mulDiv_(MAX, 7n, 7n, HALF_EVEN)).toBe(MAX);
    expect(trapMessage(() => x.mulDiv_(MAX, 8n, 7n, DOWN))).toMatch(/^mulDiv overflow/);
    // −(2^64 − 1)/2 = MIN + 0.5: Floor, Up, HalfUp, HalfEven reach MIN exactly
    expect(x.mulDiv_(-a, b, 2n, FLOOR)).toBe(MIN);
    expect(x.mulDiv_(-a, b, 2n, HALF_EVEN)).toBe(MIN);
    expect(x.mulDiv_(-a, b, 2n, DOWN)).toBe(MIN + 1n);
    // −(2^64 + 1)/2 = MIN − 0.5
    expect(x.mulDiv_(-274177n, 67280421310721n, 2n, DOWN)).toBe(MIN);
    expect(x.mulDiv_(-274177n, 67280421310721n, 2n, CEIL)).toBe(MIN);
    expect(trapMessage(() => x.mulDiv_(-274177n, 67280421310721n, 2n, FLOOR))).toMatch(/^mulDiv overflow/);
    // −MIN overflows, MIN·−1/−1 does not
    expect(trapMessage(() => x.mulDiv_(MIN, -1n, 1n, DOWN))).toMatch(/^mulDiv overflow/);
    expect(trapMessage(() => x.mulDiv_(MIN, 1n, -1n, DOWN))).toMatch(/^mulDiv overflow/);
    expect(x.mulDiv_(MIN, -1n, -1n, DOWN)).toBe(MIN);
  });

  it("traps on division by zero, in every mode", () => {
    for (let mode = 0; mode < 6; mode++) {
      expect(trapMessage(() => x.mulDiv_(5n, 7n, 0n, mode))).toBe("mulDiv: division by zero");
      expect(trapMessage(() => x.mulDiv_(0n, 0n, 0n, mode))).toBe("mulDiv: division by zero");
    }
  });

  it("rejects an invalid rounding mode when rounding is needed", () => {
    expect(trapMessage(() => x.mulDiv_(5n, 1n, 2n, 9))).toMatch(/invalid Rounding mode/);
  });

  it("matches BigInt on 4,000 seeded random cases × 6 modes", () => {
    const r = prng(0x5eed_0001n);
    let inRange = 0;
    let overflow = 0;
    for (let i = 0; i < 4000; i++) {
      const a = r.i64();
      const b = r.i64();
      let d = r.i64();
      // bias half of the divisors so the quotient usually fits
      if (r.int(2) === 0) {
        const bits = abs(a * b).toString(2).length - 63 + r.int(3);
        if (bits > 0 && bits < 63) {
          d = (r.next() >> BigInt(64 - bits)) | 1n; // < 2^62
          if (r.int(2) === 0) d = -d;
        }
      }
      if (d === 0n) d = 1n;
      for (let mode = 0; mode < 6; mode++) {
        const want = refDiv(a * b, d, mode);
        if (fits(want)) {
          inRange++;
          const got = x.mulDiv_(a, b, d, mode);
          if (got !== want) expect(got, `${a}*${b}/${d} ${MODES[mode]}`).toBe(want);
        } else {
          overflow++;
          expect(trapMessage(() => x.mulDiv_(a, b, d, mode))).toBe("mulDiv overflow: a*b/d does not fit in i64");
        }
      }
    }
    expect(inRange).toBeGreaterThan(12_000);
    expect(overflow).toBeGreaterThan(1_000);
  });

  it("mulHigh matches BigInt", () => {
    const r = prng(42n);
    for (let i = 0; i < 1000; i++) {
      const a = r.u64();
      const b = r.u64();
      expect(BigInt.asUintN(64, x.mulHigh_(a, b))).toBe((a * b) >> 64n);
    }
    expect(BigInt.asUintN(64, x.mulHigh_(-1n, -1n))).toBe((U64 * U64) >> 64n);
  });
});

describe("checked arithmetic", () => {
  it("traps at the edges with clear messages", () => {
    expect(x.add_(MAX, 0n)).toBe(MAX);
    expect(x.add_(MAX, MIN)).toBe(-1n);
    expect(trapMessage(() => x.add_(MAX, 1n))).toBe("addChecked overflow: a+b does not fit in i64");
    expect(trapMessage(() => x.add_(MIN, -1n))).toBe("addChecked overflow: a+b does not fit in i64");
    expect(trapMessage(() => x.add_(MIN, MIN))).toMatch(/^addChecked overflow/);

    expect(x.sub_(-1n, MIN)).toBe(MAX);
    expect(x.sub_(MIN, 0n)).toBe(MIN);
    expect(trapMessage(() => x.sub_(0n, MIN))).toBe("subChecked overflow: a-b does not fit in i64");
    expect(trapMessage(() => x.sub_(MIN, 1n))).toMatch(/^subChecked overflow/);
    expect(trapMessage(() => x.sub_(MAX, -1n))).toMatch(/^subChecked overflow/);

    expect(x.mul_(MIN, 1n)).toBe(MIN);
    expect(x.mul_(-(1n << 32n), 1n << 31n)).toBe(MIN);
    expect(x.mul_(3037000499n, 3037000499n)).toBe(3037000499n * 3037000499n);
    expect(trapMessage(() => x.mul_(3037000500n, 3037000500n))).toBe("mulChecked overflow: a*b does not fit in i64");
    expect(trapMessage(() => x.mul_(MIN, -1n))).toMatch(/^mulChecked overflow/);
    expect(trapMessage(() => x.mul_(-1n, MIN))).toMatch(/^mulChecked overflow/);
    expect(trapMessage(() => x.mul_(1n << 32n, 1n << 31n))).toMatch(/^mulChecked overflow/);
    expect(trapMessage(() => x.mul_(MIN, MIN))).toMatch(/^mulChecked overflow/);
    expect(x.mul_(0n, MIN)).toBe(0n);

    expect(x.neg_(MAX)).toBe(-MAX);
    expect(trapMessage(() => x.neg_(MIN))).toBe("negChecked overflow: -i64.MIN_VALUE does not fit in i64");
    expect(x.abs_(MIN + 1n)).toBe(MAX);
    expect(trapMessage(() => x.abs_(MIN))).toBe("absChecked overflow: |i64.MIN_VALUE| does not fit in i64");

    expect(trapMessage(() => x.divRound_(MIN, -1n, DOWN))).toBe("divRound overflow: i64.MIN_VALUE / -1 does not fit in i64");
    expect(trapMessage(() => x.divChecked_(MIN, -1n))).toMatch(/^divRound overflow/);
    expect(trapMessage(() => x.divRound_(5n, 0n, DOWN))).toBe("divRound: division by zero");
    expect(x.divRound_(MIN, 1n, DOWN)).toBe(MIN);
    expect(x.divRound_(MIN, 2n, DOWN)).toBe(MIN / 2n);
    expect(x.divChecked_(-7n, 2n)).toBe(-3n);
  });

  it("matches BigInt on seeded random operands", () => {
    const r = prng(7n);
    for (let i = 0; i < 3000; i++) {
      const a = r.i64();
      const b = r.i64();
      const cases: [string, bigint][] = [
        ["add_", a + b],
        ["sub_", a - b],
        ["mul_", a * b],
      ];
      for (const [fn, want] of cases) {
        if (fits(want)) expect(x[fn](a, b)).toBe(want);
        else expect(trapMessage(() => x[fn](a, b))).toMatch(/overflow: .* does not fit in i64$/);
      }
      if (b !== 0n) {
        for (let mode = 0; mode < 6; mode++) {
          const want = refDiv(a, b, mode);
          if (fits(want)) expect(x.divRound_(a, b, mode), `${a}/${b} ${MODES[mode]}`).toBe(want);
          else expect(trapMessage(() => x.divRound_(a, b, mode))).toMatch(/^divRound overflow/);
        }
      }
    }
  });

  it("pow10", () => {
    for (let n = 0; n <= 18; n++) expect(x.pow10_(n)).toBe(10n ** BigInt(n));
    expect(trapMessage(() => x.pow10_(19))).toBe("pow10: exponent out of range 0..18");
    expect(trapMessage(() => x.pow10_(-1))).toMatch(/^pow10/);
  });
});

describe("notional", () => {
  const BTC_1M = 100_000_000_000_000n; // 1,000,000 BTC at 1e8
  const USD_1M = 1_000_000_000_000_000n; // $1,000,000 at 1e9

  it("1,000,000 BTC × $1,000,000 is exact in whole and micro dollars", () => {
    expect(x.notionalAt_(BTC_1M, USD_1M, 0, HALF_EVEN)).toBe(1_000_000_000_000n);
    expect(x.notionalAt_(BTC_1M, USD_1M, 6, HALF_EVEN)).toBe(1_000_000_000_000_000_000n);
    expect(x.notionalAt_(BTC_1M, USD_1M, 6, DOWN)).toBe(10n ** 18n);
    // one unit off in price changes the micro-dollar value by exactly 1e14·1/1e11 = 1000
    expect(x.notionalAt_(BTC_1M, USD_1M + 1n, 6, HALF_EVEN)).toBe(10n ** 18n + 1000n);
    expect(x.notionalAt_(-BTC_1M, USD_1M, 0, HALF_EVEN)).toBe(-1_000_000_000_000n);
  });

  it("notional() at 1e9 traps for it with a clear message", () => {
    expect(trapMessage(() => x.notional_(BTC_1M, USD_1M, HALF_EVEN))).toBe(
      "notional overflow: qty*px exceeds the i64 USD range (~$9.2e9 at 1e9 scale); use notionalAt() with fewer decimals",
    );
    expect(trapMessage(() => x.notionalAt_(BTC_1M, USD_1M, 9, HALF_EVEN))).toBe(
      "notionalAt overflow: qty*px does not fit in i64 at this number of decimals",
    );
    expect(trapMessage(() => x.notionalAt_(BTC_1M, USD_1M, 7, HALF_EVEN))).toMatch(/^notionalAt overflow/);
    expect(trapMessage(() => x.notionalAt_(1n, 1n, 18, HALF_EVEN))).toBe("notionalAt: decimals out of range 0..17");
    expect(trapMessage(() => x.notionalAt_(1n, 1n, -1, HALF_EVEN))).toMatch(/^notionalAt: decimals/);
  });

  it("everyday values", () => {
    const px = x.pxFromParts(74000n, 500_000_000n); // $74,000.50
    expect(x.notionalDefault(x.qtyFromInt(2n), px)).toBe(148_001_000_000_000n);
    expect(x.notional_(x.qtyFromParts(0n, 1n), px, HALF_EVEN)).toBe(740_005n); // 1 sat → $0.000740005
    // 1e-8 × 1e-9 USD: 1e-8 units of USD at 1e9 → rounds per mode
    expect(x.notional_(1n, 1n, HALF_EVEN)).toBe(0n);
    expect(x.notional_(1n, 1n, CEIL)).toBe(1n);
    expect(x.notional_(-1n, 1n, FLOOR)).toBe(-1n);
    expect(x.notionalAt_(x.qtyFromInt(2n), px, 9, HALF_EVEN)).toBe(148_001_000_000_000n);
    expect(x.notionalAt_(x.qtyFromInt(2n), px, 12, HALF_EVEN)).toBe(148_001_000_000_000_000n);
    expect(x.notionalAt_(123n, 456_789n, 17, HALF_EVEN)).toBe(123n * 456_789n); // raw product scale
    expect(trapMessage(() => x.notionalAt_(x.qtyFromInt(2n), px, 17, HALF_EVEN))).toMatch(/^notionalAt overflow/);
    expect(x.qtyForNotional_(x.usdFromInt(1000n), x.pxFromInt(3n), DOWN)).toBe(33_333_333_333n);
    expect(x.qtyForNotional_(x.usdFromInt(1000n), x.pxFromInt(3n), CEIL)).toBe(33_333_333_334n);
    expect(trapMessage(() => x.qtyForNotional_(1n, 0n, DOWN))).toBe("qtyForNotional: px must be non-zero");
  });

  it("matches BigInt on seeded random qty/px, all modes and decimals", () => {
    const r = prng(99n);
    let fitCount = 0;
    for (let i = 0; i < 1500; i++) {
      const qty = r.i64() >> BigInt(r.int(20));
      const px = r.i64() >> BigInt(r.int(20));
      const mode = r.int(6);
      const want = refDiv(qty * px, 100_000_000n, mode);
      if (fits(want)) {
        fitCount++;
        expect(x.notional_(qty, px, mode)).toBe(want);
      } else expect(trapMessage(() => x.notional_(qty, px, mode))).toMatch(/^notional overflow/);
      const dec = r.int(18);
      const wantAt = refDiv(qty * px, 10n ** BigInt(17 - dec), mode);
      if (fits(wantAt)) expect(x.notionalAt_(qty, px, dec, mode)).toBe(wantAt);
      else expect(trapMessage(() => x.notionalAt_(qty, px, dec, mode))).toMatch(/^notionalAt overflow/);
    }
    expect(fitCount).toBeGreaterThan(300);
  });

  it("is exact right at the i64 boundary (seeded: qty ≈ MAX·1e8/px)", () => {
    const r = prng(1234n);
    let fitCount = 0;
    let ovfCount = 0;
    for (let i = 0; i < 1500; i++) {
      const px = (r.next() >> BigInt(1 + r.int(62))) + 1n;
      const sign = r.int(2) === 0 ? 1n : -1n;
      let qty = (MAX * 100_000_000n) / px + BigInt(r.int(2001) - 1000);
      if (qty > MAX) qty = MAX - BigInt(r.int(1000));
      qty *= sign;
      const mode = r.int(6);
      const want = refDiv(qty * px, 100_000_000n, mode);
      if (fits(want)) {
        fitCount++;
        expect(x.notional_(qty, px, mode), `${qty} × ${px} ${MODES[mode]}`).toBe(want);
      } else {
        ovfCount++;
        expect(trapMessage(() => x.notional_(qty, px, mode))).toMatch(/^notional overflow/);
      }
    }
    expect(fitCount).toBeGreaterThan(300);
    expect(ovfCount).toBeGreaterThan(300);
  });
});

describe("basis points", () => {
  it("bps", () => {
    expect(x.bps_(1_000_000n, 5n, HALF_EVEN)).toBe(500n);
    expect(x.bps_(12_345n, 5n, HALF_EVEN)).toBe(6n); // 6.1725
    expect(x.bps_(12_345n, 5n, CEIL)).toBe(7n);
    expect(x.bps_(-12_345n, 5n, FLOOR)).toBe(-7n);
    expect(x.bps_(-12_345n, 5n, DOWN)).toBe(-6n);
    expect(x.bps_(10_000n, 1n, HALF_EVEN)).toBe(1n);
    expect(x.bps_(5_000n, 1n, HALF_EVEN)).toBe(0n); // 0.5 → even
    expect(x.bps_(15_000n, 1n, HALF_EVEN)).toBe(2n); // 1.5 → even
    expect(x.bps_(5_000n, 1n, HALF_UP)).toBe(1n);
    expect(x.bps_(MAX, 10_000n, DOWN)).toBe(MAX);
    expect(trapMessage(() => x.bps_(MAX, 10_001n, DOWN))).toBe("bps overflow: amount*bps/10000 does not fit in i64");
    expect(x.bps_(MIN, 10_000n, DOWN)).toBe(MIN);
    expect(trapMessage(() => x.bps_(MIN, -10_000n, DOWN))).toMatch(/^bps overflow/); // −MIN
    const r = prng(8n);
    for (let i = 0; i < 2000; i++) {
      const a = r.i64();
      const b = r.i64() >> BigInt(r.int(64));
      const mode = r.int(6);
      const want = refDiv(a * b, 10_000n, mode);
      if (fits(want)) expect(x.bps_(a, b, mode), `${a} × ${b} bps ${MODES[mode]}`).toBe(want);
      else expect(trapMessage(() => x.bps_(a, b, mode))).toMatch(/^bps overflow/);
    }
  });

  it("applyBps moves a price by bps", () => {
    const px = x.pxFromInt(100n);
    expect(x.applyBps_(px, 5n, HALF_EVEN)).toBe(100_050_000_000n);
    expect(x.applyBps_(px, -5n, HALF_EVEN)).toBe(99_950_000_000n);
    expect(x.applyBps_(px, 0n, HALF_EVEN)).toBe(px);
    expect(x.applyBps_(px, -10_000n, HALF_EVEN)).toBe(0n);
    expect(x.applyBps_(3n, 5n, HALF_EVEN)).toBe(3n); // 3.0015
    expect(x.applyBps_(3n, 5n, CEIL)).toBe(4n);
    expect(x.applyBps_(10_001n, -1n, HALF_EVEN)).toBe(10_000n); // 10001·9999/10000 = 9999.9999
    expect(trapMessage(() => x.applyBps_(MAX, 1n, DOWN))).toBe("applyBps overflow: px*(10000+bps)/10000 does not fit in i64");
    expect(trapMessage(() => x.applyBps_(1n, MAX, DOWN))).toMatch(/^applyBps overflow/);
    const r = prng(3n);
    for (let i = 0; i < 1000; i++) {
      const p = r.i64() >> BigInt(r.int(30));
      const b = BigInt(r.int(40_000)) - 20_000n;
      const mode = r.int(6);
      const want = refDiv(p * (10_000n + b), 10_000n, mode);
      if (fits(want)) expect(x.applyBps_(p, b, mode)).toBe(want);
      else expect(trapMessage(() => x.applyBps_(p, b, mode))).toMatch(/^applyBps overflow/);
    }
  });

  it("bpsBetween = (b − a)·10000/a", () => {
    expect(x.bpsBetweenDefault(x.pxFromInt(100n), x.pxFromInt(101n))).toBe(100n);
    expect(x.bpsBetweenDefault(x.pxFromInt(101n), x.pxFromInt(100n))).toBe(-99n); // −99.0099
    expect(x.bpsBetweenDefault(3n, 4n)).toBe(3333n);
    expect(x.bpsBetweenDefault(3n, 5n)).toBe(6667n);
    expect(x.bpsBetweenDefault(20_000n, 20_001n)).toBe(0n); // 0.5 → even
    expect(x.bpsBetween_(20_000n, 20_001n, HALF_UP)).toBe(1n);
    expect(x.bpsBetween_(20_000n, 19_999n, HALF_UP)).toBe(-1n);
    expect(x.bpsBetween_(20_000n, 19_999n, FLOOR)).toBe(-1n);
    expect(x.bpsBetween_(20_000n, 19_999n, CEIL)).toBe(0n);
    expect(trapMessage(() => x.bpsBetweenDefault(0n, 5n))).toBe("bpsBetween: a must be non-zero");
    expect(trapMessage(() => x.bpsBetweenDefault(MIN, MAX))).toBe("bpsBetween overflow: (b-a)*10000/a does not fit in i64");
    expect(trapMessage(() => x.bpsBetweenDefault(1n, MAX))).toMatch(/^bpsBetween overflow/);
    const r = prng(4n);
    for (let i = 0; i < 1000; i++) {
      const a = r.i64() >> BigInt(r.int(10));
      const b = a + (r.i64() >> BigInt(10 + r.int(50)));
      if (a === 0n || !fits(b)) continue;
      const mode = r.int(6);
      const want = refDiv((b - a) * 10_000n, a, mode);
      if (fits(want)) expect(x.bpsBetween_(a, b, mode), `${a} → ${b}`).toBe(want);
      else expect(trapMessage(() => x.bpsBetween_(a, b, mode))).toMatch(/^bpsBetween overflow/);
    }
  });
});

describe("roundToTick / roundToLot", () => {
  it("every mode, positive and negative (hand table)", () => {
    // [value, step, Down, Up, Floor, Ceil, HalfUp, HalfEven]
    const table: bigint[][] = [
      [12n, 5n, 10n, 15n, 10n, 15n, 10n, 10n],
      [13n, 5n, 10n, 15n, 10n, 15n, 15n, 15n],
      [15n, 10n, 10n, 20n, 10n, 20n, 20n, 20n],
      [25n, 10n, 20n, 30n, 20n, 30n, 30n, 20n],
      [-12n, 5n, -10n, -15n, -15n, -10n, -10n, -10n],
      [-13n, 5n, -10n, -15n, -15n, -10n, -15n, -15n],
      [-15n, 10n, -10n, -20n, -20n, -10n, -20n, -20n],
      [-25n, 10n, -20n, -30n, -30n, -20n, -30n, -20n],
      [-5n, 10n, 0n, -10n, -10n, 0n, -10n, 0n],
      [5n, 10n, 0n, 10n, 0n, 10n, 10n, 0n],
      [20n, 10n, 20n, 20n, 20n, 20n, 20n, 20n],
      [0n, 7n, 0n, 0n, 0n, 0n, 0n, 0n],
      [7n, 1n, 7n, 7n, 7n, 7n, 7n, 7n],
    ];
    for (const [v, step, ...want] of table) {
      for (let mode = 0; mode < 6; mode++) {
        expect(x.roundToTick_(v, step, mode), `tick ${v}/${step} ${MODES[mode]}`).toBe(want[mode]);
        expect(x.roundToLot_(v, step, mode), `lot ${v}/${step} ${MODES[mode]}`).toBe(want[mode]);
      }
    }
  });

  it("works on real prices and lots", () => {
    const tick = x.pxFromParts(0n, 10_000_000n); // $0.01
    const px = x.pxFromParts(74000n, 123_456_789n);
    expect(x.roundToTick_(px, tick, FLOOR)).toBe(x.pxFromParts(74000n, 120_000_000n));
    expect(x.roundToTick_(px, tick, CEIL)).toBe(x.pxFromParts(74000n, 130_000_000n));
    expect(x.roundToTick_(px, tick, HALF_EVEN)).toBe(x.pxFromParts(74000n, 120_000_000n));
    const lot = x.qtyFromParts(0n, 100_000n); // 0.001
    expect(x.roundToLot_(x.qtyFromParts(1n, 2_345_678n), lot, DOWN)).toBe(x.qtyFromParts(1n, 2_300_000n));
    expect(x.roundToLot_(x.qtyFromParts(-1n, -2_345_678n), lot, DOWN)).toBe(x.qtyFromParts(-1n, -2_300_000n));
  });

  it("traps on tick/lot ≤ 0 and on overflow", () => {
    for (const bad of [0n, -1n, MIN]) {
      expect(trapMessage(() => x.roundToTick_(100n, bad, DOWN))).toBe("roundToTick: tick must be > 0");
      expect(trapMessage(() => x.roundToLot_(100n, bad, DOWN))).toBe("roundToLot: lot must be > 0");
    }
    expect(x.roundToTick_(MAX, 10n, DOWN)).toBe(MAX - 7n);
    expect(trapMessage(() => x.roundToTick_(MAX, 10n, UP))).toBe("roundToTick overflow: rounded price does not fit in i64");
    expect(trapMessage(() => x.roundToTick_(MIN, 10n, FLOOR))).toMatch(/^roundToTick overflow/);
    expect(x.roundToTick_(MIN, 10n, CEIL)).toBe(MIN + 8n);
    expect(x.roundToTick_(MIN, 1n << 62n, FLOOR)).toBe(MIN);
    expect(x.roundToTick_(MAX, MAX, HALF_EVEN)).toBe(MAX);
    expect(trapMessage(() => x.roundToLot_(MAX, 2n, CEIL))).toBe("roundToLot overflow: rounded quantity does not fit in i64");
  });

  it("matches BigInt on seeded random values", () => {
    const r = prng(11n);
    for (let i = 0; i < 3000; i++) {
      const v = r.i64();
      let step = abs(r.i64() >> BigInt(r.int(63)));
      if (step === 0n || step > MAX) step = 1n;
      const mode = r.int(6);
      const want = refDiv(v, step, mode) * step;
      if (fits(want)) expect(x.roundToTick_(v, step, mode), `${v} / ${step} ${MODES[mode]}`).toBe(want);
      else expect(trapMessage(() => x.roundToTick_(v, step, mode))).toMatch(/^roundToTick overflow/);
    }
  });
});

describe("integer square root", () => {
  it("isqrt / isqrt128 match BigInt, including perfect squares and the maximum", () => {
    const check = (v: bigint) => {
      const got = BigInt.asUintN(64, x.isqrt128_(v >> 64n, BigInt.asUintN(64, v)));
      expect(got, `isqrt(${v})`).toBe(isqrtBig(v));
    };
    const U128 = (1n << 128n) - 1n;
    for (const v of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, U64, 1n << 64n, U128, U64 * U64, U64 * U64 - 1n, (1n << 126n)]) check(v);
    const r = prng(5n);
    for (let i = 0; i < 2000; i++) {
      const v = ((r.next() << 64n) | r.next()) >> BigInt(r.int(128));
      check(v);
      const s = v >> 64n; // a perfect square and its neighbours
      if (s > 0n) {
        check(s * s);
        check(s * s - 1n);
        check(s * s + 1n);
      }
    }
    for (let i = 0; i < 500; i++) {
      const v = r.u64();
      expect(BigInt.asUintN(64, x.isqrt_(v))).toBe(isqrtBig(v));
    }
  });

  it("isqrtDiv128 = ⌊√(x/d)⌋", () => {
    const r = prng(6n);
    for (let i = 0; i < 1000; i++) {
      const v = ((r.next() << 64n) | r.next()) >> BigInt(r.int(128));
      const d = r.u64() || 1n;
      const got = BigInt.asUintN(64, x.isqrtDiv128_(v >> 64n, BigInt.asUintN(64, v), d));
      expect(got).toBe(isqrtBig(v / d));
    }
    expect(trapMessage(() => x.isqrtDiv128_(1n, 1n, 0n))).toBe("isqrtDiv128: division by zero");
  });
});

describe("conversions", () => {
  it("Px / Qty / Usd", () => {
    expect(x.pxFromInt(74000n)).toBe(74_000_000_000_000n);
    expect(x.pxFromInt(-3n)).toBe(-3_000_000_000n);
    expect(trapMessage(() => x.pxFromInt(10_000_000_000n))).toMatch(/^mulChecked overflow/);
    expect(x.pxFromParts(74000n, 500_000_000n)).toBe(74_000_500_000_000n);
    expect(x.pxFromParts(0n, -250_000_000n)).toBe(-250_000_000n);
    expect(x.pxFromParts(-1n, -500_000_000n)).toBe(-1_500_000_000n);
    expect(x.pxFromParts(-1n, 0n)).toBe(-1_000_000_000n);
    for (const [w, f] of [[-1n, 5n], [1n, -5n], [0n, 1_000_000_000n], [0n, -1_000_000_000n]]) {
      expect(trapMessage(() => x.pxFromParts(w, f))).toBe("fromParts: fraction out of range or of the opposite sign to whole");
    }
    expect(x.pxWhole(-1_500_000_000n)).toBe(-1n);
    expect(x.pxNanos(-1_500_000_000n)).toBe(-500_000_000n);
    expect(x.pxToF64(74_000_500_000_000n)).toBe(74000.5);
    expect(x.qtyFromInt(2n)).toBe(200_000_000n);
    expect(x.qtyFromParts(0n, 1n)).toBe(1n);
    expect(trapMessage(() => x.qtyFromParts(0n, 100_000_000n))).toMatch(/^fromParts/);
    expect(x.qtyWhole(250_000_000n)).toBe(2n);
    expect(x.qtyToF64(250_000_000n)).toBe(2.5);
    expect(x.usdFromInt(9n)).toBe(9_000_000_000n);
    expect(x.usdFromParts(-2n, -1n)).toBe(-2_000_000_001n);
    expect(x.usdToF64(-2_500_000_000n)).toBe(-2.5);
  });
});
