import { describe, expect, it } from "vitest";
import { checkModule, ModuleError } from "sequence-algo";
import { rawModule } from "../fixtures/raw-modules.ts";

describe("checkModule: what a host accepts", () => {
  it("accepts a module that speaks ABI v1", async () => {
    const info = await checkModule(rawModule({ version: (1 << 16) | 3 }));
    expect(info.abi).toEqual({ major: 1, minor: 3 });
  });

  it("refuses an unknown major version, naming both versions", async () => {
    const error = await checkModule(rawModule({ version: (2 << 16) | 1 }), "algo.wasm").catch((e) => e);
    expect(error).toBeInstanceOf(ModuleError);
    expect(error.message).toMatch(/algo\.wasm speaks ABI v2\.1, but this host speaks ABI v1\.3/);
  });

  it("refuses imports outside the host namespace", async () => {
    const error = await checkModule(rawModule({ imports: [["env", "seed"]] })).catch((e) => e);
    expect(error.message).toMatch(/imports "env\.seed", outside the host namespace "sequence"/);
  });

  it("refuses a host import that ABI v1 does not provide", async () => {
    const error = await checkModule(rawModule({ imports: [["sequence", "wall_clock"]] })).catch((e) => e);
    expect(error.message).toMatch(/"sequence\.wall_clock".*which ABI v1 does not provide/);
  });

  it("refuses a module missing an ABI export", async () => {
    const error = await checkModule(rawModule({ omit: ["sequence_run"] })).catch((e) => e);
    expect(error.message).toMatch(/does not export function "sequence_run"/);
  });

  it("runs none of the module's code: a start function is refused, not run (this one never returns)", async () => {
    await expect(checkModule(rawModule({ start: true }))).rejects.toThrow(/has a start function, which would run on load/);
  });

  it("reads the version without running code, so it must be a constant", async () => {
    await expect(checkModule(rawModule({ computedVersion: true }))).rejects.toThrow(/sequence_abi_version must return a constant/);
  });

  it("refuses unbounded or oversized memory", async () => {
    await expect(checkModule(rawModule({ maxPages: null }))).rejects.toThrow(/maximum memory of at most 256 pages \(16 MiB\); it declares none/);
    await expect(checkModule(rawModule({ maxPages: 1024 }))).rejects.toThrow(/it declares 1024 pages/);
  });

  it("refuses bytes that are not WebAssembly, and oversized modules", async () => {
    await expect(checkModule(new TextEncoder().encode("hello world"))).rejects.toThrow(/not a WebAssembly module/);
    const huge = new Uint8Array(4 * 1024 * 1024 + 1);
    huge.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    await expect(checkModule(huge)).rejects.toThrow(/limit is 4194304 bytes/);
  });
});
