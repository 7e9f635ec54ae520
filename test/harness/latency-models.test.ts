// Latency models: the delay grammar, seeded draws, and the engine's two-clock
// path (feed/response latency) against the batched one.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, runBacktest, Latencies, Params, SyntheticSource, parseDelay, formatDelay, toExactJson, type LatencyModel } from "sequence-algo";

describe("parseDelay", () => {
  it("reads a constant and the three distributions, and writes them back the same", () => {
    expect(parseDelay("250000")).toEqual({ kind: "constant", ns: 250_000n });
    expect(parseDelay("uniform:100000:300000")).toEqual({ kind: "uniform", min: 100_000n, max: 300_000n });
    expect(parseDelay("normal:200000:50000")).toEqual({ kind: "normal", mean: 200_000, sd: 50_000 });
    expect(parseDelay("lognormal:200000:0.5")).toEqual({ kind: "lognormal", median: 200_000, sigma: 0.5 });
    for (const s of ["250000", "uniform:100000:300000", "normal:200000:50000", "lognormal:200000:0.5"]) expect(formatDelay(parseDelay(s))).toBe(s);
  });

  it("says what was wrong and what it expected", () => {
    expect(() => parseDelay("-5")).toThrow(/"-5": not a whole number of nanoseconds or a known distribution; expected <ns>, uniform:/);
    expect(() => parseDelay("1.5")).toThrow(/not a whole number/);
    expect(() => parseDelay("gamma:1:2")).toThrow(/unknown distribution "gamma"/);
    expect(() => parseDelay("uniform:300:100")).toThrow(/min is above its max/);
    expect(() => parseDelay("uniform:1.5:3")).toThrow(/whole nanoseconds/);
    expect(() => parseDelay("normal:100")).toThrow(/normal takes two numbers/);
    expect(() => parseDelay("lognormal:100:-1")).toThrow(/median \(ns\) and sigma are numbers ≥ 0/);
  });
});

describe("seeded draws", () => {
  const draws = (model: LatencyModel, n: number, lane: "feedNs" | "orderEntryNs" | "responseNs", step = 1_000_000n) =>
    Array.from({ length: n }, (_, k) => model[lane]!(BigInt(k) * step));

  it("repeat for a seed, differ between seeds, and restart with start()", () => {
    const m = new Latencies({ entry: "uniform:100:300", seed: 7n });
    const a = draws(m, 50, "orderEntryNs");
    expect(draws(m.start(), 50, "orderEntryNs")).toEqual(a);
    expect(draws(new Latencies({ entry: "uniform:100:300", seed: 8n }), 50, "orderEntryNs")).not.toEqual(a);
    expect(a.every((ns) => ns >= 100n && ns <= 300n)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(20); // really drawn, not a constant
  });

  it("each lane has its own stream: changing the feed leaves the entry draws alone", () => {
    const a = draws(new Latencies({ entry: "uniform:100:300", seed: 7n }), 20, "orderEntryNs");
    const b = draws(new Latencies({ entry: "uniform:100:300", feed: "normal:500:100", seed: 7n }), 20, "orderEntryNs");
    expect(b).toEqual(a);
  });

  it("never reorder a lane: a message sent 1 ns after another arrives no earlier", () => {
    const m = new Latencies({ response: "uniform:0:1000", seed: 3n });
    let last = -1n;
    for (let t = 0n; t < 2000n; t++) {
      const at = t + m.responseNs(t);
      expect(at >= last).toBe(true);
      last = at;
    }
  });

  it("clip normal draws at 0 and keep lognormal ones positive", () => {
    const normal = draws(new Latencies({ feed: "normal:100:1000", seed: 1n }), 200, "feedNs");
    expect(normal.every((ns) => ns >= 0n)).toBe(true);
    expect(normal.filter((ns) => ns === 0n).length).toBeGreaterThan(50); // P(N(100, 1000) < 0) ≈ 46%
    const logn = draws(new Latencies({ feed: "lognormal:1000:0.5", seed: 1n }), 200, "feedNs");
    expect(logn.every((ns) => ns > 0n)).toBe(true);
  });

  it("describe the settings for the report", () => {
    expect(new Latencies({ entry: 250n }).describe()).toEqual({ latency: "constant", feed_latency: "0", entry_latency: "250", response_latency: "0", order_entry_ns: "250" });
    expect(new Latencies({ feed: "uniform:1:2", seed: 9n }).describe()).toEqual({
      latency: "seeded", feed_latency: "uniform:1:2", entry_latency: "0", response_latency: "0", order_entry_ns: "0", latency_seed: "9",
    });
  });
});

describe("the engine with latency", () => {
  let mm: WebAssembly.Module;
  const source = new SyntheticSource({ seed: 3, count: 20_000 });
  const params = Params.parse(["max_position=1", "half_spread_bps=0"]);
  beforeAll(async () => {
    mm = (await compileAlgo(path.join(__dirname, "../../templates/market-maker/assembly/algo.ts"))).module;
  });

  it("the two-clock path with every delay 0 gives the batched path's run, fill for fill", async () => {
    for (const entry of [0n, 5_000_000n]) {
      const batched = (await runBacktest({ module: mm, source, params, latency: new Latencies({ entry }) })).result;
      // delaysAlgo forces the two-clock path although nothing is delayed
      const zero: LatencyModel = { orderEntryNs: () => entry, feedNs: () => 0n, responseNs: () => 0n, delaysAlgo: true, describe: () => ({}) };
      const twoClock = (await runBacktest({ module: mm, source, params, latency: zero })).result;
      expect(twoClock.fills.count).toBeGreaterThan(300);
      expect(toExactJson(twoClock.fill_log)).toBe(toExactJson(batched.fill_log));
      expect(toExactJson([twoClock.pnl, twoClock.orders, twoClock.logs])).toBe(toExactJson([batched.pnl, batched.orders, batched.logs]));
    }
  });

  it("same seed, same run; another seed, another run", async () => {
    const latency = (seed: bigint) => new Latencies({ feed: "uniform:0:2000000", entry: "lognormal:1000000:0.5", response: "normal:500000:200000", seed });
    const a = (await runBacktest({ module: mm, source, params, latency: latency(7n) })).result;
    const b = (await runBacktest({ module: mm, source, params, latency: latency(7n) })).result;
    const c = (await runBacktest({ module: mm, source, params, latency: latency(8n) })).result;
    expect(a.fills.count).toBeGreaterThan(100);
    expect(toExactJson(b)).toBe(toExactJson(a));
    expect(toExactJson(c.fill_log)).not.toBe(toExactJson(a.fill_log));
    expect(a.venue.latency_seed).toBe("7");
    for (const r of [a, c]) expect(r.orders.open_at_end).toBe(0); // cancelAll() in on_stop still lands
  });
});
