// The parameter space: exact ranges, lists, the grid's order, the seeded
// sample and the shards' slices.
import { describe, expect, it } from "vitest";
import { combination, gridSize, parseAxes, parseAxis, parseShard, sampleIndices, shardPositions, type ParamAxis } from "../../src/sweep/space.ts";

describe("parseAxis", () => {
  it("counts a range in exact decimals, end included: 0.5:5:0.5 is ten values", () => {
    expect(parseAxis("half_spread_bps=0.5:5:0.5")).toEqual({
      name: "half_spread_bps",
      spec: "0.5:5:0.5",
      values: ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"],
    });
  });

  it("has no float drift where binary floats would (0.1 + 0.2 ≠ 0.3)", () => {
    expect(parseAxis("x=0.1:0.3:0.1").values).toEqual(["0.1", "0.2", "0.3"]);
    expect(parseAxis("x=0:1:0.1").values).toHaveLength(11);
    expect(parseAxis("x=-1:1:0.75").values).toEqual(["-1", "-0.25", "0.5"]); // 1.25 would pass the end
    expect(parseAxis("x=0.00000001:0.00000003:0.00000001").values).toEqual(["0.00000001", "0.00000002", "0.00000003"]);
  });

  it("takes a list or one value, checked like backtest --param", () => {
    expect(parseAxis("size=1,2").values).toEqual(["1", "2"]);
    expect(parseAxis("size= 3 ").values).toEqual(["3"]);
    expect(parseAxis("post_only=true,false").values).toEqual(["true", "false"]);
    expect(() => parseAxis("size=1,abc")).toThrow(/size=abc: expected a decimal number/);
    expect(() => parseAxis("size=1,1")).toThrow(/listed twice/);
  });

  it("refuses a bad range with the flag and what is expected", () => {
    expect(() => parseAxis("x=1:5")).toThrow(/--param x=1:5: expected start:end:step/);
    expect(() => parseAxis("x=1:5:0")).toThrow(/the step must be above 0/);
    expect(() => parseAxis("x=5:1:1")).toThrow(/the end must not be below the start/);
    expect(() => parseAxis("x=0:1000000:1")).toThrow(/1000001 values; at most 100000/);
    expect(() => parseAxis("=1,2")).toThrow(/expected name=start:end:step/);
  });

  it("refuses no param and a param given twice", () => {
    expect(() => parseAxes([])).toThrow(/at least one --param/);
    expect(() => parseAxes(["a=1", "a=2"])).toThrow(/--param a is given twice/);
  });
});

describe("the grid", () => {
  const axes: ParamAxis[] = parseAxes(["a=1,2,3", "b=10,20"]);

  it("has the product of the axes' sizes, the last axis varying fastest", () => {
    expect(gridSize(axes)).toBe(6n);
    expect([0, 1, 2, 5].map((i) => combination(axes, i))).toEqual([
      { a: "1", b: "10" },
      { a: "1", b: "20" },
      { a: "2", b: "10" },
      { a: "3", b: "20" },
    ]);
  });

  it("runs every combination, or a seeded sample of distinct ones that the seed alone decides", () => {
    expect(sampleIndices(axes, { kind: "grid" })).toEqual([0, 1, 2, 3, 4, 5]);
    const big = parseAxes(["a=1:1000:1", "b=1:1000:1"]); // a million combinations
    const s = sampleIndices(big, { kind: "random", count: 50, seed: 7n });
    expect(s).toHaveLength(50);
    expect(new Set(s).size).toBe(50);
    expect(s).toEqual([...s].sort((x, y) => x - y));
    expect(s.every((i) => i >= 0 && i < 1_000_000)).toBe(true);
    expect(sampleIndices(big, { kind: "random", count: 50, seed: 7n })).toEqual(s);
    expect(sampleIndices(big, { kind: "random", count: 50, seed: 8n })).not.toEqual(s);
    // A sample as big as the grid is the grid.
    expect(sampleIndices(axes, { kind: "random", count: 9, seed: 1n })).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("refuses to run a grid too big for one sweep, and says to sample it", () => {
    const big = parseAxes(["a=1:1000:1", "b=1:1000:1"]);
    expect(() => sampleIndices(big, { kind: "grid" })).toThrow(/1000000 combinations; at most 100000 .*--random/);
  });
});

describe("shards", () => {
  it("parses i/n, 1-based", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "2", "a/b"]) expect(() => parseShard(bad)).toThrow(/expected i\/n with 1 ≤ i ≤ n/);
  });

  it("split the runs into disjoint slices that cover them all", () => {
    const slices = [1, 2, 3].map((index) => shardPositions(10, { index, count: 3 }));
    expect(slices).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(shardPositions(4, undefined)).toEqual([0, 1, 2, 3]);
    expect(shardPositions(2, { index: 3, count: 3 })).toEqual([]);
  });
});
