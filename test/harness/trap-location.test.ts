// How a host picks the author's position from a WebAssembly stack and the
// module's sequence.sourcemap section, on a hand-made map whose answers are
// worked out by hand (traps.test.ts covers real modules end to end).
import { describe, expect, it } from "vitest";
import { appendCustomSection } from "../../src/build/wasm-sections.ts";
import { SOURCE_MAP_SECTION, TrapLocator, wasmFrames, type SourceMapSection } from "../../harness/trap-location.ts";

const EMPTY_MODULE = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

function vlq(n: number): string {
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = "";
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}

/** Segments as absolute [offset] (no position) or [offset, source, line, column] (1-based line and column). */
function mappings(segments: number[][]): string {
  let prev = [0, 0, 0, 0];
  return segments
    .map((s) => {
      if (s.length === 1) {
        const text = vlq(s[0] - prev[0]);
        prev = [s[0], prev[1], prev[2], prev[3]];
        return text;
      }
      const abs = [s[0], s[1], s[2] - 1, s[3] - 1];
      const text = abs.map((v, i) => vlq(v - prev[i])).join("");
      prev = abs;
      return text;
    })
    .join(",");
}

const SOURCES = ["~lib/sequence-algo/runtime/exports.ts", "assembly/algo.ts", "~lib/array.ts", "~lib/sequence-algo/runtime/abort.ts"];
const [DISPATCH, ALGO, ARRAY, ABORT] = [0, 1, 2, 3];

// Three functions (index 2, 3, 4 after two imports): abort at 100, the dispatch loop with onQuote inlined at 200, a helper at 400.
const SEGMENTS = [
  [101, ABORT, 11, 3],
  [120],
  [201, DISPATCH, 90, 9],
  [210, ALGO, 20, 5], // onQuote: `this.n = this.table[i] / d;` on line 20
  [212, ALGO, 20, 14],
  [215, ALGO, 20, 30],
  [217], // the division: no position of its own
  [222, ARRAY, 114, 42], // inlined array access
  [230], // the call to abort: no position
  [240, DISPATCH, 95, 9],
  [250, ARRAY, 114, 63], // inlined library code right after the dispatch loop's own code
  [401, ARRAY, 10, 1],
];

async function locator(extra: Partial<SourceMapSection> = {}): Promise<TrapLocator> {
  const section: SourceMapSection = {
    version: 3,
    sources: SOURCES,
    mappings: mappings(SEGMENTS),
    x_sequence_entry_dir: "assembly",
    x_sequence_functions: { first: 2, starts: [100, 200, 400] },
    ...extra,
  };
  const bytes = appendCustomSection(EMPTY_MODULE, SOURCE_MAP_SECTION, new TextEncoder().encode(JSON.stringify(section)));
  return TrapLocator.fromModule(await WebAssembly.compile(bytes as BufferSource))!;
}

const frame = (functionIndex: number, offset: number) => ({ functionIndex, offset });

describe("wasmFrames", () => {
  it("reads V8's wasm frames, innermost first, and nothing else", () => {
    const stack = "RuntimeError: divide by zero\n    at wasm://wasm/0973d60e:wasm-function[28]:0x14e6\n    at Backtest.deliver (file:///x/engine.ts:10:3)\n    at wasm://wasm/0973d60e:wasm-function[23]:0x1168";
    expect(wasmFrames(stack)).toEqual([frame(28, 0x14e6), frame(23, 0x1168)]);
    expect(wasmFrames(undefined)).toEqual([]);
  });
});

describe("TrapLocator", () => {
  it("uses an instruction's own position when it has one", async () => {
    expect((await locator()).locate([frame(3, 212)])).toEqual({ file: "assembly/algo.ts", line: 20, column: 14, precision: "at" });
  });

  it("reports an instruction without a position (the division at 217) at the start of its statement on that line", async () => {
    expect((await locator()).locate([frame(3, 217)])).toEqual({ file: "assembly/algo.ts", line: 20, column: 5, precision: "at" });
  });

  it("skips library frames for an author frame further out", async () => {
    const l = await locator();
    // abort's frame (101: abort.ts), then a call at 215, which has its own author position
    expect(l.locate([frame(2, 101), frame(3, 215)])).toEqual({ file: "assembly/algo.ts", line: 20, column: 30, precision: "at" });
  });

  it("says 'near' the author's statement when inlined library code trapped with no author frame", async () => {
    const l = await locator();
    // abort (101) called at 230 from inlined array code (222) inside onQuote's statement
    expect(l.locate([frame(2, 101), frame(3, 230)])).toEqual({ file: "assembly/algo.ts", line: 20, column: 5, precision: "near" });
  });

  it("does not search back across the dispatch loop or out of the frame's function", async () => {
    const l = await locator();
    // 250 is library code after the dispatch loop's own code (240): onQuote's positions are not this trap's
    expect(l.locate([frame(3, 250)])).toEqual({ file: "~lib/array.ts", line: 114, column: 63, precision: "at" });
    // function 4 starts at 400; 401 is its only (library) position: nothing of function 3 is borrowed
    expect(l.locate([frame(4, 401)])).toEqual({ file: "~lib/array.ts", line: 10, column: 1, precision: "at" });
  });

  it("takes the module's own report of an author's throw, relative to the entry's folder", async () => {
    const l = await locator();
    expect(l.locate([frame(2, 101), frame(3, 230)], { file: "algo.ts", line: 31, column: 7 })).toEqual({
      file: "assembly/algo.ts",
      line: 31,
      column: 7,
      precision: "at",
    });
    // a library position the module reported loses to the author's frame
    expect(l.locate([frame(2, 101), frame(3, 215)], { file: "~lib/array.ts", line: 114, column: 42 })?.file).toBe("assembly/algo.ts");
  });

  it("has nothing to say for a module without the section, or with a damaged one", async () => {
    expect(TrapLocator.fromModule(await WebAssembly.compile(EMPTY_MODULE))).toBeUndefined();
    const damaged = appendCustomSection(EMPTY_MODULE, SOURCE_MAP_SECTION, new TextEncoder().encode("{not json"));
    expect(TrapLocator.fromModule(await WebAssembly.compile(damaged as BufferSource))).toBeUndefined();
  });
});
