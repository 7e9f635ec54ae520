// "The per-tick path allocates nothing": built with the stub runtime, which
// never frees, any allocation per tick would make the module's memory grow
// with the number of ticks. It must be the same after 20k ticks as after 200k.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileAlgo, runBacktest, SyntheticSource, BpsFees, Params } from "sequence-algo";

const TEMPLATES = path.join(__dirname, "../../templates");

async function memoryAfter(module: WebAssembly.Module, count: number): Promise<{ bytes: number; fills: number }> {
  // half_spread_bps=0: the market maker quotes at the touch, so fills, orders and cancels all run
  const params = Params.parse(["half_spread_bps=0"]);
  const { result } = await runBacktest({ module, params, source: new SyntheticSource({ seed: 5, count }), fees: new BpsFees(-1, 5) });
  return { bytes: result.module_memory_bytes, fills: result.fills.count };
}

describe("the per-tick path allocates nothing", () => {
  for (const template of ["empty", "market-maker"]) {
    it(`${template}: module memory does not grow with the number of ticks`, async () => {
      const { module } = await compileAlgo(path.join(TEMPLATES, template, "assembly", "algo.ts"), { runtime: "stub" });
      const short = await memoryAfter(module, 20_000);
      const long = await memoryAfter(module, 200_000);
      expect(long.bytes).toBe(short.bytes);
      if (template === "market-maker") expect(long.fills).toBeGreaterThan(short.fills); // fills, orders and cancels ran too
    }, 60_000);
  }

  it("and the test can tell: an algo that allocates per tick grows", async () => {
    const file = path.join(__dirname, "../fixtures/allocating-algo.ts");
    const { module } = await compileAlgo(file, { runtime: "stub" });
    const short = await memoryAfter(module, 20_000);
    const long = await memoryAfter(module, 200_000);
    expect(long.bytes).toBeGreaterThan(short.bytes);
  }, 60_000);
});
