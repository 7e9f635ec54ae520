// Everything the runtime exports compiles in a user's project: an algo that
// imports "sequence-algo/runtime" like an `algo init` project and uses every
// public symbol (test/fixtures/every-symbol-algo.ts) builds through
// compileAlgo — `algo build`'s own path — at -O2 and in debug mode, passes the
// module check, and backtests identically in both. The list of symbols is read
// from runtime/index.ts, so a new export the probe does not use fails here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AlgoTrap, BpsFees, compileAlgo, type CompiledAlgo, Params, runBacktest, SyntheticSource } from "sequence-algo";
import { runtimePublicSurface, type PublicSymbol } from "./public-surface.ts";

const PROBE = path.resolve(import.meta.dirname, "../fixtures/every-symbol-algo.ts");
const probeSource = readFileSync(PROBE, "utf8");
const surface = runtimePublicSurface();
const builds = new Map<string, Promise<CompiledAlgo>>();
/** Each mode is compiled once for the whole file. */
const build = (mode: "speed" | "debug") => builds.get(mode) ?? (builds.set(mode, compileAlgo(PROBE, { mode })), builds.get(mode)!);

const camel = (name: string) => name[0].toLowerCase() + name.slice(1);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Is `symbol` used in the probe? Instance members must be reached through an instance named after the class. */
function used(symbol: PublicSymbol): boolean {
  const [owner, member] = symbol.name.split(".");
  if (!member) return new RegExp(`\\b${escape(owner)}\\b`).test(probeSource);
  if (symbol.static) return new RegExp(`\\b${escape(owner)}\\.${escape(member)}\\b`).test(probeSource);
  if (owner === "Algo") return new RegExp(`\\bthis\\.${member}\\b|^  ${member}\\(`, "m").test(probeSource); // a call, or an override
  return new RegExp(`\\b${camel(owner)}\\.${member}\\b`).test(probeSource);
}

describe("the runtime's public surface", () => {
  it("is read from runtime/index.ts (classes with members, namespaces, enums, functions, constants)", () => {
    const names = surface.map((s) => s.name);
    // a sanity check that the reader works, not the list itself
    for (const name of ["Algo.buy", "Px.toString", "Side.Buy", "RollingMax.push", "Ema.fromAlphaBps", "params.int", "mulDiv", "MAX_OPEN_ORDERS"])
      expect(names).toContain(name);
    expect(names.some((n) => /\.(buf|head|total)$/.test(n))).toBe(false); // private members are not public
  });

  it("is used in full by the probe algo", () => {
    expect(surface.filter((s) => !used(s)).map((s) => s.name)).toEqual([]);
  });
});

describe.each(["speed", "debug"] as const)("the every-symbol algo, %s build", (mode) => {
  let built: CompiledAlgo;
  beforeAll(async () => {
    built = await build(mode);
  });

  const run = (params: Record<string, string> = {}) =>
    runBacktest({ module: built.module, source: new SyntheticSource({ seed: 3, count: 5_000 }), params: new Params(params), fees: new BpsFees(-1, 5) });

  it("passes the module check and backtests: fills, timers, logs and every indicator", async () => {
    expect(built.abi).toEqual({ major: 1, minor: 3 });
    const { result } = await run();
    expect(result.fills.count).toBeGreaterThan(0);
    expect(result.timers_fired).toBe(2);
    const messages = result.logs.map((l) => l.message);
    expect(messages).toContain("start");
    expect(messages.filter((m) => /^timer [78] position 1\.0 last \d+\.\d+$/.test(m))).toHaveLength(2);
    expect(messages.filter((m) => /^cancelled \d+$/.test(m))).toHaveLength(2);
    expect(messages.some((m) => /^checksum -?\d+ open 0 bid \d+\.\d+$/.test(m))).toBe(true);
    // the market buy: Qty/Px/Usd.toString print exact decimals, and the taker fee is 5 bps of the notional
    const fill = messages.map((m) => /^filled 1\.0 @ (\d+)\.(\d+) fee (\d+)\.(\d+)$/.exec(m)).find((m) => m !== null);
    expect(fill).toBeDefined();
    const nanos = (whole: string, frac: string) => BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, "0"));
    expect(nanos(fill![3], fill![4])).toBe((nanos(fill![1], fill![2]) * 5n) / 10_000n);
  });

  it.each([
    ["1", "probe abort", 'abort("probe abort")'],
    ["2", "probe throw", 'throw new Error("probe throw")'],
  ])("an author's trap (--param trap=%s) stops the run with its message (and a throw with its file and line)", async (trap, reason, statement) => {
    const error = await run({ trap }).catch((e) => e);
    expect(error).toBeInstanceOf(AlgoTrap);
    expect(error.reason).toBe(reason);
    // abort(msg) carries no location of its own; a throw does
    if (trap === "2") {
      expect(error.file).toMatch(/every-symbol-algo\.ts$/);
      expect(error.line).toBe(probeSource.split("\n").findIndex((l) => l.includes(statement)) + 1);
    }
  });
});

it("the debug and -O2 builds of the every-symbol algo give the same backtest", async () => {
  const results = await Promise.all(
    (["speed", "debug"] as const).map(async (mode) => {
      const { module } = await build(mode);
      const { result } = await runBacktest({ module, source: new SyntheticSource({ seed: 3, count: 5_000 }), fees: new BpsFees(-1, 5) });
      return { ...result, module_memory_bytes: 0 };
    }),
  );
  expect(results[1]).toEqual(results[0]);
});
