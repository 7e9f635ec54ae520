// The raw ABI exports: what the host calls. With host.ts, the only file that
// knows the raw ABI (docs/abi.md). `algo build` re-exports everything here
// from the module's entry, so an author never writes these.
import { Algo } from "./algo";
import { Bar, Fill, OrderStatus, OrderUpdate, Quote, Side, Trade } from "./events";
import { state } from "./state";
import "./abort"; // the target of --use abort=… (src/build/compile.ts)

// Inlined, so sequence_abi_version's body is the literal `i32.const` in every
// build mode (unoptimized builds would otherwise read a global), and hosts
// read the version without running code (harness/wasm-layout.ts).
// @ts-ignore: decorator
@inline const ABI_VERSION_PACKED: i32 = (1 << 16) | 3;

/** ABI version: major in the high 16 bits, minor in the low 16. */
export const ABI_VERSION: i32 = ABI_VERSION_PACKED;

// Event record layout (docs/abi.md "Event records"): 6 little-endian i64 words.
const RECORD_BYTES: usize = 48;
const EVENT_CAPACITY: i32 = 4096;
const KIND_QUOTE: i32 = 1;
const KIND_TRADE: i32 = 2;
const KIND_FILL: i32 = 3;
const KIND_ORDER: i32 = 4;
const KIND_TIMER: i32 = 5;
const KIND_BAR: i32 = 6;
const KIND_DEPTH: i32 = 7;
const DEPTH_CLEAR: i32 = 1;
const DEPTH_LAST: i32 = 2;

const events: usize = heap.alloc(<usize>EVENT_CAPACITY * RECORD_BYTES);
const trade = new Trade();
const fill = new Fill();
const update = new OrderUpdate();
const bar = new Bar();

export function sequence_abi_version(): i32 {
  return ABI_VERSION_PACKED;
}

/** Address of the event buffer the host writes records into. */
export function sequence_events(): usize {
  return events;
}

export function sequence_events_capacity(): i32 {
  return EVENT_CAPACITY;
}

function registered(): Algo {
  const algo = state.algo;
  if (algo === null) throw new Error("no algo registered: call register(new YourAlgo()) at the top level of your algo file");
  return algo;
}

/** Index of the record being delivered (-1 outside sequence_run): a host names the event a trap happened in. */
let cursor: i32 = -1;

export function sequence_cursor(): i32 {
  return cursor;
}

/** Time of the event being delivered; the host stamps orders and logs with it. */
export function sequence_now(): i64 {
  return state.now;
}

export function sequence_on_start(now_ns: i64): void {
  state.now = now_ns;
  registered().onStart();
}

export function sequence_on_stop(now_ns: i64): void {
  state.now = now_ns;
  registered().onStop();
}

/**
 * Delivers records [first, first + count) of the event buffer in order.
 * Returns how many were delivered: fewer than `count` when a callback placed
 * or cancelled an order or set a timer, so the host can act on it first.
 */
export function sequence_run(first: i32, count: i32): i32 {
  const algo = registered();
  const book = algo.book;
  let p = events + <usize>first * RECORD_BYTES;
  const end = p + <usize>count * RECORD_BYTES;
  state.halted = false;
  cursor = first;
  while (p < end) {
    const ts = load<i64>(p);
    const head = load<i64>(p, 8);
    state.now = ts;
    switch (<i32>(head & 0xff)) {
      case KIND_QUOTE: {
        book.ts = ts;
        book.bidPx = load<i64>(p, 16);
        book.bidQty = load<i64>(p, 24);
        book.askPx = load<i64>(p, 32);
        book.askQty = load<i64>(p, 40);
        algo.onQuote(book);
        break;
      }
      case KIND_TRADE: {
        trade.ts = ts;
        trade.px = load<i64>(p, 16);
        trade.qty = load<i64>(p, 24);
        trade.side = <i32>((head >> 8) & 0xff);
        trade.ofBar = ((head >> 16) & 0xff) != 0; // sub 1: a bar's close, 2: its open or an extreme
        algo.lastPx = trade.px;
        algo.onTrade(trade);
        break;
      }
      case KIND_FILL: {
        fill.ts = ts;
        fill.side = <i32>((head >> 8) & 0xff);
        fill.liquidity = <i32>((head >> 16) & 0xff);
        fill.orderId = load<i64>(p, 16);
        fill.px = load<i64>(p, 24);
        fill.qty = load<i64>(p, 32);
        fill.fee = load<i64>(p, 40);
        algo.position += fill.side == 1 ? fill.qty : -fill.qty;
        algo.orders.fill(fill.orderId, fill.qty);
        algo.onFill(fill);
        break;
      }
      case KIND_ORDER: {
        update.ts = ts;
        update.side = <i32>((head >> 8) & 0xff);
        update.status = <i32>((head >> 16) & 0xff);
        update.reason = <i32>(head >>> 32);
        update.orderId = load<i64>(p, 16);
        update.px = load<i64>(p, 24);
        update.qty = load<i64>(p, 32);
        if (update.status != OrderStatus.Accepted) algo.orders.remove(update.orderId);
        algo.onOrder(update);
        break;
      }
      case KIND_TIMER: {
        algo.onTimer(<i32>load<i64>(p, 16));
        break;
      }
      case KIND_DEPTH: {
        // An algo without onBook stops the book at its first update (Algo.onBook).
        if (!state.bookWanted) break;
        const flags = <i32>((head >> 16) & 0xff);
        const side = <Side>((head >> 8) & 0xff);
        const depth = algo.depth;
        if (flags & DEPTH_CLEAR) depth.clear(side);
        depth.set(side, load<i64>(p, 16), load<i64>(p, 24));
        if (flags & DEPTH_LAST) {
          depth.ts = ts;
          algo.onBook(depth);
        }
        break;
      }
      case KIND_BAR: {
        // Two records per bar: sub 0 carries O/H/L/C, sub 1 (next) the volume and start time.
        if ((head >> 16) & 0xff) {
          bar.volume = load<i64>(p, 16);
          bar.startTs = load<i64>(p, 24);
          bar.endTs = ts;
          algo.onBar(bar);
        } else {
          bar.open = load<i64>(p, 16);
          bar.high = load<i64>(p, 24);
          bar.low = load<i64>(p, 32);
          bar.close = load<i64>(p, 40);
        }
        break;
      }
      default:
        throw new Error("unknown event kind in record");
    }
    p += RECORD_BYTES;
    if (state.halted) break;
    cursor++;
  }
  cursor = -1;
  return <i32>((p - events) / RECORD_BYTES) - first;
}
