/**
 * The replay loop: tick source → algo module → simulated venue → ledger.
 *
 * Ticks are copied into the module's event buffer a batch at a time and the
 * module runs through them in one call (docs/abi.md explains why). The run
 * comes back early when the algo talks to the host (places, cancels, sets a
 * timer), and the engine stops a run itself just before a tick that would
 * fill a resting order or when an order or timer falls due, so every event
 * still happens in time order exactly as if ticks were delivered one by one.
 *
 * Reading order: `run` → `replay` (the batched path: `nextStop`, `settle`,
 * `flushQueue`, `deliver`) or `replayDelayed` (feed or response latency, one
 * event at a time: `catchUp`) → the host calls the module makes → what the
 * venue reports back. The algo's timers wait in timers.ts; what the report
 * prints is kept by the recorder (recorder.ts), not here.
 */
import { RecordBatch, withoutKindsAfter } from "./data/record.ts";
import { Half, halves, header, kindAt, kindOf, recordStart, subAt, tsOf, writeRecord } from "./record-view.ts";
import type { TickSource } from "./data/source.ts";
import { AlgoLoop } from "./algo-loop.ts";
import { AlgoInstance, AlgoTrap, type HostCalls, type TrapEvent } from "./host.ts";
import { Ledger } from "./ledger.ts";
import { Params } from "./params.ts";
import { LatencyHistogram } from "./report/latency.ts";
import { EventQueue } from "./event-queue.ts";
import { AlgoDelays } from "./algo-delays.ts";
import { BpsFees } from "./venue/fees.ts";
import { ConstantLatency } from "./venue/latency.ts";
import type { VenueModels } from "./venue/settings.ts";
import { big, copy, eq, lt, positive, put } from "./venue/i64.ts";
import { SimulatedVenue, sizedQuoteMarkAt, type VenueListener } from "./venue/venue.ts";
import { BAR_CLOSE_PRINT, Kind, Liquidity, OrderFlag, OrderStatus, RejectReason, SideCode, newestKind } from "./abi.ts";
import { Account } from "./account.ts";
import { buildReport, type BacktestReport } from "./report/report.ts";
import { StatsCollector, type StatsSettings } from "./report/statistics.ts";
import type { CallbackWatch } from "./callback-watch.ts";
import { Recorder, type RecorderOptions } from "./recorder.ts";
import { TimerQueue } from "./timers.ts";

/**
 * With the venue's models (default: no fees, no latency, fills only through an order's price, no instrument rules;
 * venue/settings.ts builds them from a backtest's or an edge's settings) and the recorder's options (how many log
 * lines and fills the report keeps, and each as it happens: live edges stream them).
 */
export interface BacktestOptions extends Partial<VenueModels>, RecorderOptions {
  module: WebAssembly.Module;
  source: TickSource;
  params?: Params;
  /** Time every callback on its own (slower) instead of averaging over a batched run. */
  exactLatency?: boolean;
  /** Called after each batch with the ticks replayed so far. */
  onProgress?: (ticks: number) => void;
  /** Stops the replay between batches; the algo's on_stop still runs and the report covers what was replayed. */
  signal?: AbortSignal;
  /** Sampling, annualisation, capital base and the round-trip stream of the report's statistics. */
  stats?: StatsSettings;
  /** Starting cash, USD 1e9 (`--capital`): orders the account cannot pay for are rejected (insufficient_funds). Default: none, nothing checked. */
  capitalUsd_1e9?: bigint;
  /** Where each call into the module is published for a watchdog on another thread (callback-watch.ts). */
  watch?: CallbackWatch;
}

/** Host events (fills, order updates, timers) are written after the ticks, in this many reserved slots. */
const RESERVED = 512;
/** A guard against an algo that answers every fill with another marketable order forever. */
const MAX_HOST_EVENTS_PER_TICK = 100_000;
/**
 * How many records nextStop examines at a time: the window halves (to
 * SCAN_MIN) while the algo comes back before the end of what was scanned,
 * and doubles (to SCAN_MAX) while it runs through it. An algo that acts
 * every few ticks would otherwise rescan a long window after each action.
 */
