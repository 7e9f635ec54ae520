/**
 * One deployment on one edge: a worker thread that runs the harness's
 * `Backtest` — the same engine, venue and ledger as `algo backtest` — over the
 * edge's live TickRing (ring-source.ts), with the venue's settings as a
 * backtest takes them (harness/venue/settings.ts).
 * It posts log lines and fills as they happen, a snapshot of its state every
 * SNAPSHOT_MS, and how the run ended (protocol.ts). The emulator's watchdog
 * terminates the thread if a batch of callbacks outruns the time budget.
 *
 * Bundled to dist/edge-worker.mjs (scripts/bundle.mjs).
 */
import { parentPort, workerData } from "node:worker_threads";
import { Backtest } from "../../harness/engine.ts";
import { AlgoTrap } from "../../harness/host.ts";
import { AlgoLoop } from "../../harness/algo-loop.ts";
import { Params, paramsOfModule } from "../../harness/params.ts";
import type { FillRecord, LogLine } from "../../harness/recorder.ts";
import { venueModels } from "../../harness/venue/settings.ts";
import type { EdgeWorkerInit, FromWorker, RunSnapshot, ToWorker, WorkerFill, WorkerLog } from "./protocol.ts";
import { TickRing } from "./ring.ts";
import { RingSource } from "./ring-source.ts";

const SNAPSHOT_MS = 200;
const FLUSH_AT = 256;
const MAX_MESSAGE_CHARS = 2000;
/** Ticks per watched batch: an algo slower than budget/1024 per callback is too slow for an edge anyway. */
const MAX_BATCH = 1024;

const port = parentPort;
if (!port) throw new Error("edge-worker runs as a worker thread");
const init = workerData as EdgeWorkerInit;
const post = (m: FromWorker) => port.postMessage(m);

const busy = new BigInt64Array(init.busy);
const setBusy = () => Atomics.store(busy, 0, BigInt(Date.now()));
const setIdle = () => Atomics.store(busy, 0, 0n);

/** Log lines and fills, forwarded in small messages, at most `perSecond` of each per second. */
class Outbox {
  private logs: WorkerLog[] = [];
  private fills: WorkerFill[] = [];
  private droppedLogs = 0;
  private droppedFills = 0;
  private windowStart = Date.now();
  private logsInWindow = 0;
  private fillsInWindow = 0;

  constructor(private readonly perSecond: number) {}

  private roll(): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.logsInWindow = 0;
      this.fillsInWindow = 0;
    }
  }

  log(l: LogLine): void {
    this.roll();
    if (++this.logsInWindow > this.perSecond) {
      this.droppedLogs++;
      return;
    }
    const message = l.message.length > MAX_MESSAGE_CHARS ? `${l.message.slice(0, MAX_MESSAGE_CHARS)}… (${l.message.length} chars)` : l.message;
    this.logs.push({ ts_ns: l.ts_ns, level: l.level, message });
    if (this.logs.length >= FLUSH_AT) this.flush();
  }

  fill(f: FillRecord): void {
    this.roll();
    if (++this.fillsInWindow > this.perSecond) {
      this.droppedFills++;
      return;
    }
    this.fills.push({ ...f });
    if (this.fills.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.logs.length === 0 && this.fills.length === 0 && this.droppedLogs === 0 && this.droppedFills === 0) return;
    post({ t: "events", logs: this.logs, fills: this.fills, droppedLogs: this.droppedLogs, droppedFills: this.droppedFills });
    this.logs = [];
    this.fills = [];
    this.droppedLogs = 0;
    this.droppedFills = 0;
  }
}

function describe(e: unknown): string {
  if (e instanceof AlgoTrap || e instanceof AlgoLoop) return e.message;
  if (e instanceof WebAssembly.RuntimeError) return `wasm trap: ${e.message}`;
  if (e instanceof Error) return `${e.name === "Error" ? "" : `${e.name}: `}${e.message}`;
  return String(e);
}

const controller = new AbortController();
port.on("message", (m: ToWorker) => {
  if (m.t === "stop") controller.abort();
});

const outbox = new Outbox(init.eventsPerSecond);
let engine: Backtest | undefined;
const source = new RingSource(new TickRing(init.ring), `live ${init.symbol} on ${init.edgeId}`, {
  signal: controller.signal,
  maxBatch: MAX_BATCH,
  onStart: () => post({ t: "running" }),
  onBusy: setBusy,
  onIdle: setIdle,
});

function snapshot(): RunSnapshot {
  const { result, timing } = engine!.snapshot();
  return {
    ticks: result.data.ticks,
    quotes: result.data.quotes,
    trades: result.data.trades,
    skipped: source.skipped,
    orders: { placed: result.orders.placed, accepted: result.orders.accepted, cancelled: result.orders.cancelled, rejected: result.orders.rejected, open: result.orders.open_at_end },
    fills: result.fills,
    pnl: engine!.ledger.snapshot(), // with the cost basis the totals carry across runs
    latency: timing.callback_latency,
    first_ts_ns: result.data.first_ts_ns,
    last_ts_ns: result.data.last_ts_ns,
  };
}

engine = new Backtest({
  module: init.module,
  source,
  // The module's own sequence.params section, overridden by the deployment's (a strategy manifest's).
  params: new Params({ ...paramsOfModule(init.module), ...init.params }),
  ...venueModels(init.settings),
  // Log lines and fills are forwarded as they happen; the engine keeps none of them.
  maxLogLines: 0,
  maxFillLog: 0,
  onLog: (l) => outbox.log(l),
  onFill: (f) => outbox.fill(f),
  signal: controller.signal,
});

const timer = setInterval(() => {
  outbox.flush();
  post({ t: "snapshot", s: snapshot() });
}, SNAPSHOT_MS);

setBusy(); // instantiation runs the module's start code
try {
  await engine.run();
  setIdle();
  outbox.flush();
  post({ t: "stopped", s: snapshot(), resting: engine.venue.openOrders() });
} catch (e) {
  setIdle();
  outbox.flush();
  post({ t: "fault", reason: describe(e), s: snapshot() });
} finally {
  clearInterval(timer);
  port.close();
}
