/**
 * The build cache: `algo build`, `backtest`, `deploy` and `strategy push`
 * reuse build/<entry>.wasm when nothing that goes into it changed.
 *
 * The key is a SHA-256 over the toolkit version, the compiler's version, the
 * build options, and the path and content of every `.ts` file of the
 * project (outside node_modules, build/ and dot folders; tests excluded) and
 * of the toolkit's runtime/; paths are relative, so a moved project keeps its
 * cache. It is stored beside the module in `<module>.cache.json` with the
 * module's own SHA-256, so an edited, replaced or truncated module, or a
 * missing or unreadable cache file, means a fresh compile, never a stale one.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";
import { checkModule } from "../../harness/module-check.ts";
import { RUNTIME_DIR, TOOLKIT_ROOT, TOOLKIT_VERSION } from "../paths.ts";
import { SPEED_PASSES } from "./pass-list.ts";
import { compileAlgo, compilerArgs, type CompileDiagnostic, type CompiledAlgo, type CompileOptions } from "./compile.ts";

/** Bump when the cache file's shape or the key's recipe changes. */
const CACHE_FORMAT = 1;

export interface CachedBuildRequest {
  /** The algo's source file. */
  entry: string;
  /** The folder whose `.ts` files are the algo's sources (the project root, or the entry's folder). */
  sourceRoot: string;
  /** Where the module is written; the cache file is `<outFile>.cache.json`. */
  outFile: string;
  options?: CompileOptions;
  /** Compile even when the cache says the module is up to date. */
  force?: boolean;
  /** Called just before compiling (not when the module is reused): a place for a "building …" note. */
  onCompile?: () => void;
}

export interface CachedBuild extends CompiledAlgo {
  outFile: string;
  /** True when the module on disk was reused instead of compiled. */
  upToDate: boolean;
}

interface CacheFile {
  format: number;
  key: string;
  module_sha256: string;
  warnings: CompileDiagnostic[];
}

export function cacheFileOf(outFile: string): string {
  return `${outFile}.cache.json`;
}

/** Compiles `entry` to `outFile`, or reuses `outFile` when its cache key matches. */
export async function buildWithCache(request: CachedBuildRequest): Promise<CachedBuild> {
  const options = request.options ?? {};
  const key = await buildKey(request.entry, request.sourceRoot, options);
  if (!request.force) {
    const reused = await reuse(request.outFile, key);
    if (reused) return reused;
  }
  request.onCompile?.();
  const compiled = await compileOnce(request.entry, options);
  await mkdir(path.dirname(request.outFile), { recursive: true });
  await writeFile(request.outFile, compiled.wasm);
  const cache: CacheFile = { format: CACHE_FORMAT, key, module_sha256: sha256Hex(compiled.wasm), warnings: compiled.warnings };
  // Without the cache file the next run compiles again; that is all it costs.
  await writeFile(cacheFileOf(request.outFile), JSON.stringify(cache, null, 2) + "\n").catch(() => undefined);
  return { ...compiled, outFile: request.outFile, upToDate: false };
}

/**
 * compileAlgo with V8's optimizing tier off while it runs. The compiler's
 * optimizer, binaryen, is a large WebAssembly module: V8 would spend ~3 s of
 * CPU recompiling it with TurboFan in the background for a compile that is
 * over in ~2 s, which on a 2-core machine doubles the time of `algo build`.
 * Its baseline code (Liftoff) is enough. The compiler makes hundreds of
 * thousands of calls into binaryen: a call wrapper compiled per signature
 * when binaryen loads is cheaper than V8's generic one (~5% of the build's
 * CPU, npm run bench 2026-12-02). binaryen's functions are validated as they
 * are first compiled, not all 8.9 MB up front (it was validated when `npm run
 * build` prepared it). The flags are restored afterwards and the
 * algo's module is compiled again, so the algo itself runs fully optimized
 * in a backtest.
 */
async function compileOnce(entry: string, options: CompileOptions): Promise<CompiledAlgo> {
  v8.setFlagsFromString("--liftoff-only");
  v8.setFlagsFromString("--no-wasm-generic-wrapper");
  v8.setFlagsFromString("--wasm-lazy-validation");
  let compiled: CompiledAlgo;
  try {
    compiled = await compileAlgo(entry, options);
  } finally {
    v8.setFlagsFromString("--no-liftoff-only");
    v8.setFlagsFromString("--wasm-generic-wrapper");
    v8.setFlagsFromString("--no-wasm-lazy-validation");
  }
  const info = await checkModule(compiled.wasm, path.basename(entry).replace(/\.ts$/, ".wasm"));
  return { ...compiled, ...info };
}

async function reuse(outFile: string, key: string): Promise<CachedBuild | undefined> {
  let cache: CacheFile;
  let wasm: Uint8Array;
  try {
    cache = JSON.parse(await readFile(cacheFileOf(outFile), "utf8")) as CacheFile;
    if (cache.format !== CACHE_FORMAT || cache.key !== key || !Array.isArray(cache.warnings)) return undefined;
    wasm = new Uint8Array(await readFile(outFile));
  } catch {
    return undefined; // missing or unreadable: compile
  }
  if (sha256Hex(wasm) !== cache.module_sha256) return undefined;
  try {
    const info = await checkModule(wasm, path.basename(outFile));
    return { ...info, wasm, warnings: cache.warnings, outFile, upToDate: true };
  } catch {
    return undefined; // a module this host no longer accepts: compile again and say why then
  }
}

/** The cache key: everything that can change the compiled module. */
export async function buildKey(entry: string, sourceRoot: string, options: CompileOptions, runtimeDir = RUNTIME_DIR): Promise<string> {
  const hash = createHash("sha256");
  const field = (name: string, value: string | Uint8Array) => {
    const bytes = typeof value === "string" ? Buffer.from(value) : value;
    hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  };
  field("format", String(CACHE_FORMAT));
  field("toolkit", TOOLKIT_VERSION);
  field("compiler", compilerVersion());
  field("options", JSON.stringify({ mode: options.mode ?? "speed", runtime: options.runtime ?? "incremental", exportAuthorExports: options.exportAuthorExports ?? false, args: compilerArgs(options), passes: options.mode === "debug" ? [] : options.ascPassList ? "asc" : SPEED_PASSES }));
  field("entry", path.relative(sourceRoot, path.resolve(entry)));
  for (const [label, root] of [["source", sourceRoot], ["runtime", runtimeDir]] as const) {
    for (const file of await tsFiles(root)) field(`${label}:${path.relative(root, file)}`, await readFile(file));
  }
  return hash.digest("hex");
}

let compilerVersionText: string | undefined;

function compilerVersion(): string {
  if (compilerVersionText === undefined) {
    const pkg = createRequire(path.join(TOOLKIT_ROOT, "package.json")).resolve("assemblyscript/package.json");
    compilerVersionText = String(JSON.parse(readFileSync(pkg, "utf8")).version);
  }
  return compilerVersionText;
}

/** `.ts` files under `dir` in a stable order, skipping tests (`*.test.ts`), node_modules, build output and dot folders. */
async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === "node_modules" || e.name === "build" || e.name.startsWith(".")) continue;
      out.push(...(await tsFiles(full)));
    } else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
      out.push(full);
    }
  }
  return out;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