const SCAN_MIN = 8;
const SCAN_MAX = 256;
const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
const FOREVER = 1n << 62n;
const I64_MAX = (1n << 63n) - 1n;
/** The callback each record kind is delivered to (docs/abi.md), for trap reports. */
const CALLBACKS: Record<number, string> = { [Kind.Quote]: "onQuote", [Kind.Trade]: "onTrade", [Kind.Fill]: "onFill", [Kind.Order]: "onOrder", [Kind.Timer]: "onTimer", [Kind.Bar]: "onBar", [Kind.Depth]: "onBook" };

export class Backtest implements HostCalls, VenueListener {
  readonly ledger = new Ledger({ onEquity: (ts, equity) => this.stats.onEquity(ts, equity), quietBand: () => this.stats.quietBand() });
  readonly stats: StatsCollector;
  readonly account: Account;
  readonly venue: SimulatedVenue;
  readonly latency = new LatencyHistogram();
  readonly params: Params;
  /** Counters, fill log, log lines, first and last data time: what the report reads. */
  readonly recorder: Recorder;

  private algo!: AlgoInstance;
  /** 1-based number of the last data record delivered to the module. */
  private delivered = 0;
  /** Time of the event being delivered: what `place` is stamped with. */
  private now = 0n;
  /** Set by any host call that changes what the venue or timers must do. */
  private commanded = false;
  private readonly queue = new EventQueue();
  private readonly timers = new TimerQueue();
  /** The last record index already matched against resting orders in this batch. */
  private matched = -1;
  /** The kind and raw price halves of the last record marked to (see markTicks). */
  private readonly lastMarked = new Int32Array(5);
  /** markTicks' scratch: the mark of one record as i64 halves. */
  private readonly markHalves = new Int32Array(2);
  /** The last scan: from `from`, nothing stops before `to`, while the venue and timers are unchanged. */
  private scan = { from: -1, to: -1, stops: false, venue: -1, timers: -1, matched: -1, gap: false };
  /** nextStop's scratch: the due time as i64 halves, compared with each record's without a BigInt. */
  private readonly dueHalves = new Int32Array(2);
  /** nextStop's window (see SCAN_MIN): adapts to how far the algo runs between actions. */
  private scanAhead = SCAN_MAX;
  /** The batch replay() is in, and how far into it the position has been marked (records before `marked`). */
  private batch: { words: BigInt64Array; heads: Int32Array; marked: number } | null = null;
  /** While the module runs a stretch of the batch: its first record and its end (exclusive); running is −1 otherwise. */
  private runFrom = 0;
  private running = -1;
  /** Feed or response latency: the algo's clock runs apart from the venue's (see replayDelayed). */
  private readonly delayed: AlgoDelays | null;
  /** After a bar's close print, before the next print: orders sent now wait for the next bar's open. */
  private betweenBars = false;
  /** Time of the print that ended the last gap between bars: nothing it let in is stamped earlier. */
  private openTs = 0n;

  constructor(private readonly options: BacktestOptions) {
    this.params = options.params ?? new Params();
    // Percentages are of the account's capital when there is one.
    this.stats = new StatsCollector({ capital_1e9: options.capitalUsd_1e9, ...options.stats });
    const fees = options.fees ?? new BpsFees(0, 0);
    const latency = options.latency?.start?.() ?? options.latency ?? new ConstantLatency(0n);
    this.account = new Account(options.capitalUsd_1e9 ?? null, this.ledger, fees);
    // Without capital nothing is checked: the venue then skips the funds check entirely.
    if (this.account.capital !== null) this.canPay = this.account.canPay.bind(this.account);
    this.venue = new SimulatedVenue(fees, latency, this, options.queue, options.venueRules);
    this.delayed = latency.delaysAlgo ? new AlgoDelays(latency) : null;
    this.venue.algoHearsLate = this.delayed !== null;
    this.recorder = new Recorder(options);
  }

