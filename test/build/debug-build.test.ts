// `algo build --debug` (mode "debug": unoptimized, debug info) must produce a
// module every host accepts and that trades exactly like the optimized one.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileAlgo, runBacktest, SyntheticSource, BpsFees, Params } from "sequence-algo";
import { readWasmLayout } from "../../harness/wasm-layout.ts";

const TEMPLATES = path.resolve(import.meta.dirname, "../../templates");
// every template, so a new one is covered without editing this file
const templates = readdirSync(TEMPLATES).filter((name) => !name.startsWith("."));

function entryOf(template: string): string {
  const pkg = JSON.parse(readFileSync(path.join(TEMPLATES, template, "package.json"), "utf8"));
  return path.join(TEMPLATES, template, pkg.sequence?.entry ?? "assembly/algo.ts");
}

// Settings that make each template trade on 20k synthetic ticks (their defaults
// are tuned for fees that these short runs never earn back), so the comparison means something.
const ACTIVE: Record<string, string[]> = { "market-maker": ["half_spread_bps=0"], "mean-reversion": ["min_edge_bps=0"] };

async function backtest(module: WebAssembly.Module, template: string) {
  const params = Params.parse(ACTIVE[template] ?? []);
  const { result } = await runBacktest({ module, params, source: new SyntheticSource({ seed: 7, count: 20_000 }), fees: new BpsFees(0, 5) });
  return { ...result, module_memory_bytes: 0 }; // unoptimized code may use more memory; everything else must match
}

describe("algo build --debug", () => {
  it("covers the templates", () => {
    expect(templates).toEqual(expect.arrayContaining(["empty", "market-maker", "mean-reversion"]));
  });

  it.each(templates)("%s: passes the module check, reads its ABI version without running code, and backtests like the optimized build", async (template) => {
    const debug = await compileAlgo(entryOf(template), { mode: "debug" });
    expect(debug.abi).toEqual({ major: 1, minor: 3 });
    expect(readWasmLayout(debug.wasm)?.constantExports.get("sequence_abi_version")).toBe(0x10003);
    const speed = await compileAlgo(entryOf(template));
    expect(debug.wasm.length).toBeGreaterThan(speed.wasm.length); // really unoptimized
    const optimized = await backtest(speed.module, template);
    if (template !== "empty") expect(optimized.fills.count).toBeGreaterThan(0); // the comparison means something
    expect(await backtest(debug.module, template)).toEqual(optimized);
  });
});
