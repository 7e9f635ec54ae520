// Test helper: compiles an AssemblyScript module in memory against the real
// files under runtime/, instantiates it, and turns AssemblyScript aborts into
// JS errors that carry the abort message (so tests can assert trap messages).
import asc from "assemblyscript/asc";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** Repository root (this file is test/runtime/compile-helper.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Virtual location of the entry; import the runtime as "../runtime/fixed". */
const ENTRY = "__test__/entry.ts";

/** Error thrown by the `env.abort` import. `message` includes the AS message. */
export class AbortError extends Error {
  constructor(
    readonly asMessage: string,
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${asMessage} (abort at ${fileName}:${line}:${column})`);
    this.name = "AbortError";
  }
}

export interface CompiledModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  binary: Uint8Array;
  /** Text format, when `text: true` was requested. */
  text?: string;
}

export interface CompileOptions {
  /** Extra asc flags (default: -O3 --runtime stub). */
  flags?: string[];
  /** Also emit the text format (for inspecting the generated code). */
  text?: boolean;
}

/** Reads an AssemblyScript string (UTF-16LE; byte length is the u32 at ptr − 4). */
export function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const buf = memory.buffer;
  const byteLen = new Uint32Array(buf, ptr - 4, 1)[0];
  return Buffer.from(buf, ptr, byteLen).toString("utf16le");
}

function normalise(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, "/")).replace(/^\.\//, "");
}

/** Compiles `source` (the entry module) and instantiates it. */
export async function compileAS(source: string, opts: CompileOptions = {}): Promise<CompiledModule> {
  const outputs = new Map<string, Uint8Array | string>();
  let stderrText = "";
  let stdoutText = "";
  const args = [ENTRY, "--outFile", "out.wasm", ...(opts.flags ?? ["-O3", "--runtime", "stub"])];
  if (opts.text) args.push("--textFile", "out.wat");

  const { error } = await asc.main(args, {
    readFile(filename: string, baseDir: string) {
      const rel = normalise(path.posix.join(baseDir.replace(/\\/g, "/"), filename));
      if (rel === ENTRY) return source;
      // serve real files from the repository's runtime/ only
      if (rel.startsWith("runtime/") && rel.endsWith(".ts")) {
        try {
          return readFileSync(path.join(REPO_ROOT, rel), "utf8");
        } catch {
          return null;
        }
      }
      return null;
    },
    writeFile(filename: string, contents: Uint8Array | string) {
      outputs.set(normalise(filename), contents);
    },
    listFiles() {
      return [];
    },
    stdout: asc.createMemoryStream((chunk) => {
      stdoutText += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    }),
    stderr: asc.createMemoryStream((chunk) => {
      stderrText += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    }),
  });
  if (error) throw new Error(`AssemblyScript compilation failed: ${error.message}\n${stderrText}${stdoutText}`);
  const binary = outputs.get("out.wasm");
  if (!(binary instanceof Uint8Array)) throw new Error(`asc produced no binary\n${stderrText}`);

  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(msgPtr: number, filePtr: number, line: number, col: number): never {
        const mem = memory!;
        throw new AbortError(readAsString(mem, msgPtr), readAsString(mem, filePtr), line, col);
      },
      trace(msgPtr: number, n: number, ...vals: number[]) {
        // eslint-disable-next-line no-console
        console.log("trace:", readAsString(memory!, msgPtr), ...vals.slice(0, n));
      },
      seed() {
        return 42;
      },
    },
  };
  // a copy backed by a plain ArrayBuffer (what the BufferSource overload is typed for)
  const { instance } = await WebAssembly.instantiate(new Uint8Array(binary), imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  const text = outputs.get("out.wat");
  return {
    exports: instance.exports as Record<string, unknown> as CompiledModule["exports"],
    memory,
    binary,
    text: typeof text === "string" ? text : text ? Buffer.from(text).toString("utf8") : undefined,
  };
}

/** Runs `fn` and returns the abort message it trapped with (fails if it did not trap). */
export function trapMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error && e.name === "AbortError") return (e as Error & { asMessage: string }).asMessage;
    throw e;
  }
  throw new Error("expected an abort, got a result");
}