  async run(): Promise<BacktestReport> {
    this.algo = await AlgoInstance.create(this.options.module, this, this.params, this.options.watch).catch((e) => {
      throw e instanceof AlgoTrap ? e.during({ callback: "start code" }) : e;
    });
    const started = process.hrtime.bigint(); // speed is replay speed: instantiation is not counted
    const batchSize = this.algo.capacity - RESERVED;
    // A module built for an older ABI is sent only the record kinds it knows.
    const newest = newestKind(this.algo.abiMinor);
    const older = newest < Kind.Bar ? new RecordBatch(batchSize) : null;
    let startedAlgo = false;
    for await (const sourced of this.options.source.batches(batchSize)) {
      const batch = older ? withoutKindsAfter(sourced, newest, older) : sourced;
      if (this.options.signal?.aborted) break;
      if (batch.length === 0) continue;
      if (!startedAlgo) {
        this.now = this.recorder.firstTs = batch.ts(0);
        this.during({ callback: "onStart", ts: this.now, index: 0, hostEvent: true }, () => this.algo.start(this.now));
        if (!this.delayed) this.settle(this.now);
        startedAlgo = true;
      }
      this.replay(batch);
      this.options.onProgress?.(this.recorder.counters.ticks);
    }
    if (startedAlgo && this.delayed) this.finishDelayed();
    else if (startedAlgo) {
      const lastTs = this.recorder.lastTs;
      this.settle(lastTs);
      this.now = lastTs;
      this.during({ callback: "onStop", ts: lastTs, index: this.delivered, hostEvent: true }, () => this.algo.stop(lastTs));
      this.settle(lastTs);
      this.drainInFlight();
    }
    const elapsedNs = Number(process.hrtime.bigint() - started);
    return buildReport(this, { elapsedNs, description: this.options.source.description });
  }

  /** Size of the module's linear memory now, in bytes. */
  get memoryBytes(): number {
    return (this.algo as AlgoInstance | undefined)?.memoryBytes ?? 0; // 0 before the module is instantiated
  }

  /** The state so far, for a live edge's status and metrics while it runs. */
  snapshot(elapsedNs = 0): BacktestReport {
    return buildReport(this, { elapsedNs, description: this.options.source.description });
  }

  private replay(batch: RecordBatch): void {
    if (this.delayed) return this.replayDelayed(batch);
    const n = batch.length;
    this.algo.write(batch.bytes());
    const words = batch.words;
    const heads = halves(words, n);
    if (this.recorder.countKinds(heads, n)) this.venue.useDepth(); // the venue keeps every level from now on
    this.stats.observeRecords(words, n);
    this.matched = -1;
    this.scan.from = -1;
    this.batch = { words, heads, marked: 0 };
    let i = 0;
    while (i < n) {
      // 1. Deliver ticks up to the next point where the venue or a timer must act first.
      const j = this.quiet() ? n : this.nextStop(words, heads, i, n);
      if (j > i) {
        this.runFrom = i; // an account read during the run marks up to the module's record (readAccount)
        this.running = j;
        const delivered = this.deliver(i, j - i);
        this.running = -1;
        if (delivered < j - i) this.scanAhead = Math.max(SCAN_MIN, this.scanAhead >> 1);
        else if (this.scanAhead < SCAN_MAX) this.scanAhead <<= 1;
        const last = i + delivered - 1;
        this.delivered = this.recorder.counters.ticks + last + 1;
        this.markUpTo(last + 1);
        this.venue.syncBook(words, heads, i, last);
        this.betweenBars = closesBar(heads, i, last, this.betweenBars);
        this.recorder.lastTs = this.now = tsOf(words, last);
        i = last + 1;
        if (this.commanded) this.settle(this.now);
        continue;
      }
      // 2. Record i is a stop: due orders and timers first, then fills caused by record i itself.
      const ts = tsOf(words, i);
      if (this.nextDue() < ts) {
        this.settle(this.nextDue(), true);
        continue;
      }
      const kind = kindAt(heads, recordStart(i));
      this.matched = i;
      this.now = ts;
      if (this.betweenBars && isPrint(kind)) {
        this.reopenMarket(words, heads, i, ts);
        this.settle(ts);
        this.betweenBars = closesBar(heads, i, i, false);
        this.now = ts;
      }
      // The market moved first, then it reached the order: mark, then fill.
      this.markUpTo(i + 1);
      this.venue.match(words, heads, kind, i);
      this.venue.syncBook(words, heads, i, i);
      this.flushQueue();
      this.settle(ts);
    }
    this.recorder.replayed(n);
  }

