/**
 * Where a trap happened, in the author's code: the module's WebAssembly stack
 * (V8 writes each frame as `wasm-function[N]:0xOFFSET`) mapped through the
 * `sequence.sourcemap` custom section that `algo build` embeds (docs/abi.md).
 *
 * The answer is the first frame, from the top, whose position is in one of
 * the author's files. -O2 inlines small functions, so a runtime helper that
 * trapped (an array index, mulChecked) often has no frame of its own and the
 * author's call site no position; then the nearest author position before the
 * trap in the same function is the call site's statement, reported as "near".
 */
import { decodeMappings, type Mapping } from "./vlq.ts";

export const SOURCE_MAP_SECTION = "sequence.sourcemap";

/** The section's JSON: a source map v3 plus what a host needs to read WebAssembly stacks. */
export interface SourceMapSection {
  version: 3;
  /** Author files relative to the project root; library code as the compiler names it (`~lib/…`). */
  sources: string[];
  /** Generated line 1 only; the column is the byte offset in the module. */
  mappings: string;
  /** The folder the compiler's own file names (in `panic`) are relative to, from the project root. */
  x_sequence_entry_dir: string;
  /** Index of the first defined function, and where each defined function's body starts. */
  x_sequence_functions: { first: number; starts: number[] };
}

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface TrapPosition extends SourcePosition {
  /** "at": the instruction's own position; "near": the author's statement before inlined library code. */
  precision: "at" | "near";
}

export interface WasmFrame {
  functionIndex: number;
  offset: number;
}

/** The runtime's dispatch loop: a backward search that reaches it has left the author's callback. */
const DISPATCH_FILE = "~lib/sequence-algo/runtime/exports.ts";

/** The WebAssembly frames of a V8 stack, innermost first. */
export function wasmFrames(stack: string | undefined): WasmFrame[] {
  const frames: WasmFrame[] = [];
  for (const m of (stack ?? "").matchAll(/wasm-function\[(\d+)\]:0x([0-9a-fA-F]+)/g))
    frames.push({ functionIndex: Number(m[1]), offset: parseInt(m[2], 16) });
  return frames;
}

export function isLibraryFile(file: string): boolean {
  return file.startsWith("~lib/");
}

export class TrapLocator {
  private readonly columns: Int32Array;
  private readonly mapped: Mapping[];

  private constructor(private readonly map: SourceMapSection) {
    this.mapped = decodeMappings(map.mappings).filter((m) => m.generatedLine === 0);
    this.mapped.sort((a, b) => a.generatedColumn - b.generatedColumn);
    this.columns = Int32Array.from(this.mapped, (m) => m.generatedColumn);
  }

  /** The module's locator, or undefined when it carries no (readable) source map. */
  static fromModule(module: WebAssembly.Module): TrapLocator | undefined {
    const sections = WebAssembly.Module.customSections(module, SOURCE_MAP_SECTION);
    if (sections.length === 0) return undefined;
    try {
      const map = JSON.parse(new TextDecoder().decode(sections[0])) as SourceMapSection;
      if (map.version !== 3 || !Array.isArray(map.sources) || typeof map.mappings !== "string") return undefined;
      return new TrapLocator(map);
    } catch {
      return undefined; // a damaged map must not hide the trap itself
    }
  }

  /**
   * The author's position for a trap. `reported` is the position the module
   * passed to `panic` (the compiler's, for abort/throw), in the compiler's names.
   */
  locate(frames: WasmFrame[], reported?: SourcePosition): TrapPosition | undefined {
    const said = reported?.file ? this.fromCompilerName(reported) : undefined;
    if (said && !isLibraryFile(said.file)) return { ...said, precision: "at" };
    for (const f of frames) {
      const p = this.positionAt(f);
      if (p && !isLibraryFile(p.file)) return { ...p, precision: "at" };
    }
    for (const f of frames) {
      const p = this.authorBefore(f);
      if (p) return { ...p, precision: "near" };
    }
    const fallback = said ?? (frames.length > 0 ? this.positionAt(frames[0]) : undefined);
    return fallback ? { ...fallback, precision: "at" } : undefined;
  }

  private fromCompilerName(p: SourcePosition): SourcePosition {
    if (isLibraryFile(p.file)) return p;
    const dir = this.map.x_sequence_entry_dir;
    return { ...p, file: dir && dir !== "." ? posixJoin(dir, p.file) : p.file };
  }

  /** Index of the last mapping at or before `offset` inside the frame's function, or -1. */
  private lastAtOrBefore(frame: WasmFrame): { index: number; functionStart: number } {
    const fns = this.map.x_sequence_functions;
    const start = fns?.starts?.[frame.functionIndex - fns.first] ?? 0;
    let lo = 0;
    let hi = this.columns.length - 1;
    let index = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.columns[mid] <= frame.offset) {
        index = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return { index: index >= 0 && this.columns[index] >= start ? index : -1, functionStart: start };
  }

  /**
   * The instruction's position. The compiler writes an expression's position
   * where its code starts, before its operands' code, so an instruction
   * without a position of its own (a division, a call) ends the expression
   * whose operands precede it: its statement is the run of mappings on the
   * same line just before it, and the statement starts at the run's smallest column.
   */
  private positionAt(frame: WasmFrame): SourcePosition | undefined {
    const { index, functionStart } = this.lastAtOrBefore(frame);
    if (index < 0) return undefined;
    const own = this.mapped[index];
    if (own.source !== undefined && own.generatedColumn === frame.offset) return this.position(own);
    let i = index;
    if (own.source === undefined) i--; // the marker that ends the previous expression
    if (i < 0 || this.columns[i] < functionStart || this.mapped[i].source === undefined) return undefined;
    return this.statementEndingAt(i, functionStart);
  }

  /** The start of the same-line run of mappings that ends at mapping i. */
  private statementEndingAt(i: number, functionStart: number): SourcePosition | undefined {
    const last = this.mapped[i];
    let column = last.column!;
    for (let j = i - 1; j >= 0 && this.columns[j] >= functionStart; j--) {
      const m = this.mapped[j];
      if (m.source === undefined) continue;
      if (m.source !== last.source || m.line !== last.line) break;
      if (m.column! < column) column = m.column!;
    }
    return this.position({ ...last, column });
  }

  /** The nearest author position before the frame's offset in its function, not crossing the dispatch loop. */
  private authorBefore(frame: WasmFrame): SourcePosition | undefined {
    const { index, functionStart } = this.lastAtOrBefore(frame);
    for (let i = index; i >= 0 && this.columns[i] >= functionStart; i--) {
      const m = this.mapped[i];
      if (m.source === undefined) continue;
      const file = this.map.sources[m.source];
      if (file === DISPATCH_FILE) return undefined;
      if (file !== undefined && !isLibraryFile(file)) return this.statementEndingAt(i, functionStart);
    }
    return undefined;
  }

  private position(m: Mapping): SourcePosition | undefined {
    const file = this.map.sources[m.source!];
    return file === undefined ? undefined : { file, line: m.line! + 1, column: m.column! + 1 };
  }
}

function posixJoin(dir: string, file: string): string {
  const parts: string[] = [];
  for (const part of `${dir}/${file}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}
