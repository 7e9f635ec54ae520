// The build cache (src/build/cache.ts): a second build with nothing changed
// reuses the module on disk; a changed source, option, runtime file or a
// damaged cache means a fresh compile.
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildKey, buildWithCache, cacheFileOf } from "../../src/build/cache.ts";
import { RUNTIME_DIR } from "../../src/paths.ts";

const ALGO = `import { Algo, Quote, register } from "sequence-algo/runtime";
class Quiet extends Algo { onQuote(q: Quote): void {} }
register(new Quiet());
`;

let root: string;
let entry: string;
let outFile: string;
const build = () => buildWithCache({ entry, sourceRoot: root, outFile });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "build-cache-"));
  entry = path.join(root, "assembly", "algo.ts");
  outFile = path.join(root, "build", "algo.wasm");
  await mkdir(path.dirname(entry), { recursive: true });
  await writeFile(entry, ALGO);
});

describe("buildWithCache", () => {
  it("compiles once, then reuses the module without writing it again", async () => {
    const first = await build();
    expect(first.upToDate).toBe(false);
    expect(first.callbacks).toEqual(["on_quote"]);
    const written = await stat(outFile);
    const bytes = await readFile(outFile);

    const second = await build();
    expect(second.upToDate).toBe(true);
    expect(second.callbacks).toEqual(["on_quote"]);
    expect(Buffer.from(second.wasm).equals(bytes)).toBe(true);
    const after = await stat(outFile);
    expect(after.mtimeMs).toBe(written.mtimeMs);
    expect(after.ino).toBe(written.ino);
  }, 120_000);

  it("compiles again when a source file changes, and reuses the result after", async () => {
    await writeFile(entry, ALGO.replace("onQuote(q: Quote): void {}", "onQuote(q: Quote): void {} onStop(): void {}"));
    const edited = await build();
    expect(edited.upToDate).toBe(false);
    expect(edited.callbacks).toEqual(["on_quote", "on_stop"]);
    expect((await build()).upToDate).toBe(true);
    // A test file is not a source of the module.
    await writeFile(path.join(root, "assembly", "algo.test.ts"), "// not compiled\n");
    expect((await build()).upToDate).toBe(true);
  }, 120_000);

  it("compiles again when the cache file is corrupt or missing, or the module was damaged", async () => {
    await writeFile(cacheFileOf(outFile), "{ not json");
    expect((await build()).upToDate).toBe(false);
    await rm(cacheFileOf(outFile));
    expect((await build()).upToDate).toBe(false);
    await appendFile(outFile, Buffer.from([0]));
    const repaired = await build();
    expect(repaired.upToDate).toBe(false);
    expect(Buffer.from(await readFile(outFile)).equals(Buffer.from(repaired.wasm))).toBe(true);
    expect((await build()).upToDate).toBe(true);
  }, 180_000);
});

describe("buildKey", () => {
  it("changes with the build options", async () => {
    const speed = await buildKey(entry, root, {});
    expect(await buildKey(entry, root, { mode: "speed" })).toBe(speed);
    expect(await buildKey(entry, root, { mode: "debug" })).not.toBe(speed);
    expect(await buildKey(entry, root, { runtime: "stub" })).not.toBe(speed);
  });

  it("changes with any runtime file", async () => {
    const runtime = await mkdtemp(path.join(tmpdir(), "build-cache-runtime-"));
    await cp(RUNTIME_DIR, runtime, { recursive: true });
    const before = await buildKey(entry, root, {}, runtime);
    expect(before).toBe(await buildKey(entry, root, {}));
    await appendFile(path.join(runtime, "indicators.ts"), "\n// edited\n");
    expect(await buildKey(entry, root, {}, runtime)).not.toBe(before);
  });
});
