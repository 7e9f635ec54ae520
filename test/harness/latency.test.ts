import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../harness/report/latency.ts";

describe("LatencyHistogram", () => {
  it("gives percentiles within its bucket resolution (1/16 of a power of two) and the exact max", () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 10_000; v++) h.record(v); // uniform 1..10,000 ns
    expect(h.count).toBe(10_000);
    expect(h.max).toBe(10_000);
    const p50 = h.percentile(50);
    const p99 = h.percentile(99);
    expect(p50).toBeGreaterThanOrEqual(5_000);
    expect(p50).toBeLessThanOrEqual(5_000 * 1.07);
    expect(p99).toBeGreaterThanOrEqual(9_900);
    expect(p99).toBeLessThanOrEqual(10_000);
  });

  it("weights a batched sample by its count and is exact below 16 ns", () => {
    const h = new LatencyHistogram();
    h.record(3, 99); // a run of 99 callbacks averaging 3 ns
    h.record(1_000_000); // one slow callback
    expect(h.summary()).toEqual({ count: 100, p50_ns: 3, p99_ns: 3, max_ns: 1_000_000 });
    h.record(1_000_000);
    expect(h.percentile(99)).toBeGreaterThanOrEqual(1_000_000 * 0.94);
  });

  it("handles values past 2^31 ns", () => {
    const h = new LatencyHistogram();
    h.record(5e9);
    expect(h.percentile(50)).toBe(5e9);
    expect(h.max).toBe(5e9);
  });
});
