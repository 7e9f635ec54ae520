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

/**
 * The compiler ends the module with a `sourceMappingURL` section naming a
 * file that is never written; drop it (it is last, so no offset moves).
 */
export function withoutSourceMappingUrl(wasm: Uint8Array): Uint8Array {
  let pos = 8;
  let lastStart = -1;
  let lastName = "";
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos++];
    const [size, sizeLen] = leb(wasm, pos);
    pos += sizeLen;
    const bodyStart = pos;
    pos = bodyStart + size;
    lastStart = start;
    if (id === 0) {
      const [nameLen, nameLenLen] = leb(wasm, bodyStart);
      lastName = new TextDecoder().decode(wasm.subarray(bodyStart + nameLenLen, bodyStart + nameLenLen + nameLen));
    } else lastName = "";
  }
  return lastName === "sourceMappingURL" && pos === wasm.length ? wasm.slice(0, lastStart) : wasm;
}

function leb(bytes: Uint8Array, at: number): [value: number, length: number] {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[at + i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new RangeError("bad LEB128 in the compiler's output");
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
