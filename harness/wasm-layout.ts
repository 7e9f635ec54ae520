/**
 * Reads what the JS WebAssembly API does not tell without running code: the
 * module's own memory limits (section 5), whether it has a start function
 * (section 8, which would run on instantiation), and the constant its
 * `sequence_abi_version` export returns — so a host can check a module
 * without executing any of it.
 */
export interface MemoryLimits {
  minPages: number;
  /** undefined when the module declares no maximum. */
  maxPages: number | undefined;
}

export interface WasmLayout {
  /** The module's own memories (imported ones are not listed; ABI v1 imports none). */
  memories: MemoryLimits[];
  hasStart: boolean;
  /** The i32 constant `name` returns, when that export's body is exactly `i32.const N; [return;] end`. */
  constantExports: Map<string, number>;
  /** Functions imported; defined function i has index importedFunctions + i. */
  importedFunctions: number;
  /** Byte offset in the module where each defined function's body starts (its locals), in order. */
  functionStarts: number[];
}

const SECTION = { import: 2, memory: 5, export: 7, start: 8, code: 10 } as const;

/** Walks the sections; undefined when the bytes are not a well-formed sequence of sections. */
export function readWasmLayout(bytes: Uint8Array): WasmLayout | undefined {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return undefined;
  const r = new Reader(bytes, 8);
  const layout: WasmLayout = { memories: [], hasStart: false, constantExports: new Map(), importedFunctions: 0, functionStarts: [] };
  let importedFunctions = 0;
  const exportedFunctions = new Map<number, string>();
  try {
    while (r.pos < bytes.length) {
      const id = bytes[r.pos++];
      const size = r.u32();
      const end = r.pos + size;
      if (end > bytes.length) return undefined;
      if (id === SECTION.start) layout.hasStart = true;
      else if (id === SECTION.import) {
        for (let n = r.u32(); n > 0; n--) {
          r.skipName();
          r.skipName();
          const kind = bytes[r.pos++];
          if (kind === 0) {
            r.u32();
            importedFunctions++;
          } else if (kind === 1) {
            r.pos++;
            r.limits();
          } else if (kind === 2) r.limits();
          else r.pos += 2; // global: valtype, mutability
        }
      } else if (id === SECTION.memory) {
        for (let n = r.u32(); n > 0; n--) layout.memories.push(r.limits());
      } else if (id === SECTION.export) {
        for (let n = r.u32(); n > 0; n--) {
          const name = r.name();
          const kind = bytes[r.pos++];
          const index = r.u32();
          if (kind === 0) exportedFunctions.set(index, name);
        }
      } else if (id === SECTION.code) {
        const count = r.u32();
        for (let i = 0; i < count; i++) {
          const bodySize = r.u32();
          const bodyEnd = r.pos + bodySize;
          layout.functionStarts.push(r.pos);
          const name = exportedFunctions.get(importedFunctions + i);
          if (name !== undefined) {
            const value = constantBody(r, bodyEnd);
            if (value !== undefined) layout.constantExports.set(name, value);
          }
          r.pos = bodyEnd;
        }
      }
      r.pos = end;
    }
    layout.importedFunctions = importedFunctions;
  } catch {
    return undefined;
  }
  return layout;
}

/** `i32.const N; end` (or `i32.const N; return; end`, as unoptimized builds emit) with no locals → N. */
function constantBody(r: Reader, end: number): number | undefined {
  if (r.u32() !== 0) return undefined;
  if (r.bytes[r.pos++] !== 0x41) return undefined;
  const value = r.s32();
  if (r.bytes[r.pos] === 0x0f) r.pos++; // return
  return r.bytes[r.pos] === 0x0b && r.pos + 1 === end ? value : undefined;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= this.bytes.length || shift > 28) throw new RangeError("bad LEB128");
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  }

  s32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      if (this.pos >= this.bytes.length || shift > 28) throw new RangeError("bad LEB128");
      b = this.bytes[this.pos++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (~0 << shift) : result;
  }

  name(): string {
    const len = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return text;
  }

  skipName(): void {
    const len = this.u32(); // read before adding: `pos += u32()` would use the old pos
    this.pos += len;
  }

  limits(): MemoryLimits {
    const flags = this.u32();
    const minPages = this.u32();
    return { minPages, maxPages: flags & 1 ? this.u32() : undefined };
  }
}
