/**
 * report.html: one self-contained page that opens offline. uPlot's script and
 * stylesheet are inlined (read from node_modules/uplot when the page is
 * written); the run's series are embedded as JSON with exact decimal strings,
 * turned into numbers only to plot. Everything inserted is escaped.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { isoNs } from "../../harness/data/time.ts";
import { formatFixed } from "../../harness/data/decimal.ts";
import type { FillRecord } from "../../harness/recorder.ts";
import type { BacktestResult } from "../../harness/report/report.ts";
import type { RunIdentity } from "../../harness/report/run-hash.ts";
import type { SeriesPoint } from "../../harness/report/run-series.ts";
import { statisticsRows } from "../cli/format-statistics.ts";
import { count, period, px, qty, signedUsd, usd } from "../cli/format.ts";
import { equityRows } from "./csv.ts";

/** Fills marked on the price chart at most (evenly thinned beyond; fills.csv has the whole fill log). */
export const MAX_MARKED_FILLS = 5000;

export interface ReportPage {
  title: string;
  source: string;
  result: BacktestResult;
  run: RunIdentity;
  points: readonly SeriesPoint[];
  fills: readonly FillRecord[];
  warnings: readonly string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON safe inside a <script> element: no "</script>", no line separators JavaScript would choke on. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

let uplot: { js: string; css: string } | undefined;
/** uPlot's script and stylesheet, as every report.html inlines them. */
export function uplotAssets(): { js: string; css: string } {
  if (uplot) return uplot;
  const dist = path.dirname(createRequire(import.meta.url).resolve("uplot/dist/uPlot.iife.min.js"));
  uplot = { js: readFileSync(path.join(dist, "uPlot.iife.min.js"), "utf8"), css: readFileSync(path.join(dist, "uPlot.min.css"), "utf8") };
  return uplot;
}

function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

/** The data the charts draw: decimal strings, exactly as in the CSVs. */
export function chartData(points: readonly SeriesPoint[], fills: readonly FillRecord[]) {
  const equity = equityRows(points);
  const marked = thin(fills, MAX_MARKED_FILLS);
  return {
    equity: { t: equity.map((r) => String(r.ts_ns)), equity: equity.map((r) => r.equity), drawdown: equity.map((r) => r.drawdown) },
    position: {
      t: points.map((p) => String(p.ts_ns)),
      position: points.map((p) => formatFixed(p.position_1e8, 8)),
      price: points.map((p) => (p.price_1e9 === null ? "" : formatFixed(p.price_1e9, 9))),
    },
    fills: {
      t: marked.map((f) => String(f.ts_ns)),
      side: marked.map((f) => f.side),
      price: marked.map((f) => formatFixed(f.price_1e9, 9)),
      qty: marked.map((f) => formatFixed(f.qty_1e8, 8)),
      marked: marked.length,
      total: fills.length,
    },
  };
}

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

function resultRows(r: BacktestResult): Array<[string, string]> {
  const p = r.pnl;
  return [
    ["net PnL", signedUsd(p.net_pnl_1e9)],
    ["realized PnL", signedUsd(p.realized_pnl_1e9)],
    ["unrealized PnL", `${signedUsd(p.unrealized_pnl_1e9)} (marked at ${px(p.mark_1e9)})`],
    ["fees", usd(p.fees_1e9)],
    ["max drawdown", usd(p.max_drawdown_1e9)],
    ...statisticsRows(r.statistics),
    ["final position", p.position_1e8 === 0n ? "flat" : `${qty(p.position_1e8)} @ avg ${px(p.avg_entry_1e9)}`],
    ["fills", `${count(r.fills.count)} (${count(r.fills.maker)} maker, ${count(r.fills.taker)} taker), volume ${qty(p.volume_1e8)}, notional ${usd(p.notional_1e9)}`],
    ["orders", `${count(r.orders.placed)} placed, ${count(r.orders.accepted)} accepted, ${count(r.orders.cancelled)} cancelled, ${Object.values(r.orders.rejected).reduce((a, b) => a + b, 0)} rejected`],
  ];
}

function settingsRows(page: ReportPage): Array<[string, string]> {
  const r = page.result;
  const s = r.statistics.settings;
  return [
    ["data", page.source],
    ["period", period(r.data.first_ts_ns, r.data.last_ts_ns)],
    ["ticks", `${count(r.data.ticks)} (${count(r.data.quotes)} quotes, ${count(r.data.trades)} trades)`],
    ...Object.entries(r.params).map(([k, v]): [string, string] => [`param ${k}`, `${v.value}${v.default ? " (default)" : ""}`]),
    ...Object.entries(r.venue).map(([k, v]): [string, string] => [`venue ${k}`, v]),
    ["return sampling", `${s.sample_interval_ns} ns, ${s.periods_per_year} periods/year, risk-free ${s.risk_free_annual_pct}%`],
    ["capital base", `${s.capital_base} ${usd(s.capital_base_1e9)}`],
    ["module sha256", page.run.module_sha256],
    ["data sha256", page.run.data_sha256],
    ["run hash", page.run.run_sha256],
  ];
}

const SCRIPT = `(function () {
  var d = JSON.parse(document.getElementById("run-data").textContent);
  var secs = function (a) { return a.map(function (s) { return Number(s) / 1e9; }); };
  var nums = function (a) { return a.map(function (s) { return s === "" ? null : Number(s); }); };
  var width = Math.max(480, Math.min(1100, document.documentElement.clientWidth - 48));
  window.charts = {};
  var utc = function (t) { return uPlot.tzDate(new Date(t * 1e3), "Etc/UTC"); }; // the data's times are UTC
  function chart(id, title, data, series) {
    var opts = { title: title, width: width, height: 260, tzDate: utc, scales: { x: { time: true } }, series: [{}].concat(series) };
    window.charts[id] = new uPlot(opts, data, document.getElementById(id));
  }
  chart("equity", "Equity: net PnL (USD)", [secs(d.equity.t), nums(d.equity.equity)], [{ label: "equity", stroke: "#1f77b4", width: 1.5 }]);
  chart("drawdown", "Drawdown from the running peak (USD)", [secs(d.equity.t), nums(d.equity.drawdown)], [{ label: "drawdown", stroke: "#d62728", fill: "rgba(214,39,40,0.15)" }]);
  chart("position", "Position", [secs(d.position.t), nums(d.position.position)], [{ label: "position", stroke: "#2ca02c", paths: uPlot.paths.stepped({ align: 1 }) }]);
  // One x axis for the price and the fills: merge by time, keeping every fill.
  var rows = [];
  d.position.t.forEach(function (t, i) { if (d.position.price[i] !== "") rows.push([Number(t) / 1e9, Number(d.position.price[i]), null, null]); });
  d.fills.t.forEach(function (t, i) {
    var p = Number(d.fills.price[i]);
    rows.push(d.fills.side[i] === "buy" ? [Number(t) / 1e9, null, p, null] : [Number(t) / 1e9, null, null, p]);
  });
  rows.sort(function (a, b) { return a[0] - b[0]; });
  var cols = [0, 1, 2, 3].map(function (c) { return rows.map(function (r) { return r[c]; }); });
  var none = function () { return null; };
  chart("price", "Price and fills (" + d.fills.marked + " of " + d.fills.total + " fills marked)", cols, [
    { label: "price", stroke: "#555", spanGaps: true },
    { label: "buy", stroke: "#2ca02c", paths: none, points: { show: true, size: 7, fill: "#2ca02c" } },
    { label: "sell", stroke: "#d62728", paths: none, points: { show: true, size: 7, fill: "#d62728" } },
  ]);
})();`;

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}th,td{text-align:left;padding:3px 12px 3px 0;vertical-align:top}th{font-weight:600;white-space:nowrap}
code{font-size:12px}.warn{color:#a50}.chart{margin:12px 0}`;

export function renderReportHtml(page: ReportPage): string {
  const { js, css } = uplotAssets();
  const data = chartData(page.points, page.fills);
  const warnings = page.warnings.map((w) => `<p class="warn">warning: ${escapeHtml(w)}</p>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${css}</style><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<p>run <code>${escapeHtml(page.run.run_sha256)}</code> · ${escapeHtml(isoNs(page.result.data.first_ts_ns ?? 0n))} → ${escapeHtml(isoNs(page.result.data.last_ts_ns))}</p>
${warnings}
<div class="chart" id="equity"></div>
<div class="chart" id="drawdown"></div>
<div class="chart" id="position"></div>
<div class="chart" id="price"></div>
<h2>Statistics</h2>
${table(resultRows(page.result))}
<h2>Settings</h2>
${table(settingsRows(page))}
<script type="application/json" id="run-data">${scriptJson(data)}</script>
<script>${js}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
