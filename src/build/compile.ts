/**
 * Compiles an algo to a WebAssembly module with the assemblyscript compiler's
 * API: optimized, the ABI exports added, every `abort` routed to the host,
 * then checked against the ABI before it is written anywhere.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { checkModule, type ModuleInfo } from "../../harness/module-check.ts";
import { ABI_MAJOR, ABI_MINOR, MAX_MEMORY_PAGES, META_SECTION } from "../../harness/abi.ts";
import { CallbackCollector } from "./callbacks.ts";
import { loadCompiler } from "./compiler-loader.ts";
import { PassList, SPEED_PASSES } from "./pass-list.ts";
import { appendCustomSection, withoutCustomSection } from "./wasm-sections.ts";
import { projectRootOf, sourceMapSection } from "./source-map-section.ts";
import { SOURCE_MAP_SECTION } from "../../harness/trap-location.ts";
import { RUNTIME_DIR } from "../paths.ts";


const PACKAGE_PREFIX = `node_modules${path.sep}sequence-algo${path.sep}runtime${path.sep}`;
const ENTRY_NAME = "__sequence_entry.ts";

export interface CompileOptions {
  /** Optimization: "speed" (-O2, the default) or "debug" (no optimization, debug info). */
  mode?: "speed" | "debug";
  /**
   * The AssemblyScript runtime: "incremental" (garbage collected, the default)
   * or "stub" (never frees: memory only grows, which makes any allocation
   * visible — the tests use it to prove the per-tick path allocates nothing).
   */
  runtime?: "incremental" | "stub";
  /**
   * Also export the author file's own `export`s from the module (the runtime's
   * tests call them directly), so tests compile exactly the way `algo build` does.
   */
  exportAuthorExports?: boolean;
  /**
   * Speed mode only: optimize with assemblyscript's own -O2 pass list instead
   * of the toolkit's shorter SPEED_PASSES (pass-list.ts); the tests use it to
   * show both build the same bytes.
   */
  ascPassList?: boolean;
}