  /**
   * Feed or response latency: the venue meets each record at its exchange
   * time, the algo sees it at that time + feed latency and hears of fills and
   * order updates at venue time + response latency. Events are taken earliest
   * first (the batched path above serves runs without these latencies).
   */
  private replayDelayed(batch: RecordBatch): void {
    const unseen = this.delayed!.unseen;
    const n = batch.length;
    const words = batch.words;
    const heads = halves(words, n);
    if (this.recorder.countKinds(heads, n)) this.venue.useDepth(); // the venue keeps every level from now on
    this.stats.observeRecords(words, n);
    for (let j = 0; j < n; j++) {
      const ts = tsOf(words, j);
      this.catchUp(ts, false, true); // at one instant the venue meets market events first
      const kind = kindAt(heads, recordStart(j));
      if (this.betweenBars && isPrint(kind)) {
        this.reopenMarket(words, heads, j, ts);
        this.catchUp(ts, false, true);
      }
      if (this.ledger.position !== 0n) this.markTicks(words, heads, j, j + 1);
      if (this.venue.hasResting && this.venue.crosses(heads, kind, j)) this.venue.match(words, heads, kind, j);
      this.venue.syncBook(words, heads, j, j);
      if (isPrint(kind)) this.betweenBars = closesBar(heads, j, j, false);
      this.recorder.lastTs = ts;
      unseen.pushAt(this.delayed!.sees(ts), words, j);
    }
    this.recorder.replayed(n);
  }

  /**
   * Runs what falls due before `limit` (or at it, when `inclusive`), earliest
   * first; at one instant (as the batched path does): what the algo hears,
   * then what it sees, then arrivals at the venue, then the algo's timers.
   */
  private catchUp(limit: bigint, inclusive: boolean, timers: boolean): void {
    const unseen = this.delayed!.unseen;
    for (let guard = 0; ; ) {
      const arrival = this.nextArrival(); // between bars, nothing reaches the market
      const response = this.queue.length > 0 ? this.queue.ts(0) : FOREVER;
      const market = unseen.length > 0 ? unseen.ts(0) : FOREVER;
      const timer = timers ? this.timers.nextAt(FOREVER) : FOREVER;
      let t = arrival < response ? arrival : response;
      if (market < t) t = market;
      if (timer < t) t = timer;
      if (t === FOREVER || t > limit || (t === limit && !inclusive)) return;
      if (t !== this.now) guard = 0;
      else if (++guard > MAX_HOST_EVENTS_PER_TICK)
        throw this.loop(t, guard);
      this.now = t;
      if (response === t) this.deliverFront(this.queue);
      else if (market === t) this.deliverSeen(response, arrival, timer, limit, inclusive);
      else if (arrival === t) while (this.venue.arriveNext(t));
      else {
        const fired = this.timers.pop();
        this.recorder.timerFired();
        const slot = this.algo.capacity - RESERVED;
        writeRecord(this.algo.records, slot, fired.at, header(Kind.Timer), BigInt(fired.id), 0n, 0n, 0n);
        this.deliver(slot, 1);
      }
    }
  }

  /**
   * Delivers, in one run, the market records the algo sees before anything
   * else falls due: before the next response, at or before the next arrival
   * or timer (the algo sees first at an instant), within the limit.
   */
  private deliverSeen(response: bigint, arrival: bigint, timer: bigint, limit: bigint, inclusive: boolean): void {
    const unseen = this.delayed!.unseen;
    let k = 1;
    for (const max = Math.min(unseen.length, RESERVED); k < max; k++) {
      const at = unseen.ts(k);
      if (at >= response || at > arrival || at > timer || at > limit || (at === limit && !inclusive)) break;
    }
    const slot = this.algo.capacity - RESERVED;
    unseen.copyTo(this.algo.records, slot, k);
    this.commanded = false; // with --exact-latency, deliver stops after the callback that commands
    const done = this.deliver(slot, k); // comes back early when the algo places, cancels or sets a timer
    this.now = unseen.ts(done - 1);
    unseen.drop(done);
    this.delivered += done;
  }

  /** Delivers the front record of `queue` on its own, through the first reserved slot. */
  private deliverFront(queue: EventQueue): void {
    const slot = this.algo.capacity - RESERVED;
    queue.copyTo(this.algo.records, slot, 1);
    queue.drop(1);
    this.deliver(slot, 1);
  }

