/**
 * Loads the assemblyscript compiler, fastest first:
 *   1. dist/compiler/compiler.script.js, the compiler as one classic script
 *      (scripts/compiler.mjs), run through vm.Script with V8's code cache
 *      beside it, so a cold `algo build` does not compile the compiler's
 *      JavaScript again;
 *   2. dist/compiler/asc.js, the same modules as ES modules;
 *   3. the package as installed (also when SEQUENCE_ALGO_STOCK_COMPILER=1).
 * All three build the same bytes (test/build/prepared-compiler.test.ts).
 *
 * The code cache is written after the first compile of a process that had
 * none (or had one V8 rejected: another Node version or V8 flags), so it
 * holds the functions a compile really runs. Its name carries a hash of the
 * script and the Node version; V8 checks the rest. A cache that cannot be
 * read, written or used costs that speed-up, never a wrong module.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { TOOLKIT_ROOT } from "../paths.ts";

export type Asc = typeof import("assemblyscript/asc");

export interface LoadedCompiler {
  asc: Asc;
  /** Keeps V8's compiled code of the compiler for the next process, if it has none yet; never throws. */
  saveCodeCache(): void;
}

const PREPARED_DIR = path.join(TOOLKIT_ROOT, "dist", "compiler");
const SCRIPT_FILE = path.join(PREPARED_DIR, "compiler.script.js");

let loading: Promise<LoadedCompiler> | undefined;

/** The compiler, loaded once per process. */
export function loadCompiler(): Promise<LoadedCompiler> {
  return (loading ??= load());
}

async function load(): Promise<LoadedCompiler> {
  if (process.env.SEQUENCE_ALGO_STOCK_COMPILER !== "1") {
    if (existsSync(SCRIPT_FILE)) {
      const loaded = await loadScript(SCRIPT_FILE).catch(() => undefined);
      if (loaded) return loaded;
    }
    const modules = path.join(PREPARED_DIR, "asc.js");
    if (existsSync(modules)) return withoutCache(await import(/* @vite-ignore */ pathToFileURL(modules).href));
  }
  return withoutCache(await import("assemblyscript/asc"));
}

function withoutCache(asc: Asc): LoadedCompiler {
  return { asc, saveCodeCache: () => undefined };
}

async function loadScript(file: string): Promise<LoadedCompiler> {
  const source = readFileSync(file, "utf8");
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const cacheFile = path.join(path.dirname(file), `compiler-${hash}-node${process.versions.node}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // none yet: this process writes it
  }
  const script = new vm.Script(source, { filename: file, cachedData });
  const factory = script.runInThisContext() as (require: NodeJS.Require, url: string) => Promise<Asc>;
  const asc = await factory(createRequire(file), pathToFileURL(file).href);
  let needsCache = cachedData === undefined || script.cachedDataRejected === true;
  return {
    asc,
    saveCodeCache() {
      if (!needsCache) return;
      needsCache = false;
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile); // whole or not at all, even with builds running side by side
      } catch {
        // A read-only install: every build compiles the compiler's JavaScript, as before.
        try {
          rmSync(temp, { force: true });
        } catch {
          // nothing was written
        }
      }
    },
  };
}
