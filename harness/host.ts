/**
 * Runs one algo module: instantiates it, implements the host imports
 * (docs/abi.md) by forwarding them to `HostCalls`, and exposes the module's
 * exports as typed methods. With abi.ts and record-view.ts, the only JS files that know the raw ABI.
 */
import { HOST_NAMESPACE, MAX_MEMORY_PAGES, RECORD_BYTES, RECORD_WORDS, type HostImportName } from "./abi.ts";
import { Half, halves, hiAt, kindAt, loAt, recordStart } from "./record-view.ts";
import type { Params } from "./params.ts";
import { TrapLocator, wasmFrames, type TrapPosition } from "./trap-location.ts";
import { isoNs } from "./data/time.ts";
import { CallSite, type CallbackWatch } from "./callback-watch.ts";

/** What the module may ask of its host; the engine implements it. */
export interface HostCalls {
  place(side: number, price: bigint, qty: bigint, tif: number): bigint;
  cancel(orderId: bigint): number;
  cancelAll(): number;
  setTimer(atNs: bigint, timerId: number): void;
  log(level: number, message: string): void;
  /** One account figure (AccountField), USD 1e9. */
  readAccount(field: number): bigint;
}

/** What the algo was doing when it trapped; the engine fills it in. */
export interface TrapEvent {
  /** onQuote, onTrade, onFill, onOrder, onTimer, onStart, onStop, or "start code" (field initialisers, register). */
  callback: string;
  /** Time of the event being handled, ns since the epoch. */
  ts?: bigint;
  /** 1-based number of the data record: the one being handled, or (for host events, onStart, onStop) the last one delivered. */
  index?: number;
  /** The callback handled a host event (fill, order update, timer) or onStart/onStop, not data record `index` itself. */
  hostEvent?: boolean;
}

/**
 * The module stopped: a WebAssembly trap (divide by zero, unreachable,
 * stack overflow) or a panic (failed assertion, overflow, thrown error,
 * index out of range). One line says what, where in the author's code, in
 * which callback and on which event.
 */
export class AlgoTrap extends Error {
  /** Where, when the module carries a source map (or the module said); file is "" when unknown. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  event?: TrapEvent;

  constructor(
    readonly reason: string,
    readonly position?: TrapPosition,
  ) {
    super("");
    this.name = "AlgoTrap";
    this.file = position?.file ?? "";
    this.line = position?.line ?? 0;
    this.column = position?.column ?? 0;
    this.message = this.describe();
  }

  /** The same trap, now knowing the event it happened in. */
  during(event: TrapEvent): this {
    this.event ??= event;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    const p = this.position;
    const parts = [p ? `${p.precision} ${p.file}:${p.line}:${p.column}` : "position unknown"];
    const e = this.event;
    if (e) {
      parts[0] += ` in ${e.callback}`;
      const when = e.ts === undefined ? "" : ` at ${isoNs(e.ts)}`;
      if (e.index !== undefined && !e.hostEvent) parts.push(`event ${e.index}${when}`);
      else if (e.index !== undefined) parts.push(`${when.trim()}${when ? " " : ""}${e.index === 0 ? "before event 1" : `after event ${e.index}`}`);
      else if (when) parts.push(when.trim());
    }
    return `algo trapped: ${this.reason} (${parts.join(", ")})`;
  }
}

interface AbiExports {
  memory: WebAssembly.Memory;
  sequence_abi_version(): number;
  sequence_init(): void;
  sequence_events(): number;
  sequence_events_capacity(): number;
  sequence_on_start(nowNs: bigint): void;
  sequence_on_stop(nowNs: bigint): void;
  sequence_run(first: number, count: number): number;
  sequence_now(): bigint;
  sequence_abi_version(): number;
  /** Optional: modules built before it was added lack it. */
  sequence_cursor?(): number;
}

/** Enough frames to reach the author's code under a deep runtime call chain. */
const TRAP_STACK_FRAMES = 64;

export class AlgoInstance {
  /** Records the event buffer holds. */
  readonly capacity: number;
  /** The module's ABI minor version: which record kinds it may be sent and what its place() arguments mean. */
  readonly abiMinor: number;
  private readonly eventsPtr: number;
  private buffer: ArrayBuffer;
  private words: BigInt64Array;

  private constructor(
    private readonly exports: AbiExports,
    private readonly locator: TrapLocator | undefined,
    private readonly watch: CallbackWatch | undefined,
  ) {
    this.eventsPtr = exports.sequence_events();
    this.capacity = exports.sequence_events_capacity();
    this.abiMinor = exports.sequence_abi_version() & 0xffff; // a constant (module-check.ts): runs no author code
    this.buffer = exports.memory.buffer;
    this.words = this.view();
  }