  /**
   * End of data with feed or response latency: the algo sees the last records
   * (timers up to then fire), on_stop runs when it saw the last one, then
   * what is still on its way lands; timers no longer fire.
   */
  private finishDelayed(): void {
    const unseen = this.delayed!.unseen;
    const seenLast = unseen.length > 0 ? unseen.ts(unseen.length - 1) : this.recorder.lastTs;
    const end = seenLast > this.now ? seenLast : this.now;
    this.catchUp(end, true, true);
    this.now = end;
    this.during({ callback: "onStop", ts: end, index: this.delivered, hostEvent: true }, () => this.algo.stop(end));
    this.catchUp(FOREVER, true, false);
  }

  /** Nothing to watch per tick: no resting order, no position to mark, nothing in flight. */
  private quiet(): boolean {
    return !this.venue.hasResting && this.ledger.position === 0n && this.nextDue() === FOREVER && !this.waitingForOpen();
  }

  /** Orders or cancels sent after a bar's close, waiting for the next print. */
  private waitingForOpen(): boolean {
    return this.betweenBars && this.venue.nextArrival() !== null;
  }

  /**
   * Record j is the first print after a bar's close: the market is open again
   * at its price (the position is marked to it first, as for any fill), and
   * what was sent between bars may now reach it; the caller lets it arrive.
   */
  private reopenMarket(words: BigInt64Array, heads: Int32Array, j: number, ts: bigint): void {
    if (this.ledger.position !== 0n) this.markTicks(words, heads, j, j + 1);
    this.venue.syncBook(words, heads, j, j);
    this.betweenBars = false;
    this.openTs = ts;
  }

  /** When the venue's next request arrives; between bars, not before the next print. */
  private nextArrival(): bigint {
    return this.betweenBars ? FOREVER : (this.venue.nextArrival() ?? FOREVER);
  }

  /**
   * First index in [i, n) that must not be delivered before the host acts.
   * An algo that halts on most ticks would otherwise rescan the rest of the
   * batch each time: the last answer holds while nothing it depends on changed.
   */
  private nextStop(words: BigInt64Array, heads: Int32Array, i: number, n: number): number {
    const s = this.scan;
    const gap = this.waitingForOpen();
    // At s.to itself the answer holds only if the scan stopped there (not at the end of its window).
    if (s.from >= 0 && s.from <= i && (i < s.to || (i === s.to && s.stops)) && s.venue === this.venue.version && s.timers === this.timers.version && s.matched === this.matched && s.gap === gap)
      return s.to;
    const due = this.nextDue();
    // Timestamps are compared as i64 halves (reading one as a BigInt allocates); FOREVER is beyond i64.
    const timed = due !== FOREVER && due <= I64_MAX;
    if (timed) put(this.dueHalves, 0, due);
    const watch = this.venue.hasResting;
    // Look a bounded way ahead: an algo that acts every few ticks would waste a long scan.
    const end = Math.min(n, i + this.scanAhead);
    let j = i;
    for (; j < end; j++) {
      const b = recordStart(j);
      if (timed && lt(this.dueHalves, 0, heads, b + Half.Ts)) break;
      if (gap && isPrint(kindAt(heads, b))) break;
      if (watch && j > this.matched && this.venue.crosses(heads, kindAt(heads, b), j)) break;
    }
    s.from = i;
    s.to = j;
    s.stops = j < end;
    s.venue = this.venue.version;
    s.timers = this.timers.version;
    s.matched = this.matched;
    s.gap = gap;
    return j;
  }

  private nextDue(): bigint {
    const arrival = this.nextArrival();
    const timer = this.timers.nextAt(FOREVER);
    return arrival < timer ? arrival : timer;
  }

  /**
   * Lets the host catch up to time t: orders and timers due at or before t
   * (all of them when `onlyNext` is false, else just the earliest), each followed by
   * delivery of what it caused, until nothing more is due.
   */
  private settle(t: bigint, onlyNext = false): void {
    let guard = 0;
    do {
      this.commanded = false;
      this.flushQueue();
      const arrival = this.nextArrival();
      const timer = this.timers.nextAt(FOREVER);
      if (arrival <= t && arrival <= timer) {
        // Everything that arrives at this same instant reaches the venue before
        // the algo hears of any of it: the algo could not have acted in between.
        this.now = arrival < this.openTs ? this.openTs : arrival;
        while (this.venue.arriveNext(arrival));
      } else if (timer <= t) {
        const fired = this.timers.pop();
        this.now = fired.at;
        this.recorder.timerFired();
        this.queue.push(fired.at, header(Kind.Timer), BigInt(fired.id), 0n, 0n, 0n);
      } else if (!this.commanded && this.queue.length === 0) {
        return;
      }
      this.flushQueue();
      if (++guard > MAX_HOST_EVENTS_PER_TICK)
        throw this.loop(t, guard);
      if (onlyNext && !this.commanded) return;
    } while (true);
  }

