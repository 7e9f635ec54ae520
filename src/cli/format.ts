/** Human units for terminal output. Exact: fixed-point values are formatted as decimal text, never via floats. */
import { formatFixed } from "../../harness/data/decimal.ts";
import { divRound } from "../../harness/fixed.ts";
import { isoNs } from "../../harness/data/time.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import { statisticsRows } from "./format-statistics.ts";
import type { RunIdentity } from "../../harness/report/run-hash.ts";

/** USD 1e9 → "$1,234.56", rounded half-even to the cent (`--json` keeps every digit). */
export function usd(v: bigint): string {
  const cents = divRound(v < 0n ? -v : v, 10_000_000n, "half-even");
  const text = formatFixed(cents, 2, 2);
  const [whole, frac] = text.split(".");
  return (v < 0n ? "-$" : "$") + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + frac;
}

export function signedUsd(v: bigint): string {
  return v > 0n ? "+" + usd(v) : usd(v);
}

export function qty(v: bigint): string {
  return formatFixed(v, 8);
}

export function px(v: bigint): string {
  return formatFixed(v, 9, 2);
}

/**
 * Text from a server shown in the terminal: control characters (C0, DEL and
 * C1, e.g. U+009B, which terminals read as an escape) are shown as \u{..}
 * instead of being sent raw. Names are refused with them today; this covers
 * what an older emulator or another server stored.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A run's first → last tick, to the millisecond ("-" for none). */
export function period(first: bigint | null, last: bigint | null): string {
  const at = (ts: bigint | null) => (ts === null ? "-" : isoNs(ts, "ms"));
  return `${at(first)} → ${at(last)}`;
}

export function duration(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(1)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

/** "250000 ns" for entry latency alone (as before ABI 1.2), else all three and the seed. */
function latencyText(v: Record<string, string>): string {
  if (v.feed_latency === undefined) return `${v.order_entry_ns ?? "?"} ns`;
  if (v.feed_latency === "0" && v.response_latency === "0" && v.latency === "constant") return `${v.entry_latency} ns`;
  const seed = v.latency_seed === undefined ? "" : `, seed ${v.latency_seed}`;
  return `feed ${v.feed_latency} / entry ${v.entry_latency} / response ${v.response_latency} ns${seed}`;
}

export function formatReport(report: BacktestReport, title: string, run?: RunIdentity): string {
  const r = report.result;
  const t = report.timing;
  const p = r.pnl;
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(22)} ${value}`);
  lines.push(title, "");
  row("data", report.source.description);
  row("period", period(r.data.first_ts_ns, r.data.last_ts_ns));
  row("ticks replayed", `${count(r.data.ticks)} (${count(r.data.quotes)} quotes, ${count(r.data.trades)} trades${r.data.bars ? `, ${count(r.data.bars)} bars` : ""})`);
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v.value}${v.default ? "" : " (set)"}`);
  row("params", params.length ? params.join(", ") : "none");
  const v = r.venue;
  const rules = ["market_remainder", "tick_1e9", "lot_1e8", "min_notional_1e9", "instrument_from", "stale_ns", "refuse_stale"].filter((k) => v[k] !== undefined).map((k) => `${k} ${v[k]}`);
  row("venue", `fees maker ${v.maker_bps ?? "?"} bps / taker ${v.taker_bps ?? "?"} bps, latency ${latencyText(v)}, queue ${v.queue}${rules.length ? ", " + rules.join(", ") : ""}`);
  if (r.unused_params.length) row("unused params", `${r.unused_params.join(", ")}  ← not read by the algo: a typo?`);
  lines.push("");
  row("realized PnL", signedUsd(p.realized_pnl_1e9));
  row("unrealized PnL", `${signedUsd(p.unrealized_pnl_1e9)} (marked at ${px(p.mark_1e9)})`);
  row("fees", usd(p.fees_1e9));
  row("net PnL", signedUsd(p.net_pnl_1e9));
  row("max drawdown", usd(p.max_drawdown_1e9));
  const a = r.account;
  if (a) row("return", `${a.return_pct_1e6 > 0n ? "+" : ""}${formatFixed(divRound(a.return_pct_1e6, 10_000n, "half-even"), 2, 2)} % of ${usd(a.capital_1e9)} (equity ${usd(a.equity_1e9)}, cash ${usd(a.cash_1e9)})`);
  for (const [label, value] of statisticsRows(r.statistics)) row(label, value);
  row("final position", p.position_1e8 === 0n ? "flat" : `${qty(p.position_1e8)} @ avg ${px(p.avg_entry_1e9)}`);
  const stale = r.fills.stale === undefined ? "" : `, ${count(r.fills.stale)} against a stale book`;
  row("fills", `${count(r.fills.count)} (${count(r.fills.maker)} maker, ${count(r.fills.taker)} taker${stale}), volume ${qty(p.volume_1e8)}, notional ${usd(p.notional_1e9)}`);
  const rejected = Object.entries(r.orders.rejected).map(([k, v]) => `${v} ${k}`);
  row("orders", `${count(r.orders.placed)} placed, ${count(r.orders.accepted)} accepted, ${count(r.orders.cancelled)} cancelled, ${rejected.length ? rejected.join(", ") + " rejected" : "0 rejected"}, ${r.orders.open_at_end} open at end`);
  if (r.logs.length) {
    row("log lines", `${r.logs.length}${r.logs_dropped ? ` (+${r.logs_dropped} dropped)` : ""}; last: ${r.logs[r.logs.length - 1].message}`);
  }
  if (run) row("run hash", `${run.run_sha256} (same module, data and settings: same hash)`);
  lines.push("");
  row("speed", `${count(t.ticks_per_second)} ticks/s (${t.ns_per_tick} ns/tick, ${duration(t.elapsed_ns)} in all, reading the data included)`);
  const l = t.callback_latency;
  row("callback latency", `p50 ${duration(l.p50_ns)}, p99 ${duration(l.p99_ns)}, max ${duration(l.max_ns)} over ${count(l.count)} callbacks`);
  return lines.join("\n");
}
