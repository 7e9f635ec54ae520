// Algos for the emulator tests, compiled with the toolkit's own `compileAlgo`
// (AssemblyScript sources kept here as strings, so tsc never sees them), and
// hand-assembled WebAssembly for the uploads the emulator must refuse.
//
// Compiling loads the AssemblyScript compiler (seconds on a busy machine), so
// the modules are cached in the OS temp dir, keyed by a hash of the sources
// and of runtime/ and the compiler glue; a lock directory makes parallel test
// files compile once between them.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileAlgo } from "../../src/build/compile.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Logs "started", rests a bid at $1 (never fills: left resting at stop), buys 0.01 at market every 20th quote. */
const BUYER = `
import { Algo, Fill, Quote, Px, Qty, Tif, log, register } from "sequence-algo/runtime";
class Buyer extends Algo {
  quotes: i32 = 0;
  onStart(): void {
    log.info("started");
    this.buy(Qty.fromInt(1), Px.fromInt(1), Tif.GTC);
  }
  onQuote(q: Quote): void {
    this.quotes++;
    if (this.quotes % 20 == 0) this.buy(Qty.fromParts(0, 1_000_000));
  }
  onFill(f: Fill): void {
    log.info("fill " + f.qty.toString() + " @ " + f.px.toString());
  }
  onStop(): void {
    log.info("stop pos " + this.position.toString() + " open " + this.orders.count.toString());
  }
}
register(new Buyer());
`;

/** Traps with "boom" on its 10th quote. */
const TRAP = `
import { Algo, Quote, register } from "sequence-algo/runtime";
class Trap extends Algo {
  quotes: i32 = 0;
  onQuote(q: Quote): void {
    this.quotes++;
    if (this.quotes == 10) throw new Error("boom");
  }
}
register(new Trap());
`;

/** Never returns from its 5th quote. */
const SPIN = `
import { Algo, Quote, register } from "sequence-algo/runtime";
class Spin extends Algo {
  quotes: i32 = 0;
  onQuote(q: Quote): void {
    this.quotes++;
    if (this.quotes >= 5) {
      while (true) {}
    }
  }
}
register(new Spin());
`;

/** Logs a line on every quote. */
const CHATTY = `
import { Algo, Quote, log, register } from "sequence-algo/runtime";
class Chatty extends Algo {
  quotes: i32 = 0;
  onQuote(q: Quote): void {
    this.quotes++;
    log.info("quote " + this.quotes.toString());
  }
}
register(new Chatty());
`;

const SOURCES = { buyer: BUYER, trap: TRAP, spin: SPIN, chatty: CHATTY } as const;
export type FixtureName = keyof typeof SOURCES;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function cacheKey(): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(SOURCES));
  for (const f of [...filesUnder(path.join(ROOT, "runtime")), ...filesUnder(path.join(ROOT, "src/build"))].sort()) h.update(f).update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}

async function compileAll(dir: string): Promise<void> {
  const src = path.join(dir, "src");
  mkdirSync(src, { recursive: true });
  for (const [name, text] of Object.entries(SOURCES)) {
    const file = path.join(src, `${name}.ts`);
    writeFileSync(file, text);
    const built = await compileAlgo(file);
    writeFileSync(path.join(dir, `${name}.wasm.tmp`), built.wasm);
    renameSync(path.join(dir, `${name}.wasm.tmp`), path.join(dir, `${name}.wasm`));
  }
  writeFileSync(path.join(dir, "done"), "");
}

let cached: Promise<Record<FixtureName, Uint8Array>> | undefined;

/** Every fixture module, compiled once per source change across all test files. */
export function fixtures(): Promise<Record<FixtureName, Uint8Array>> {
  return (cached ??= (async () => {
    const dir = path.join(tmpdir(), `sequence-algo-dev-fixtures-${cacheKey()}`);
    const lock = `${dir}.lock`;
    const done = () => {
      try {
        statSync(path.join(dir, "done"));
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 175_000;
    while (!done()) {
      let mine = false;
      try {
        mkdirSync(lock);
        mine = true;
      } catch {
        // another test file is compiling; a lock older than 3 minutes is stale
        try {
          if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
        } catch {
          /* gone meanwhile */
        }
      }
      if (mine) {
        try {
          if (!done()) await compileAll(dir);
        } finally {
          rmSync(lock, { recursive: true, force: true });
        }
        break;
      }
      if (Date.now() > until) throw new Error(`gave up waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const read = (n: FixtureName) => new Uint8Array(readFileSync(path.join(dir, `${n}.wasm`)));
    return { buyer: read("buyer"), trap: read("trap"), spin: read("spin"), chatty: read("chatty") };
  })());
}

// ---------------------------------------------------------------- hand-built modules

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const name = (s: string) => [...uleb(s.length), ...Buffer.from(s, "utf8")];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, payload: number[]) => [id, ...uleb(payload.length), ...payload];

export interface HandModule {
  /** Packed ABI version the module reports (default v1.0 = 0x10000). */
  abiVersion?: number;
  /** Extra imports as "module.name" (functions, type () → ()). */
  imports?: string[];
  /** Memory limits in pages (default min 1, max 16). */
  memory?: { min: number; max?: number };
  startFunction?: boolean;
}

/**
 * A module with every export ABI v1 requires (all stubs) and the given quirks:
 * enough to pass or fail `checkModule` on purpose without the compiler.
 */
export function handModule(m: HandModule = {}): Uint8Array {
  const I32 = 0x7f;
  const I64 = 0x7e;
  const types = vec([
    [0x60, ...vec([]), ...vec([[I32]])], // 0: () -> i32
    [0x60, ...vec([]), ...vec([])], // 1: () -> ()
    [0x60, ...vec([[I64]]), ...vec([])], // 2: (i64) -> ()
    [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])], // 3: (i32, i32) -> i32
    [0x60, ...vec([]), ...vec([[I64]])], // 4: () -> i64
  ]);
  const imports = (m.imports ?? []).map((full) => {
    const [mod, fn] = full.split(".");
    return [...name(mod), ...name(fn), 0x00, ...uleb(1)];
  });
  const funcs: Array<{ export: string; type: number; body: number[] }> = [
    { export: "sequence_abi_version", type: 0, body: [0x41, ...sleb(m.abiVersion ?? 0x10000)] },
    { export: "sequence_init", type: 1, body: [] },
    { export: "sequence_events", type: 0, body: [0x41, 0] },
    { export: "sequence_events_capacity", type: 0, body: [0x41, 0] },
    { export: "sequence_on_start", type: 2, body: [] },
    { export: "sequence_on_stop", type: 2, body: [] },
    { export: "sequence_run", type: 3, body: [0x41, 0] },
    { export: "sequence_now", type: 4, body: [0x42, 0] },
  ];
  const base = imports.length;
  const mem = m.memory ?? { min: 1, max: 16 };
  const limits = mem.max === undefined ? [0x00, ...uleb(mem.min)] : [0x01, ...uleb(mem.min), ...uleb(mem.max)];
  const exports = [[...name("memory"), 0x02, 0], ...funcs.map((f, i) => [...name(f.export), 0x00, ...uleb(base + i)])];
  const code = funcs.map((f) => {
    const body = [0x00, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...(imports.length ? section(2, vec(imports)) : []),
    ...section(3, vec(funcs.map((f) => uleb(f.type)))),
    ...section(5, vec([limits])),
    ...section(7, vec(exports)),
    ...(m.startFunction ? section(8, uleb(base + 1)) : []),
    ...section(10, vec(code)),
  ]);
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