  /** The run stops: the algo answered its own events without end at one instant. */
  private loop(ts: bigint, rounds: number, phase: "run" | "stop" = "run"): AlgoLoop {
    const { lastReject, lastRejectTs } = this.recorder;
    return new AlgoLoop(ts, rounds, lastRejectTs === ts ? lastReject : null, phase);
  }

  /**
   * After on_stop: orders and cancels still on their way (latency) reach the
   * venue against the last book, so an algo that cancels in on_stop ends with
   * its orders cancelled. Timers no longer fire.
   */
  private drainInFlight(): void {
    if (this.betweenBars) return; // after the last bar's close there is no market to reach
    for (let guard = 0; this.venue.nextArrival() !== null || this.queue.length > 0; guard++) {
      if (guard > MAX_HOST_EVENTS_PER_TICK) throw this.loop(this.now, guard, "stop");
      const at = this.venue.nextArrival();
      if (at !== null) {
        this.now = at;
        this.venue.arriveNext(at);
      }
      this.flushQueue();
    }
  }

  /** Delivers queued host events (fills, order updates, timers) through the reserved slots. */
  private flushQueue(): void {
    const base = this.algo.capacity - RESERVED;
    while (this.queue.length > 0) {
      const count = this.queue.copyTo(this.algo.records, base, RESERVED);
      this.now = this.queue.ts(0);
      const done = this.deliver(base, count);
      this.queue.drop(done);
      // The algo acted in a callback: let the host act before the rest is delivered.
      if (this.commanded) return;
    }
  }

  /** Runs `call`; a trap in it is reported as happening during `event`. */
  private during(event: TrapEvent, call: () => void): void {
    try {
      call();
    } catch (e) {
      throw e instanceof AlgoTrap ? e.during(event) : e;
    }
  }

  /** Runs the module over records [first, first+count); returns how many it took. */
  private deliver(first: number, count: number): number {
    try {
      return this.deliverUnguarded(first, count);
    } catch (e) {
      throw e instanceof AlgoTrap ? e.during(this.trapEvent(first, count)) : e;
    }
  }

  /** The record sequence_run(first, count) is on: the module's cursor, else the first at the module's time. */
  private moduleRecord(first: number, count: number): number {
    const slot = this.algo.cursor();
    if (slot >= first && slot < first + count) return slot;
    const words = this.algo.records;
    const now = this.algo.now();
    let at = first;
    while (at < first + count - 1 && tsOf(words, at) !== now) at++;
    return at;
  }

  /** The record a trap in sequence_run(first, count) happened on. */
  private trapEvent(first: number, count: number): TrapEvent {
    const words = this.algo.records;
    const slot = this.moduleRecord(first, count);
    const ts = tsOf(words, slot);
    const callback = CALLBACKS[kindOf(words, slot)] ?? "sequence_run";
    return slot < this.algo.capacity - RESERVED
      ? { callback, ts, index: this.recorder.counters.ticks + slot + 1 }
      : { callback, ts, index: this.delivered, hostEvent: true };
  }

  private deliverUnguarded(first: number, count: number): number {
    // performance.now() is a double in ms with sub-µs resolution and allocates nothing (hrtime.bigint does).
    if (this.options.exactLatency) {
      for (let k = 0; k < count; k++) {
        const t0 = performance.now();
        this.algo.run(first + k, 1);
        this.latency.record((performance.now() - t0) * 1e6);
        if (this.commanded) return k + 1;
      }
      return count;
    }
    const t0 = performance.now();
    const done = this.algo.run(first, count);
    this.latency.record(((performance.now() - t0) * 1e6) / done, done);
    return done;
  }

