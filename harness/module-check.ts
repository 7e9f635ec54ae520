/**
 * Checks a compiled module against ABI v1 before anyone runs or uploads it:
 * it is WebAssembly, it imports only from the host namespace, it exports what
 * the ABI requires, its memory is bounded, and its ABI major version is one
 * this host speaks. None of the module's code runs during the check.
 */
import {
  ABI_MAJOR,
  ABI_MINOR,
  HOST_IMPORTS,
  HOST_NAMESPACE,
  MAX_MEMORY_PAGES,
  MAX_MODULE_BYTES,
  META_SECTION,
  REQUIRED_EXPORTS,
  unpackVersion,
} from "./abi.ts";
import { readWasmLayout } from "./wasm-layout.ts";

export class ModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModuleError";
  }
}

export interface ModuleInfo {
  sizeBytes: number;
  abi: { major: number; minor: number };
  callbacks: string[];
  imports: string[];
  exports: string[];
  module: WebAssembly.Module;
}

/** Throws ModuleError with a message a user can act on; returns what the module is. */
export async function checkModule(bytes: Uint8Array, name = "module"): Promise<ModuleInfo> {
  if (bytes.length > MAX_MODULE_BYTES)
    throw new ModuleError(`${name} is ${bytes.length} bytes; the limit is ${MAX_MODULE_BYTES} bytes (4 MiB)`);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new ModuleError(`${name} is not a WebAssembly module (it does not start with \\0asm)`);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw new ModuleError(`${name} is not valid WebAssembly: ${(e as Error).message}`);
  }

  const imports = WebAssembly.Module.imports(module);
  const known = new Set<string>(HOST_IMPORTS);
  for (const imp of imports) {
    if (imp.module !== HOST_NAMESPACE)
      throw new ModuleError(
        `${name} imports "${imp.module}.${imp.name}", outside the host namespace "${HOST_NAMESPACE}"; ` +
          `an algo may only import the host API (docs/abi.md)`,
      );
    if (imp.kind !== "function" || !known.has(imp.name))
      throw new ModuleError(`${name} imports "${imp.module}.${imp.name}" (${imp.kind}), which ABI v${ABI_MAJOR} does not provide`);
  }

  const exports = WebAssembly.Module.exports(module);
  const exported = new Map(exports.map((e) => [e.name, e.kind]));
  for (const [exportName, kind] of Object.entries(REQUIRED_EXPORTS)) {
    if (exported.get(exportName) !== kind)
      throw new ModuleError(
        `${name} does not export ${kind} "${exportName}": it was not built against sequence-algo's runtime (ABI v${ABI_MAJOR})`,
      );
  }

  const layout = readWasmLayout(bytes);
  if (!layout) throw new ModuleError(`${name} is not valid WebAssembly: its sections are malformed`);
  if (layout.hasStart)
    throw new ModuleError(`${name} has a start function, which would run on load; ABI v1 modules initialise in sequence_init`);
  const memory = layout.memories[0];
  if (!memory || memory.maxPages === undefined || memory.maxPages > MAX_MEMORY_PAGES)
    throw new ModuleError(
      `${name} must declare a maximum memory of at most ${MAX_MEMORY_PAGES} pages (${(MAX_MEMORY_PAGES * 64) / 1024} MiB); ` +
        `it declares ${memory?.maxPages === undefined ? "none" : memory.maxPages + " pages"}`,
    );
  const version = layout.constantExports.get("sequence_abi_version");
  if (version === undefined)
    throw new ModuleError(`${name}: sequence_abi_version must return a constant (i32.const), so hosts can read it without running code`);
  const abi = unpackVersion(version);
  if (abi.major !== ABI_MAJOR)
    throw new ModuleError(
      `${name} speaks ABI v${abi.major}.${abi.minor}, but this host speaks ABI v${ABI_MAJOR}.${ABI_MINOR}; ` +
        `rebuild it with a sequence-algo whose runtime matches`,
    );

  return {
    sizeBytes: bytes.length,
    abi,
    callbacks: readMeta(module).callbacks ?? [],
    imports: imports.map((i) => `${i.module}.${i.name}`),
    exports: exports.map((e) => e.name),
    module,
  };
}

function readMeta(module: WebAssembly.Module): { callbacks?: string[] } {
  const sections = WebAssembly.Module.customSections(module, META_SECTION);
  if (sections.length === 0) return {};
  try {
    return JSON.parse(new TextDecoder().decode(sections[0]));
  } catch {
    return {};
  }
}
