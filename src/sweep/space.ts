/**
 * The parameter space of a sweep: `--param name=start:end:step` (end
 * included, exact decimals), `--param name=a,b,c` or `--param name=v`, and
 * the runs drawn from it: every combination (the grid) or a seeded random
 * sample of them. A run is known by its position in that list, which is the
 * same on every machine, so `--shard i/n` and `sweep merge` can rely on it.
 */
import { formatFixed } from "../../harness/data/decimal.ts";
import { parseParamPairs } from "../../harness/params.ts";
import { Xoshiro128 } from "../../harness/data/prng.ts";
import { UsageError } from "../cli/errors.ts";
import { isDecimal, units } from "./decimal.ts";

export interface ParamAxis {
  name: string;
  /** Exact decimal text (or true/false), in the order given or counted. */
  values: string[];
  /** What the user typed after `=`, for the manifest. */
  spec: string;
}

/** Runs one sweep may hold; a bigger grid needs --random. */
export const MAX_RUNS = 100_000;

/** `name=spec` → an axis. A range counts in exact decimals: 0.5:5:0.5 is ten values, 0.5 … 5. */
export function parseAxis(arg: string): ParamAxis {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new UsageError(`--param ${arg}: expected name=start:end:step, name=a,b,c or name=value`);
  const name = arg.slice(0, eq).trim();
  const spec = arg.slice(eq + 1).trim();
  if (spec.includes(":")) return { name, spec, values: rangeValues(name, spec) };
  const values = spec.split(",").map((v) => v.trim());
  // parseParamPairs checks each value the way `algo backtest --param` does.
  for (const v of values) parseParamPairs([`${name}=${v}`]);
  if (new Set(values).size !== values.length) throw new UsageError(`--param ${arg}: a value is listed twice`);
  return { name, spec, values };
}

function rangeValues(name: string, spec: string): string[] {
  const parts = spec.split(":");
  const usage = `--param ${name}=${spec}: expected start:end:step with decimal numbers, e.g. 0.5:5:0.5`;
  if (parts.length !== 3 || !parts.every(isDecimal)) throw new UsageError(usage);
  const scale = Math.max(...parts.map((p) => (p.includes(".") ? p.length - p.indexOf(".") - 1 : 0)));
  const [start, end, step] = parts.map((p) => units(p, scale));
  if (step <= 0n) throw new UsageError(`${usage} (the step must be above 0)`);
  if (end < start) throw new UsageError(`${usage} (the end must not be below the start)`);
  const count = (end - start) / step + 1n;
  if (count > BigInt(MAX_RUNS)) throw new UsageError(`--param ${name}=${spec}: ${count} values; at most ${MAX_RUNS}`);
  const values: string[] = [];
  for (let v = start; v <= end; v += step) values.push(formatFixed(v, scale));
  return values;
}

/** The axes of several `--param` flags; a name given twice is an error. */
export function parseAxes(args: readonly string[]): ParamAxis[] {
  if (args.length === 0) throw new UsageError("give at least one --param name=start:end:step or name=a,b,c to sweep");
  const axes = args.map(parseAxis);
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.name)) throw new UsageError(`--param ${a.name} is given twice; list its values in one flag (e.g. ${a.name}=1,2,3)`);
    seen.add(a.name);
  }
  return axes;
}

/** How many combinations the axes make. */
export function gridSize(axes: readonly ParamAxis[]): bigint {
  return axes.reduce((n, a) => n * BigInt(a.values.length), 1n);
}

/** Combination `index` of the grid: the first axis varies slowest, the last fastest. */
export function combination(axes: readonly ParamAxis[], index: number): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = index;
  for (let i = axes.length - 1; i >= 0; i--) {
    const n = axes[i].values.length;
    out[axes[i].name] = axes[i].values[rest % n];
    rest = Math.floor(rest / n);
  }
  // Keys in axis order, so every file lists them the same way.
  return Object.fromEntries(axes.map((a) => [a.name, out[a.name]]));
}

export type Sampling = { kind: "grid" } | { kind: "random"; count: number; seed: bigint };

/**
 * The grid indices a sweep runs, in ascending order: all of them, or `count`
 * distinct ones drawn with the seeded PRNG (Floyd's algorithm: exactly
 * `count` draws, whatever the grid's size).
 */
export function sampleIndices(axes: readonly ParamAxis[], sampling: Sampling): number[] {
  const size = gridSize(axes);
  if (sampling.kind === "grid" || BigInt(sampling.count) >= size) {
    if (size > BigInt(MAX_RUNS)) throw new UsageError(`the grid has ${size} combinations; at most ${MAX_RUNS} run in one sweep: use --random N to sample some`);
    return Array.from({ length: Number(size) }, (_, i) => i);
  }
  if (size > 2n ** 32n) throw new UsageError(`the grid has ${size} combinations; --random samples from at most 2^32`);
  const n = Number(size);
  const rng = Xoshiro128.fromSeed(sampling.seed);
  const chosen = new Set<number>();
  for (let j = n - sampling.count; j < n; j++) {
    const t = rng.below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `i/n` (1-based: 1/4 … 4/4). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : 0;
  const count = m ? Number(m[2]) : 0;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n, e.g. 1/4`);
  return { index, count };
}

/** The runs (positions in the sweep's run list) a shard takes: every n-th, so each shard gets a spread of the grid. */
export function shardPositions(total: number, shard: Shard | undefined): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  return shard ? all.filter((i) => i % shard.count === shard.index - 1) : all;
}