  /** Marks the open position to each record's price; unchanged prices are skipped without touching BigInt. */
  /** Marks the position through the batch's records before `to`, each once (none while flat). */
  private markUpTo(to: number): void {
    const batch = this.batch!;
    if (to <= batch.marked) return;
    if (this.ledger.position !== 0n) this.markTicks(batch.words, batch.heads, batch.marked, to);
    batch.marked = to;
  }

  private markTicks(words: BigInt64Array, heads: Int32Array, from: number, to: number): void {
    const seen = this.lastMarked;
    const mark = this.markHalves;
    let j = from;
    while (j < to) {
      // While the ledger has a quiet band, a stretch of records whose prices all lie in it
      // is only compared: of the marks it holds back, the last is the only one that counts.
      const band = this.ledger.quietBand();
      if (band !== null) {
        const forever = this.ledger.quietForever;
        let last = -1;
        let count = 0;
        for (; j < to; j++) {
          const b = recordStart(j);
          const kind = kindAt(heads, b);
          if (kind !== Kind.Trade && kind !== Kind.Quote) continue;
          if (sameMarkPrices(heads, b, kind, seen)) continue;
          if (!pricesInBand(heads, b, kind, band, forever)) break; // exactly, below: its mark may still be in the band
          seenPrices(heads, b, kind, seen);
          last = j;
          count++;
        }
        if (last >= 0) {
          const b = recordStart(last);
          this.markOf(heads, b, kindAt(heads, b));
          this.ledger.holdMarks(mark, 0, heads, b + Half.Ts, count);
        }
        if (j === to) return;
      }
      this.markOne(words, heads, j++);
    }
  }

  /** The mark of record j, if it is a trade or quote whose prices changed: held back by the ledger when it can be, else reported. */
  private markOne(words: BigInt64Array, heads: Int32Array, j: number): void {
    const seen = this.lastMarked;
    const b = recordStart(j);
    const kind = kindAt(heads, b);
    if (kind !== Kind.Trade && kind !== Kind.Quote) return;
    if (sameMarkPrices(heads, b, kind, seen)) return;
    seenPrices(heads, b, kind, seen);
    // Most marks only move equity within the ledger's quiet band: tested on halves, with no BigInt.
    const mark = this.markOf(heads, b, kind);
    if (!this.ledger.markHeld(mark, 0, heads, b + Half.Ts)) this.ledger.markTo(big(mark, 0), tsOf(words, j));
  }

  /** The mark of the trade or quote record at heads[b] (the trade's price, the quote's mid), into markHalves. */
  private markOf(heads: Int32Array, b: number, kind: number): Int32Array {
    const mark = this.markHalves;
    if (kind === Kind.Trade) copy(mark, 0, heads, b + Half.TradePx);
    else sizedQuoteMarkAt(heads, b, this.venue.markHalves, 0, mark, 0);
    return mark;
  }

  // ---- HostCalls: what the module asks for ----

  /** Time of a host call: the module's event time, never earlier than what the host already delivered. */
  private clock(): bigint {
    const t = this.algo.now();
    return t > this.now ? t : this.now;
  }

  place(side: number, price: bigint, qty: bigint, tif: number): bigint {
    this.commanded = true;
    this.recorder.placed();
    // Before ABI 1.2 price 0 meant a market order; now the Market flag does and 0 is a price.
    if (price === 0n && this.algo.abiMinor < 2) tif |= OrderFlag.Market;
    return this.venue.submit(this.clock(), side, price, qty, tif);
  }

  cancel(orderId: bigint): number {
    this.commanded = true;
    return this.venue.cancel(this.clock(), orderId);
  }

  cancelAll(): number {
    this.commanded = true;
    return this.venue.cancelAll(this.clock());
  }

  setTimer(atNs: bigint, timerId: number): void {
    this.commanded = true;
    const now = this.clock();
    this.timers.push(atNs < now ? now : atNs, timerId);
  }

  readAccount(field: number): bigint {
    // Mid-run the records up to the module's own are delivered but not yet marked: mark them,
    // so equity and unrealized PnL are at the price the algo is looking at.
    if (this.running >= 0) {
      this.markUpTo(this.moduleRecord(this.runFrom, this.running - this.runFrom) + 1);
    }
    return this.account.read(field);
  }

  log(level: number, message: string): void {
    this.recorder.log({ ts_ns: this.clock(), level: LOG_LEVELS[level] ?? "info", message });
  }

