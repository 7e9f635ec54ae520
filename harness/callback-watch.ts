/**
 * Which callback the module is in, and since when, in shared memory: the
 * engine's thread writes it around every call into the module, and a
 * watchdog on another thread reads it to stop a callback that outruns its
 * budget (an endless loop cannot be interrupted from its own thread). Plain
 * stores, no allocation: the cost on the replay path is a few writes per call.
 *
 * Layout: f64 [0] busy since (ms, performance.timeOrigin based; 0 = idle),
 * i32 [2] what runs (a record kind 1..7 for sequence_run's first record, or a
 * CallSite), [3] how many records the call delivers, [4..5] the first
 * record's ts_ns (lo, hi).
 */
import { KIND_NAMES, Kind } from "./abi.ts";

export const enum CallSite {
  StartCode = 100,
  OnStart = 101,
  OnStop = 102,
}

const BYTES = 24;
const SITE_NAMES: Readonly<Record<number, string>> = { [CallSite.StartCode]: "start code", [CallSite.OnStart]: "onStart", [CallSite.OnStop]: "onStop" };
const KIND_CALLBACKS: Readonly<Record<number, string>> = {
  [Kind.Quote]: "onQuote",
  [Kind.Trade]: "onTrade",
  [Kind.Fill]: "onFill",
  [Kind.Order]: "onOrder",
  [Kind.Timer]: "onTimer",
};

export interface WatchedCall {
  /** When the call began, ms on the performance.timeOrigin + performance.now() clock. */
  sinceMs: number;
  /** "onQuote", "onStart", …: the callback of the call's first record. */
  callback: string;
  /** Records the call delivers (1 for onStart/onStop/start code). */
  records: number;
  /** The first record's time (0n for start code). */
  ts: bigint;
}

export class CallbackWatch {
  private readonly since: Float64Array;
  private readonly ints: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(BYTES)) {
    this.since = new Float64Array(buffer, 0, 1);
    this.ints = new Int32Array(buffer, 0, BYTES / 4);
  }

  /** Before a call: `what` is a record kind or a CallSite; `tsLo`/`tsHi` the first record's time halves. */
  enter(what: number, records: number, tsLo: number, tsHi: number): void {
    const i = this.ints;
    i[2] = what;
    i[3] = records;
    i[4] = tsLo;
    i[5] = tsHi;
    this.since[0] = performance.timeOrigin + performance.now();
  }

  leave(): void {
    this.since[0] = 0;
  }

  /** The call in progress, or undefined when the module is idle. */
  current(): WatchedCall | undefined {
    const sinceMs = this.since[0];
    if (sinceMs === 0) return undefined;
    const i = this.ints;
    const what = i[2];
    const callback = SITE_NAMES[what] ?? KIND_CALLBACKS[what] ?? `the ${KIND_NAMES[what] ?? `kind ${what}`} callback`;
    return { sinceMs, callback, records: i[3], ts: (BigInt(i[5]) << 32n) | BigInt(i[4] >>> 0) };
  }
}
