/**
 * Turns the compiler's source map into the module's `sequence.sourcemap`
 * section (docs/abi.md): author files relative to the project, no source
 * text, and where each function's body starts, so any host can say where a
 * trap happened without anything but the module.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { readWasmLayout } from "../../harness/wasm-layout.ts";
import { isLibraryFile, type SourceMapSection } from "../../harness/trap-location.ts";

/** The project of an entry file: the nearest folder above it with a package.json (else the entry's folder). */
export function projectRootOf(entryPath: string): string {
  const entryDir = path.dirname(entryPath);
  for (let dir = entryDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return entryDir;
  }
}

/** The section's bytes for `wasm`, from the compiler's map (JSON text) of the entry at `entryPath`. */
export function sourceMapSection(wasm: Uint8Array, compilerMap: string, entryPath: string, root: string): Uint8Array {
  const map = JSON.parse(compilerMap) as { sources: string[]; mappings: string };
  const entryDir = path.dirname(entryPath);
  const layout = readWasmLayout(wasm);
  const section: SourceMapSection = {
    version: 3,
    sources: map.sources.map((s) => (isLibraryFile(s) ? s : toPosix(path.relative(root, path.resolve(entryDir, s))))),
    mappings: map.mappings,
    x_sequence_entry_dir: toPosix(path.relative(root, entryDir)) || ".",
    x_sequence_functions: { first: layout?.importedFunctions ?? 0, starts: layout?.functionStarts ?? [] },
  };
  return new TextEncoder().encode(JSON.stringify(section));
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
