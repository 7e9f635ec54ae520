/**
 * What a saved run is made of, from a finished backtest: the JSON report (as
 * `algo backtest --json` prints it), the text report without its timing, the
 * warnings about callbacks that never ran, and the run's identity. `algo
 * backtest` and every run of `algo sweep` save the same things the same way.
 */
import type { BacktestReport } from "../../harness/report/report.ts";
import { runIdentity, type RunIdentity } from "../../harness/report/run-hash.ts";
import type { SeriesPoint } from "../../harness/report/run-series.ts";
import { formatReport } from "../cli/format.ts";
import type { SavedRun } from "./run-folder.ts";

/**
 * Callbacks the algo implements whose events never came: a market maker that
 * listens to quotes, replayed on trades only, did nothing and would otherwise
 * print an empty success.
 */
export function replayWarnings(callbacks: readonly string[], data: { quotes: number; trades: number; bars?: number }): string[] {
  const out: string[] = [];
  if (callbacks.includes("on_quote") && data.quotes === 0)
    out.push("the algo listens to quotes (onQuote) but the data has none: onQuote never ran; use quote data (bid/ask columns) or synthetic:<seed>:<count>");
  if (callbacks.includes("on_trade") && data.trades === 0)
    out.push("the algo listens to trades (onTrade) but the data has none: onTrade never ran; use trade data (price/qty columns)");
  if (callbacks.includes("on_bar") && data.bars === 0)
    out.push("the algo listens to bars (onBar) but the data has none: onBar never ran; use OHLCV bars (date,open,high,low,close,volume) or sp500");
  return out;
}

/** The text report without its last block (speed, callback latency): what is saved is the same for the same run. */
export function withoutTiming(text: string): string {
  const end = text.lastIndexOf("\n\n  speed ");
  return end < 0 ? text : text.slice(0, end);
}

/** The JSON report that is saved: the result without its fill log (fills.csv has it), the run, the source, the warnings. */
export function savedJson(report: BacktestReport, run: RunIdentity, warnings: readonly string[]) {
  return { result: { ...report.result, fill_log: undefined }, run, source: report.source, warnings };
}

export interface RunToSave {
  report: BacktestReport;
  moduleBytes: Uint8Array;
  /** The data's SHA-256 (src/cli/data-hash.ts). */
  dataSha256: string;
  /** The callbacks the module implements (module-check.ts). */
  callbacks: readonly string[];
  title: string;
  points: readonly SeriesPoint[];
}

/** Everything RunFolder writes for a finished run. */
export function savedRunOf(r: RunToSave): SavedRun {
  const warnings = replayWarnings(r.callbacks, r.report.result.data);
  const run = runIdentity(r.moduleBytes, r.dataSha256, r.report.result);
  const text = formatReport(r.report, r.title, run);
  return { json: savedJson(r.report, run, warnings), text: withoutTiming(text), title: r.title, report: r.report, run, warnings, points: r.points };
}
