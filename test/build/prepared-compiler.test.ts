// `npm run build` prepares dist/compiler/ (scripts/compiler.mjs): assemblyscript
// with binaryen's module as a file, because loading it from its 13 MB string
// costs every cold build ~0.2 s. It must exist for the pinned packages, and it
// must build the very bytes the packages as installed build.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLKIT_ROOT } from "../../src/paths.ts";
import { runCli, tempDir } from "../cli/run.ts";

const PREPARED = path.join(TOOLKIT_ROOT, "dist", "compiler");

describe("the prepared compiler", () => {
  it("is prepared from the pinned packages, with binaryen's module as valid WebAssembly beside its loader", () => {
    for (const file of ["asc.js", "assemblyscript.js", "binaryen.js", "binaryen.wasm"]) expect(existsSync(path.join(PREPARED, file)), file).toBe(true);
    expect(WebAssembly.validate(readFileSync(path.join(PREPARED, "binaryen.wasm")))).toBe(true);
    const loader = readFileSync(path.join(PREPARED, "binaryen.js"), "latin1");
    expect(loader.length).toBeLessThan(1_000_000); // the 13 MB string is gone
    expect(loader).toContain(`new URL("./binaryen.wasm", import.meta.url)`);
  });

  it("builds byte for byte what the installed assemblyscript builds, through `algo build`", async () => {
    const dir = tempDir();
    const project = path.join(dir, "mm");
    expect((await runCli(["init", project, "--template", "market-maker"], { cwd: dir })).code).toBe(0);
    const wasmFile = path.join(project, "build", "algo.wasm");

    const prepared = await runCli(["build", "--force"], { cwd: project, timeoutMs: 60_000 });
    expect(prepared.code, prepared.stderr).toBe(0);
    const preparedBytes = readFileSync(wasmFile);

    const stock = await runCli(["build", "--force"], { cwd: project, env: { SEQUENCE_ALGO_STOCK_COMPILER: "1" }, timeoutMs: 60_000 });
    expect(stock.code, stock.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(wasmFile), preparedBytes)).toBe(0);
  }, 120_000);
});
