// Test helper: compiles an AssemblyScript source through `algo build`'s own
// path (src/build/compile.ts compileAlgo: the same flags, `--use abort=…`,
// the "sequence-algo/runtime" package import, the ABI module check), with the
// source's own exports exported so tests can call them, then instantiates it
// against a minimal host whose `panic` throws a JS error carrying the message.
// Sources import the runtime the way an `algo init` project does:
//   import { RollingMean } from "sequence-algo/runtime";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileAlgo, type CompileOptions as BuildOptions } from "../../src/build/compile.ts";

/** Repository root (this file is test/runtime/compile-helper.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Error thrown by the `sequence.panic` import. `message` includes the AS message. */
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
  /** Lines the module logged through `sequence.log`, as "level text". */
  logs: string[];
}

export interface CompileOptions {
  /** "speed" (-O2, the default) or "debug" — exactly `algo build`'s modes. */
  mode?: BuildOptions["mode"];
  /** AssemblyScript runtime (default "stub": memory only grows, so allocation tests can see any). */
  runtime?: BuildOptions["runtime"];
}

/** Reads `byteLen` bytes of UTF-16LE text at `ptr`. */
export function readUtf16(memory: WebAssembly.Memory, ptr: number, byteLen: number): string {
  return Buffer.from(memory.buffer, ptr, byteLen).toString("utf16le");
}

/** Reads an AssemblyScript string (UTF-16LE; byte length is the u32 at ptr − 4). */
export function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  return readUtf16(memory, ptr, new Uint32Array(memory.buffer, ptr - 4, 1)[0]);
}

let dir: Promise<string> | undefined;
let counter = 0;

/** Compiles `source` as an algo project's file would be, and instantiates it. */
export async function compileAS(source: string, opts: CompileOptions = {}): Promise<CompiledModule> {
  const folder = await (dir ??= mkdtemp(path.join(tmpdir(), "runtime-test-")));
  const file = path.join(folder, `probe${counter++}.ts`);
  await writeFile(file, source);
  const built = await compileAlgo(file, { mode: opts.mode, runtime: opts.runtime ?? "stub", exportAuthorExports: true });

  let memory: WebAssembly.Memory | undefined;
  const logs: string[] = [];
  const unavailable = (name: string) => () => {
    throw new Error(`host call sequence.${name} is not available in runtime unit tests`);
  };
  const imports = {
    sequence: {
      panic(msgPtr: number, msgLen: number, filePtr: number, fileLen: number, line: number, column: number): never {
        throw new AbortError(readUtf16(memory!, msgPtr, msgLen), readUtf16(memory!, filePtr, fileLen), line, column);
      },
      log(level: number, ptr: number, len: number) {
        logs.push(`${level} ${readUtf16(memory!, ptr, len)}`);
      },
      param: (_ptr: number, _len: number, fallback: bigint) => fallback,
      place: unavailable("place"),
      cancel: unavailable("cancel"),
      cancel_all: unavailable("cancel_all"),
      set_timer: unavailable("set_timer"),
      account: unavailable("account"),
    },
  };
  const instance = await WebAssembly.instantiate(built.module, imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  (instance.exports.sequence_init as () => void)();
  return {
    exports: instance.exports as Record<string, unknown> as CompiledModule["exports"],
    memory,
    binary: built.wasm,
    logs,
  };
}

/** Runs `fn` and returns the abort message it trapped with (fails if it did not trap). */
export function trapMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AbortError) return e.asMessage;
    throw e;
  }
  throw new Error("expected an abort, got a result");
}