export interface CompileDiagnostic {
  severity: "error" | "warning";
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export class CompileError extends Error {
  constructor(readonly diagnostics: CompileDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "CompileError";
  }
}

export interface CompiledAlgo extends ModuleInfo {
  wasm: Uint8Array;
  warnings: CompileDiagnostic[];
}

/**
 * The compiler's command line for these options; the build cache hashes it, so
 * a change here rebuilds every cached module. -O2, not -O3: replay speed is
 * the same within noise (the hot path is the host's), and the cold build is
 * about 15% faster (npm run bench, 2026-12-01).
 */
export function compilerArgs(options: CompileOptions = {}): string[] {
  return [
    ENTRY_NAME,
    "--outFile", "module.wasm",
    "--runtime", options.runtime ?? "incremental",
    "--exportStart", "sequence_init",
    "--use", "abort=~lib/sequence-algo/runtime/abort/sequenceAbort",
    "--maximumMemory", String(MAX_MEMORY_PAGES),
    "--noColors",
    "--sourceMap", // kept through optimization; embedded in the module so traps name the author's line
    ...(options.mode === "debug" ? ["--debug"] : ["-O2"]),
  ];
}

/** Compiles the algo whose source is `entryFile` (it calls `register(new MyAlgo())`). */
export async function compileAlgo(entryFile: string, options: CompileOptions = {}): Promise<CompiledAlgo> {
  const compiler = await loadCompiler();
  const asc = compiler.asc;
  const entryPath = path.resolve(entryFile);
  const entryDir = path.dirname(entryPath);
  const userModule = "./" + path.basename(entryPath).replace(/\.ts$/, "");
  // The generated entry re-exports the ABI and pulls in the author's file, so
  // the author writes only their class and one register() call.
  const entrySource =
    `export * from "sequence-algo/runtime/exports";\n` +
    (options.exportAuthorExports ? `export * from "${userModule}";\n` : `import "${userModule}";\n`);

  let wasm: Uint8Array | undefined;
  let sourceMap: string | undefined;
  let diagnosticText = "";
  const collector = new CallbackCollector();
  const sources = new Map<string, string | null>();
  const args = compilerArgs(options);
  const { error } = await asc.main(args, {
    // Read synchronously, each file once: a handful of small files, and each
    // asynchronous read costs the compiler a trip through the thread pool.
    readFile: async (name: string, baseDir: string) => {
      const full = path.resolve(entryDir, baseDir, name);
      if (full === path.join(entryDir, ENTRY_NAME)) return entrySource;
      const at = full.lastIndexOf(PACKAGE_PREFIX);
      const target = at >= 0 ? path.join(RUNTIME_DIR, full.slice(at + PACKAGE_PREFIX.length)) : full;
      let text = sources.get(target);
      if (text === undefined) {
        try {
          text = readFileSync(target, "utf8");
        } catch {
          text = null;
        }
        sources.set(target, text);
      }
      return text;
    },
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith(".wasm") && typeof contents !== "string") wasm = contents;
      else if (name.endsWith(".wasm.map")) sourceMap = String(contents);
    },
    listFiles: () => [],
    stdout: { write: () => true } as never,
    stderr: { write: (chunk: string | Uint8Array) => ((diagnosticText += String(chunk)), true) } as never,
    transforms: [collector as never, ...(options.mode === "debug" || options.ascPassList ? [] : [new PassList(SPEED_PASSES) as never])],
  });
  compiler.saveCodeCache();

  const diagnostics = parseDiagnostics(diagnosticText, entryDir);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (error || !wasm) {
    if (errors.length === 0) errors.push({ severity: "error", message: error?.message ?? "the compiler produced no module" });
    throw new CompileError(errors);
  }
  const meta = JSON.stringify({ abi: `${ABI_MAJOR}.${ABI_MINOR}`, callbacks: collector.found, classes: collector.algoClasses });
  // The compiler's own `sourceMappingURL` section names a file never written: the map travels in the module instead.
  let withMeta = appendCustomSection(withoutCustomSection(wasm, "sourceMappingURL"), META_SECTION, new TextEncoder().encode(meta));
  if (sourceMap) withMeta = appendCustomSection(withMeta, SOURCE_MAP_SECTION, sourceMapSection(wasm, sourceMap, entryPath, projectRootOf(entryPath)));
  const info = await checkModule(withMeta, path.basename(entryPath));
  return { ...info, wasm: withMeta, warnings: diagnostics.filter((d) => d.severity === "warning") };
}

/**
 * assemblyscript prints diagnostics as
 *   ERROR TS2304: Cannot find name 'x'.
 *      :
 *   12 │ x = 1;
 *      └─ in algo.ts(12,5)
 */
export function parseDiagnostics(text: string, baseDir: string): CompileDiagnostic[] {
  const out: CompileDiagnostic[] = [];
  const blocks = text.split(/\n(?=(?:ERROR|WARNING)\b)/);
  for (const block of blocks) {
    const head = /^(ERROR|WARNING)\b[^:]*:\s*(.*)$/m.exec(block);
    if (!head) continue;
    const where = /in (\S+?)\((\d+),(\d+)\)/.exec(block);
    out.push({
      severity: head[1] === "ERROR" ? "error" : "warning",
      message: head[2].trim(),
      ...(where ? { file: sourcePath(where[1], baseDir), line: Number(where[2]), column: Number(where[3]) } : {}),
    });
  }
  return out;
}

/** Maps the compiler's internal file names back to paths a user can open. */
function sourcePath(internal: string, baseDir: string): string {
  const runtimePrefix = "~lib/sequence-algo/runtime/";
  if (internal.startsWith(runtimePrefix)) return path.join(RUNTIME_DIR, internal.slice(runtimePrefix.length));
  if (internal.startsWith("~lib/")) return internal;
  return path.relative(process.cwd(), path.resolve(baseDir, internal)) || internal;
}

export function formatDiagnostic(d: CompileDiagnostic): string {
  const where = d.file ? `${d.file}:${d.line}:${d.column}: ` : "";
  return `${where}${d.severity}: ${d.message}`;
}
