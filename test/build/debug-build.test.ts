// `algo build --debug` (mode "debug": unoptimized, debug info) must produce a
// module every host accepts and that trades exactly like the optimized one.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileAlgo, runBacktest, SyntheticSource, BpsFees } from "sequence-algo";
import { readWasmLayout } from "../../harness/wasm-layout.ts";

const TEMPLATES = path.resolve(import.meta.dirname, "../../templates");
// every template, so a new one is covered without editing this file
const templates = readdirSync(TEMPLATES).filter((name) => !name.startsWith("."));

function entryOf(template: string): string {
  const pkg = JSON.parse(readFileSync(path.join(TEMPLATES, template, "package.json"), "utf8"));
  return path.join(TEMPLATES, template, pkg.sequence?.entry ?? "assembly/algo.ts");
}

async function backtest(module: WebAssembly.Module) {
  const { result } = await runBacktest({ module, source: new SyntheticSource({ seed: 7, count: 20_000 }), fees: new BpsFees(0, 5) });
  return { ...result, module_memory_bytes: 0 }; // unoptimized code may use more memory; everything else must match
}

describe("algo build --debug", () => {
  it("covers the templates", () => {
    expect(templates).toEqual(expect.arrayContaining(["empty", "market-maker", "mean-reversion"]));
  });

  it.each(templates)("%s: passes the module check, reads its ABI version without running code, and backtests like -O3", async (template) => {
    const debug = await compileAlgo(entryOf(template), { mode: "debug" });
    expect(debug.abi).toEqual({ major: 1, minor: 0 });
    expect(readWasmLayout(debug.wasm)?.constantExports.get("sequence_abi_version")).toBe(0x10000);
    const speed = await compileAlgo(entryOf(template));
    expect(debug.wasm.length).toBeGreaterThan(speed.wasm.length); // really unoptimized
    const optimized = await backtest(speed.module);
    if (template !== "empty") expect(optimized.fills.count).toBeGreaterThan(0); // the comparison means something
    expect(await backtest(debug.module)).toEqual(optimized);
  });
});
