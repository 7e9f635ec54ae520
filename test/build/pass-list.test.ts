// `algo build` optimizes with SPEED_PASSES (src/build/pass-list.ts), a shorter
// list than assemblyscript's -O2 that the toolkit claims changes nothing in
// its templates: each must build to the very bytes asc's own list builds, so
// the shorter build costs no replay speed.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { compileAlgo } from "../../src/build/compile.ts";
import { PassList, SPEED_PASSES } from "../../src/build/pass-list.ts";
import { TEMPLATES_DIR } from "../../src/paths.ts";

describe("the speed-mode pass list", () => {
  for (const template of readdirSync(TEMPLATES_DIR).sort()) {
    it(`builds the ${template} template to the same bytes as assemblyscript's -O2 list`, async () => {
      const entry = path.join(TEMPLATES_DIR, template, "assembly", "algo.ts");
      const ours = await compileAlgo(entry);
      const asc = await compileAlgo(entry, { ascPassList: true });
      expect(ours.wasm.length).toBeGreaterThan(1000);
      expect(Buffer.compare(Buffer.from(ours.wasm), Buffer.from(asc.wasm))).toBe(0);
    }, 120_000);
  }

  it("replaces only the list asc's optimize runs, keeping its settings, for this module only", () => {
    const calls: string[] = [];
    const module = {
      level: 0,
      optimize(level: number) {
        this.level = level; // a setting asc applies before running its passes
        this.runPasses(["inlining", "vacuum"]);
      },
      runPasses(passes: string[]) {
        calls.push(passes.join(","));
      },
    };
    const ascRunPasses = module.runPasses;
    new PassList(["vacuum"]).afterInitialize({ module });
    module.optimize(2);
    expect(module.level).toBe(2);
    expect(calls).toEqual(["vacuum"]);
    expect(module.runPasses).toBe(ascRunPasses); // restored after optimize
  });

  it("is applied by compileAlgo in speed mode, not in debug mode or when asc's list is asked for", async () => {
    const applied = vi.spyOn(PassList.prototype, "afterInitialize");
    const entry = path.join(TEMPLATES_DIR, "empty", "assembly", "algo.ts");
    await compileAlgo(entry);
    expect(applied).toHaveBeenCalledTimes(1);
    await compileAlgo(entry, { mode: "debug" });
    await compileAlgo(entry, { ascPassList: true });
    expect(applied).toHaveBeenCalledTimes(1);
    expect(SPEED_PASSES).toContain("inlining-optimizing");
    applied.mockRestore();
  }, 120_000);
});
