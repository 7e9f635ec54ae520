/**
 * Runs one algo module: instantiates it, implements the host imports
 * (docs/abi.md) by forwarding them to `HostCalls`, and exposes the module's
 * exports as typed methods. The only JS file besides abi.ts that knows the raw ABI.
 */
import { HOST_NAMESPACE, type HostImportName } from "./abi.ts";
import { RECORD_BYTES, RECORD_WORDS } from "./data/record.ts";
import type { Params } from "./params.ts";

/** What the module may ask of its host; the engine implements it. */
export interface HostCalls {
  place(side: number, price: bigint, qty: bigint, tif: number): bigint;
  cancel(orderId: bigint): number;
  cancelAll(): number;
  setTimer(atNs: bigint, timerId: number): void;
  log(level: number, message: string): void;
}

/** The module stopped itself: failed assertion, overflow, thrown error. */
export class AlgoTrap extends Error {
  constructor(
    readonly reason: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(file ? `algo trapped: ${reason} (at ${file}:${line}:${column})` : `algo trapped: ${reason}`);
    this.name = "AlgoTrap";
  }
}

interface AbiExports {
  memory: WebAssembly.Memory;
  sequence_init(): void;
  sequence_events(): number;
  sequence_events_capacity(): number;
  sequence_on_start(nowNs: bigint): void;
  sequence_on_stop(nowNs: bigint): void;
  sequence_run(first: number, count: number): number;
  sequence_now(): bigint;
}

export class AlgoInstance {
  /** Records the event buffer holds. */
  readonly capacity: number;
  private readonly eventsPtr: number;
  private buffer: ArrayBuffer;
  private words: BigInt64Array;

  private constructor(private readonly exports: AbiExports) {
    this.eventsPtr = exports.sequence_events();
    this.capacity = exports.sequence_events_capacity();
    this.buffer = exports.memory.buffer;
    this.words = this.view();
  }

  static async create(module: WebAssembly.Module, calls: HostCalls, params: Params): Promise<AlgoInstance> {
    let memory: WebAssembly.Memory | undefined;
    const text = (ptr: number, bytes: number) =>
      Buffer.from(memory!.buffer, ptr, bytes).toString("utf16le");
    const imports: Record<HostImportName, (...args: never[]) => unknown> = {
      place: (side: number, price: bigint, qty: bigint, tif: number) => calls.place(side, price, qty, tif),
      cancel: (id: bigint) => calls.cancel(id),
      cancel_all: () => calls.cancelAll(),
      set_timer: (at: bigint, id: number) => calls.setTimer(at, id),
      log: (level: number, ptr: number, len: number) => calls.log(level, text(ptr, len)),
      param: (namePtr: number, nameLen: number, fallback: bigint, decimals: number) =>
        params.read(text(namePtr, nameLen), fallback, decimals),
      panic: (msgPtr: number, msgLen: number, filePtr: number, fileLen: number, line: number, column: number) => {
        throw new AlgoTrap(text(msgPtr, msgLen), text(filePtr, fileLen), line, column);
      },
    };
    const instance = await WebAssembly.instantiate(module, { [HOST_NAMESPACE]: imports });
    const exports = instance.exports as unknown as AbiExports;
    memory = exports.memory;
    exports.sequence_init();
    return new AlgoInstance(exports);
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
    this.exports.sequence_on_start(nowNs);
  }

  stop(nowNs: bigint): void {
    this.exports.sequence_on_stop(nowNs);
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
    return this.exports.sequence_run(first, count);
  }
}
