// `npm run build` prepares dist/compiler/ (scripts/compiler.mjs): assemblyscript
// with binaryen's module as a file, because loading it from its 13 MB string
// costs every cold build ~0.2 s, and its JavaScript as one classic script whose
// V8 code cache the first build writes (src/build/compiler-loader.ts). It must
// exist for the pinned packages, and it must build the very bytes the packages
// as installed build, with a code cache, without one, and with a broken one.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLKIT_ROOT } from "../../src/paths.ts";
import { runCli, tempDir } from "../cli/run.ts";

const PREPARED = path.join(TOOLKIT_ROOT, "dist", "compiler");

describe("the prepared compiler", () => {
  it("is prepared from the pinned packages, with binaryen's module as valid WebAssembly beside its loader", () => {
    for (const file of ["asc.js", "assemblyscript.js", "binaryen.js", "binaryen.wasm", "compiler.script.js"]) expect(existsSync(path.join(PREPARED, file)), file).toBe(true);
    expect(WebAssembly.validate(readFileSync(path.join(PREPARED, "binaryen.wasm")))).toBe(true);
    const loader = readFileSync(path.join(PREPARED, "binaryen.js"), "latin1");
    expect(loader.length).toBeLessThan(1_000_000); // the 13 MB string is gone
    expect(loader).toContain(`new URL("./binaryen.wasm", import.meta.url)`);
    const script = readFileSync(path.join(PREPARED, "compiler.script.js"), "utf8");
    expect(script.startsWith("(async function (require, __compilerUrl) {")).toBe(true);
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

  it("rebuilds a missing or unusable code cache and builds the same bytes with it, without it and after it", async () => {
    const dir = tempDir();
    const project = path.join(dir, "mm");
    expect((await runCli(["init", project, "--template", "market-maker"], { cwd: dir })).code).toBe(0);
    const wasmFile = path.join(project, "build", "algo.wasm");
    const stock = await runCli(["build", "--force"], { cwd: project, env: { SEQUENCE_ALGO_STOCK_COMPILER: "1" }, timeoutMs: 60_000 });
    expect(stock.code, stock.stderr).toBe(0);
    const stockBytes = readFileSync(wasmFile);

    // The name compiler-loader.ts gives it: the script's hash and the Node version.
    const hash = createHash("sha256").update(readFileSync(path.join(PREPARED, "compiler.script.js"))).digest("hex").slice(0, 16);
    const cacheFile = path.join(PREPARED, `compiler-${hash}-node${process.versions.node}.v8cache`);
    const garbage = Buffer.from("not a V8 code cache");
    for (const setup of ["missing", "garbage", "valid"] as const) {
      if (setup === "missing") rmSync(cacheFile, { force: true });
      if (setup === "garbage") writeFileSync(cacheFile, garbage);
      const built = await runCli(["build", "--force"], { cwd: project, timeoutMs: 60_000 });
      expect(built.code, `${setup}: ${built.stderr}`).toBe(0);
      expect(Buffer.compare(readFileSync(wasmFile), stockBytes), setup).toBe(0);
      // Written (again) by the build; other test files' builds may rewrite it too, never with garbage.
      expect(existsSync(cacheFile), setup).toBe(true);
      expect(readFileSync(cacheFile).length, setup).toBeGreaterThan(100_000);
    }
  }, 180_000);
});