  static async create(module: WebAssembly.Module, calls: HostCalls, params: Params, watch?: CallbackWatch): Promise<AlgoInstance> {
    let memory: WebAssembly.Memory | undefined;
    const locator = TrapLocator.fromModule(module);
    const text = (ptr: number, bytes: number) =>
      Buffer.from(memory!.buffer, ptr, bytes).toString("utf16le");
    const imports: Record<HostImportName, (...args: never[]) => unknown> = {
      place: (side: number, price: bigint, qty: bigint, tif: number) => calls.place(side, price, qty, tif),
      cancel: (id: bigint) => calls.cancel(id),
      cancel_all: () => calls.cancelAll(),
      set_timer: (at: bigint, id: number) => calls.setTimer(at, id),
      log: (level: number, ptr: number, len: number) => calls.log(level, text(ptr, len)),
      account: (field: number) => calls.readAccount(field),
      param: (namePtr: number, nameLen: number, fallback: bigint, decimals: number) =>
        params.read(text(namePtr, nameLen), fallback, decimals),
      panic: (msgPtr: number, msgLen: number, filePtr: number, fileLen: number, line: number, column: number) => {
        const file = text(filePtr, fileLen);
        const reported = file ? { file, line, column } : undefined;
        const position = locator?.locate(wasmFrames(stackHere()), reported) ?? (reported && { ...reported, precision: "at" as const });
        throw new AlgoTrap(text(msgPtr, msgLen), position);
      },
    };
    const instance = await WebAssembly.instantiate(module, { [HOST_NAMESPACE]: imports });
    const exports = instance.exports as unknown as AbiExports;
    memory = exports.memory;
    try {
      watch?.enter(CallSite.StartCode, 1, 0, 0);
      exports.sequence_init();
    } catch (e) {
      throw asTrap(e, locator, exports.memory);
    } finally {
      watch?.leave();
    }
    return new AlgoInstance(exports, locator, watch);
  }

  private asTrap(e: unknown): unknown {
    return asTrap(e, this.locator, this.exports.memory);
  }

  /** The record sequence_run was delivering when it trapped (-1 when unknown: an older module). */
  cursor(): number {
    return this.exports.sequence_cursor?.() ?? -1;
  }

  private view(): BigInt64Array {
    return new BigInt64Array(this.buffer, this.eventsPtr, this.capacity * RECORD_WORDS);
  }

  /** The event buffer as i64 words; valid until the module's memory grows. */
  get records(): BigInt64Array {
    if (this.buffer !== this.exports.memory.buffer) {
      this.buffer = this.exports.memory.buffer;
      this.words = this.view();
    }
    return this.words;
  }

  /** Copies `count` records (as bytes) into the buffer starting at record `first`. */
  write(bytes: Uint8Array, first = 0): void {
    new Uint8Array(this.exports.memory.buffer, this.eventsPtr + first * RECORD_BYTES, bytes.length).set(bytes);
  }

  start(nowNs: bigint): void {
    try {
      this.watch?.enter(CallSite.OnStart, 1, Number(BigInt.asIntN(32, nowNs)), Number(nowNs >> 32n));
      this.exports.sequence_on_start(nowNs);
    } catch (e) {
      throw this.asTrap(e);
    } finally {
      this.watch?.leave();
    }
  }

  stop(nowNs: bigint): void {
    try {
      this.watch?.enter(CallSite.OnStop, 1, Number(BigInt.asIntN(32, nowNs)), Number(nowNs >> 32n));
      this.exports.sequence_on_stop(nowNs);
    } catch (e) {
      throw this.asTrap(e);
    } finally {
      this.watch?.leave();
    }
  }

  /** Size of the module's linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** The module's clock: the time of the event it is handling. */
  now(): bigint {
    return this.exports.sequence_now();
  }

  /** Delivers records [first, first+count); returns how many were delivered before the algo halted. */
  run(first: number, count: number): number {
    const watch = this.watch;
    if (watch) {
      const heads = this.heads();
      const b = recordStart(first);
      watch.enter(kindAt(heads, b), count, loAt(heads, b + Half.Ts), hiAt(heads, b + Half.Ts));
    }
    try {
      return this.exports.sequence_run(first, count);
    } catch (e) {
      throw this.asTrap(e);
    } finally {
      watch?.leave();
    }
  }

  /** The event buffer as i32 halves (for the watch); valid until the module's memory grows. */
  private heads(): Int32Array {
    const words = this.records;
    if (this.headsView?.buffer !== words.buffer) this.headsView = halves(words);
    return this.headsView;
  }
  private headsView: Int32Array | undefined;
}

/** A WebAssembly trap as an AlgoTrap at the author's position; anything else (a host error) unchanged. */
function asTrap(e: unknown, locator: TrapLocator | undefined, memory: WebAssembly.Memory): unknown {
  if (e instanceof AlgoTrap) return e;
  const wasmTrap = e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/.test(e.message));
  if (!wasmTrap) return e;
  const frames = wasmFrames((e as Error).stack);
  if (frames.length === 0 && !(e instanceof WebAssembly.RuntimeError)) return e; // a JS stack overflow, not the module's
  const full = e instanceof WebAssembly.RuntimeError && e.message === "unreachable" ? memoryLimitReached(memory) : undefined;
  const reason = full === undefined ? (e as Error).message : `out of memory (limit ${+(full / 2 ** 20).toFixed(2)} MiB)`;
  return new AlgoTrap(reason, locator?.locate(frames));
}

/**
 * The memory's limit in bytes when the trap looks like a failed allocation,
 * else undefined. AssemblyScript's allocator traps with a bare `unreachable`
 * when growing fails, i.e. when a request exceeded what was left: we call it
 * out of memory when at least half the limit was in use. The limit is found
 * by growing the (dead: a trapped instance never runs again) memory a page at
 * a time, at most up to the harness's cap.
 */
function memoryLimitReached(memory: WebAssembly.Memory): number | undefined {
  const PAGE = 65536;
  const used = memory.buffer.byteLength;
  while (memory.buffer.byteLength < MAX_MEMORY_PAGES * PAGE) {
    try {
      memory.grow(1);
    } catch {
      break;
    }
  }
  const limit = memory.buffer.byteLength;
  return used * 2 >= limit && limit <= MAX_MEMORY_PAGES * PAGE ? limit : undefined;
}

/** The stack at the host import: the module's frames below it. */
function stackHere(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = TRAP_STACK_FRAMES;
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
