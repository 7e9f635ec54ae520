/**
 * Messages between an edge's engine (edge-worker.ts, a worker thread) and the
 * emulator (edge-run.ts). Structured clone carries bigints and the compiled
 * WebAssembly.Module as they are.
 */
import type { FillRecord, LogLine } from "../../harness/recorder.ts";
import type { LedgerSnapshot } from "../../harness/ledger.ts";
import type { VenueSettings } from "../../harness/venue/settings.ts";
import type { LatencySummary } from "../../harness/report/latency.ts";

/** What the worker is started with. */
export interface EdgeWorkerInit {
  module: WebAssembly.Module;
  edgeId: string;
  venue: string;
  symbol: string;
  /** The edge's TickRing buffer. */
  ring: SharedArrayBuffer;
  /** One i64: Date.now() when the current batch of callbacks started, 0 while the engine waits (the watchdog reads it). */
  busy: SharedArrayBuffer;
  /** The venue's fees, latency, queue model and rules, as a backtest takes them (edges.ts edgeVenueSettings). */
  settings: VenueSettings;
  params: Record<string, string>;
  /** Log lines / fills forwarded per second at most; the rest are counted as dropped. */
  eventsPerSecond: number;
}

/** The engine's state, as the harness's report has it (no fill log, no logs). */
export interface RunSnapshot {
  ticks: number;
  quotes: number;
  trades: number;
  /** Records the engine could not read in time (it fell more than the ring behind). */
  skipped: number;
  orders: { placed: number; accepted: number; cancelled: number; rejected: Record<string, number>; open: number };
  fills: { count: number; maker: number; taker: number };
  pnl: LedgerSnapshot;
  latency: LatencySummary;
  first_ts_ns: bigint | null;
  last_ts_ns: bigint;
}

/** Log lines and fills cross from the worker as the engine reports them. */
export type WorkerLog = LogLine;
export type WorkerFill = FillRecord;

export interface RestingOrder {
  order_id: bigint;
  side: "buy" | "sell";
  price_1e9: bigint;
  qty_1e8: bigint;
}

export type FromWorker =
  /** The module is instantiated and its engine waits for ticks. */
  | { t: "running" }
  | { t: "snapshot"; s: RunSnapshot }
  | { t: "events"; logs: WorkerLog[]; fills: WorkerFill[]; droppedLogs: number; droppedFills: number }
  /** The run ended after a stop (on_stop ran); what was still resting. */
  | { t: "stopped"; s: RunSnapshot; resting: RestingOrder[] }
  /** The module trapped or the engine failed. */
  | { t: "fault"; reason: string; s: RunSnapshot };

export type ToWorker = { t: "stop" };
