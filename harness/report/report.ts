/**
 * What a backtest reports. `result` is deterministic: the same module, data
 * and settings give byte-identical JSON. `timing` (wall-clock speed and
 * callback latency) varies run to run and is kept apart.
 */
import type { FillRecord, LogLine, Recorder } from "../recorder.ts";
import { pnlSummary, type Ledger, type PnlSummary } from "../ledger.ts";
import type { Account, AccountSummary } from "../account.ts";
import type { Params } from "../params.ts";
import type { SimulatedVenue } from "../venue/venue.ts";
import type { LatencyHistogram, LatencySummary } from "./latency.ts";
import type { Statistics, StatsCollector } from "./statistics.ts";

export interface BacktestResult {
  data: { ticks: number; quotes: number; trades: number; bars: number; first_ts_ns: bigint | null; last_ts_ns: bigint };
  params: Record<string, { value: string; default: boolean }>;
  /** The simulated venue's models and settings. */
  venue: Record<string, string>;
  unused_params: string[];
  pnl: PnlSummary;
  /** Returns, risk, round trips: docs/backtesting.md#statistics. */
  statistics: Statistics;
  /** With `--capital`: cash, equity and the return in percent of capital; null without. */
  account: AccountSummary | null;
  orders: { placed: number; accepted: number; cancelled: number; rejected: Record<string, number>; open_at_end: number };
  /** `stale`: taker fills against a quote older than the stale threshold (present when one is set). */
  fills: { count: number; maker: number; taker: number; stale?: number };
  timers_fired: number;
  /** The module's linear memory at the end, bytes. */
  module_memory_bytes: number;
  fill_log: FillRecord[];
  logs: LogLine[];
  logs_dropped: number;
}

export interface BacktestTiming {
  elapsed_ns: number;
  ticks_per_second: number;
  ns_per_tick: number;
  /** Per callback; a batched run of k callbacks counts k samples of its average. */
  callback_latency: LatencySummary;
}

export interface BacktestReport {
  result: BacktestResult;
  /** Where the data came from (a file's path, say): not part of the deterministic result or the run hash. */
  source: { description: string };
  timing: BacktestTiming;
}

/** What a report is read from: the run's recorder, and the engine's parts it describes. */
export interface ReportSources {
  recorder: Recorder;
  ledger: Pick<Ledger, "snapshot">;
  stats: Pick<StatsCollector, "summary">;
  account: Pick<Account, "summary">;
  params: Pick<Params, "summary" | "unused">;
  venue: Pick<SimulatedVenue, "describe" | "openOrderCount" | "tracksStale" | "staleFills">;
  latency: Pick<LatencyHistogram, "summary">;
  /** The module's linear memory now, bytes. */
  memoryBytes: number;
}

export function buildReport(from: ReportSources, run: { elapsedNs: number; description: string }): BacktestReport {
  const rec = from.recorder;
  const c = rec.counters;
  const ticks = c.ticks;
  return {
    result: {
      data: { ticks, quotes: c.quotes, trades: c.trades, bars: c.bars, first_ts_ns: rec.firstTs, last_ts_ns: rec.lastTs },
      params: from.params.summary(),
      venue: from.venue.describe(),
      unused_params: from.params.unused(),
      pnl: pnlSummary(from.ledger.snapshot()),
      statistics: from.stats.summary(from.ledger.snapshot().net_pnl_1e9, rec.firstTs, rec.lastTs),
      account: from.account.summary(),
      orders: {
        placed: c.ordersPlaced,
        accepted: c.ordersAccepted,
        cancelled: c.ordersCancelled,
        rejected: Object.fromEntries(Object.entries(c.rejects).sort(([a], [b]) => a.localeCompare(b))),
        open_at_end: from.venue.openOrderCount,
      },
      fills: { count: c.makerFills + c.takerFills, maker: c.makerFills, taker: c.takerFills, ...(from.venue.tracksStale ? { stale: from.venue.staleFills } : {}) },
      timers_fired: c.timersFired,
      module_memory_bytes: from.memoryBytes,
      fill_log: rec.fills,
      logs: rec.logs,
      logs_dropped: rec.logsDropped,
    },
    source: { description: run.description },
    timing: {
      elapsed_ns: run.elapsedNs,
      ticks_per_second: run.elapsedNs > 0 ? Math.round((ticks * 1e9) / run.elapsedNs) : 0,
      ns_per_tick: ticks > 0 ? Math.round((run.elapsedNs / ticks) * 10) / 10 : 0,
      callback_latency: from.latency.summary(),
    },
  };
}
