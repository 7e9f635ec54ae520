import { host_panic } from "./host";

// The compiler routes every `abort` (failed assert, thrown Error, overflow
// trap in fixed.ts) here instead of importing env.abort, so a module imports
// nothing outside the "sequence" namespace and the host can say what failed.
// Defaults match the standard library's `abort`, so `abort("msg")` in an
// author's code or the runtime compiles under --use abort=….
export function sequenceAbort(message: string | null = null, fileName: string | null = null, line: u32 = 0, column: u32 = 0): void {
  const msg = message === null ? "abort" : message;
  const file = fileName === null ? "" : fileName;
  host_panic(changetype<usize>(msg), msg.length << 1, changetype<usize>(file), file.length << 1, <i32>line, <i32>column);
  unreachable();
}