  // ---- VenueListener: what the venue did ----

  onFill(at: bigint, orderId: bigint, side: SideCode, px: bigint, qty: bigint, fee: bigint, liquidity: Liquidity): void {
    const ts = at < this.openTs ? this.openTs : at; // an order that waited between bars fills at the open
    if (this.ledger.position === 0n) this.ledger.markTo(this.venue.mark); // the mark went stale while flat
    this.lastMarked[0] = 0; // the ledger's mark may have moved: markTicks must not skip the next record
    const value = this.ledger.applyFill(side, px, qty, fee, ts);
    this.account.sync(); // the funds check reads its own copy of cash and position, not the ledger's BigInts
    this.stats.onFill(ts, orderId, side, px, qty, fee, value);
    this.recorder.fill(ts, orderId, side, px, qty, fee, liquidity);
    this.queue.push(this.delayed ? this.delayed.heard(ts) : ts, header(Kind.Fill, side, liquidity), orderId, px, qty, fee);
  }

  position(): bigint {
    return this.ledger.position;
  }

  /** px[pi] and qty[qi] are the venue's i64 halves: copied into the event as they are. */
  onOrder(at: bigint, orderId: number, side: number, status: OrderStatus, reason: RejectReason, px: Int32Array, pi: number, qty: Int32Array, qi: number): void {
    const ts = at < this.openTs ? this.openTs : at;
    this.recorder.order(status, reason, ts);
    this.queue.pushHalves(this.delayed ? this.delayed.heard(ts) : ts, header(Kind.Order, side, status, reason), orderId, px, pi, qty, qi);
  }

  /** The account's funds check; set only when the account has capital (see the constructor). */
  readonly canPay?: VenueListener["canPay"];
}

/**
 * Whether the trade or quote record at heads[b] has the prices of the last
 * one marked (seen: kind at 0, the trade price or the bid at 1, the ask at
 * 3; TradePx is BidPx): its mark is the same, so it is skipped.
 */
function sameMarkPrices(heads: Int32Array, b: number, kind: number, seen: Int32Array): boolean {
  return kind === seen[0] && eq(heads, b + Half.TradePx, seen, 1) && (kind === Kind.Trade || eq(heads, b + Half.AskPx, seen, 3));
}

function seenPrices(heads: Int32Array, b: number, kind: number, seen: Int32Array): void {
  seen[0] = kind;
  copy(seen, 1, heads, b + Half.TradePx);
  copy(seen, 3, heads, b + Half.AskPx);
}

/**
 * Whether the record's mark surely lies in the ledger's quiet band (lo at 0,
 * hi at 2, until at 4, as Ledger.quietBand gives it), from its raw prices: a
 * trade's price in [lo, hi]; a quote with both sides shown and both prices in
 * [lo, hi] (its mark, the mid, lies between them). False is not "outside":
 * such a record is marked exactly (markOne).
 */
function pricesInBand(heads: Int32Array, b: number, kind: number, band: Int32Array, forever: boolean): boolean {
  if (!forever && !lt(heads, b + Half.Ts, band, 4)) return false;
  if (lt(heads, b + Half.TradePx, band, 0) || lt(band, 2, heads, b + Half.TradePx)) return false;
  if (kind === Kind.Trade) return true;
  return positive(heads, b + Half.BidQty) && positive(heads, b + Half.AskQty) && !lt(heads, b + Half.AskPx, band, 0) && !lt(band, 2, heads, b + Half.AskPx);
}

/** Whether records [from, to] leave the market between bars: the last print among them closed a bar (else `before`). */
function closesBar(heads: Int32Array, from: number, to: number, before: boolean): boolean {
  for (let j = to; j >= from; j--) {
    const b = recordStart(j);
    const kind = kindAt(heads, b);
    if (kind === Kind.Trade) return subAt(heads, b) === BAR_CLOSE_PRINT;
    if (kind === Kind.Quote) return false;
  }
  return before;
}

function isPrint(kind: number): boolean {
  return kind === Kind.Trade || kind === Kind.Quote;
}

/** Replays `source` through the module and returns the report. */
export function runBacktest(options: BacktestOptions): Promise<BacktestReport> {
  return new Backtest(options).run();
}
