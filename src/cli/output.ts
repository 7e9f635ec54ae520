/**
 * Output shared by the deployment verbs: exact JSON, warnings, human units for
 * wire fields, the per-edge table, log lines, and the text of a `SequenceError`.
 *
 * Results go to stdout; notes, warnings and errors go to stderr, so
 * `--json` output can be piped as is.
 */
import { Qty, Px, stringifyJson, type Deployment, type JsonValue, type SequenceError } from "../client/index.ts";
import { activeConnection } from "./config.ts";
import { count, duration, printable, signedUsd, usd } from "./format.ts";
import { renderTable, type Column } from "./table.ts";
import { isoNs } from "../../harness/data/time.ts";
import { sumEdges, type DeploymentView, type EdgeView } from "./deployment-view.ts";

/** Exit codes, for every API verb's `--help`. */
export const EXIT_HELP =
  "Exit codes: 0 ok, 1 API error (or a module refused locally), 2 usage (bad flag, missing API key), 3 network";

/** The `--help` footer: examples, then the exit codes. */
export function helpFooter(...examples: string[]): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n\n${EXIT_HELP}`;
}

/** One JSON document on stdout; big integers stay exact. */
export function printJson(value: unknown): void {
  process.stdout.write(stringifyJson(value) + "\n");
}

/** `warning: …` on stderr. */
export function warn(message: string): void {
  console.error(`warning: ${message}`);
}

/** A progress note on stderr. */
export function note(message: string): void {
  console.error(message);
}

function asBig(v: JsonValue | undefined): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

/** Nanoseconds as a duration (`850 ns`, `12.3 µs`). */
export function nsDuration(ns: bigint): string {
  return ns > 1_000_000_000_000n ? `${ns / 1_000_000_000n} s` : duration(Number(ns));
}

/** `realized_pnl_1e9` → `REALIZED PNL`. */
export function headerFor(key: string): string {
  return key.replace(/_(1e8|1e9|ns|bps)$/, "").replace(/_/g, " ").toUpperCase();
}

/**
 * A wire field in human units, by its name: `*_1e8` quantities, `*_1e9` USD
 * amounts (`pnl`, `usd`, `fee`, `notional`) or prices, `*_ns` timestamps or
 * durations. Exact: fixed point is formatted from the integer, never a float.
 */
export function formatField(key: string, value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "-";
  const big = asBig(value);
  if (big !== undefined && key.endsWith("_1e8")) return Qty.format(big);
  if (big !== undefined && key.endsWith("_1e9")) {
    if (/pnl/.test(key)) return signedUsd(big);
    if (/usd|fee|notional|equity|balance/.test(key)) return usd(big);
    return Px.format(big);
  }
  if (big !== undefined && key.endsWith("_ns")) {
    return /(^|_)(ts|at|time|timestamp|since|until|started|stopped|created|updated)(_|$)/.test(key) ? isoNs(big) : nsDuration(big);
  }
  if (typeof value === "number") return Number.isInteger(value) ? count(value) : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    return value.every((x) => typeof x === "string" || typeof x === "number") ? value.join(",") : `${value.length}`;
  }
  return stringifyJson(value);
}

/**
 * A table of free-form objects: the `preferred` keys present in any row, in
 * that order, then (when `others` is true) the remaining scalar keys.
 */
export function objectTable(rows: readonly Record<string, JsonValue>[], preferred: readonly string[], others = true): string {
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  const keys = preferred.filter((k) => present.has(k));
  if (others) {
    for (const k of present) {
      if (keys.includes(k)) continue;
      if (rows.every((r) => r[k] === undefined || r[k] === null || typeof r[k] !== "object")) keys.push(k);
    }
  }
  const numeric = (k: string) => rows.some((r) => typeof r[k] === "number" || typeof r[k] === "bigint");
  const columns: Column[] = keys.map((k) => ({ header: headerFor(k), align: numeric(k) ? "right" : "left" }));
  return renderTable(columns, rows.map((r) => keys.map((k) => formatField(k, r[k]))));
}

/** `key  value` lines for an object (nested values as JSON). */
export function describeObject(obj: Record<string, JsonValue>, indent = "  "): string {
  const keys = Object.keys(obj);
  const w = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${indent}${k.padEnd(w)}  ${formatField(k, obj[k])}`).join("\n");
}

const EDGE_COLUMNS: Column[] = [
  { header: "EDGE" },
  { header: "VENUE" },
  { header: "STATUS" },
  { header: "POSITION", align: "right" },
  { header: "REALIZED PNL", align: "right" },
  { header: "UNREALIZED PNL", align: "right" },
  { header: "FEES", align: "right" },
  { header: "NET PNL", align: "right" },
  { header: "FILLS", align: "right" },
  { header: "CB LATENCY", align: "right" },
];
/** Shown only by the verbs that read the fees (`status`, `metrics`). */
const FEE_COLUMNS = new Set(["FEES", "NET PNL"]);

/**
 * The per-edge table in human units. With more than one edge a `total` row
 * sums PnL, fees and fills (and positions, when the deployment trades one
 * symbol). The FEES and NET PNL columns (net = realized + unrealized − fees)
 * appear when `withFees` (`status`, `metrics`: they asked for the fees); an
 * edge whose fees the API did not report shows `?` there, and so does the total.
 */
export function edgeTable(edges: readonly EdgeView[], symbols: readonly string[] = [], withFees = edges.some((e) => e.fees_1e9 !== undefined)): string {
  const money = (v: bigint | undefined, f: (v: bigint) => string) => (v === undefined ? "?" : f(v));
  const rows = edges.map((e) => [
    e.edge_id,
    e.venue,
    e.status,
    Qty.format(e.position_1e8),
    signedUsd(e.realized_pnl_1e9),
    signedUsd(e.unrealized_pnl_1e9),
    money(e.fees_1e9, usd),
    money(e.net_pnl_1e9, signedUsd),
    count(e.fill_count),
    nsDuration(e.callback_latency_ns),
  ]);
  if (edges.length > 1) {
    const t = sumEdges(edges);
    rows.push([
      "total",
      "",
      "",
      symbols.length === 1 ? Qty.format(edges.reduce((a, e) => a + e.position_1e8, 0n)) : "-",
      signedUsd(t.realized_pnl_1e9),
      signedUsd(t.unrealized_pnl_1e9),
      money(t.fees_1e9, usd),
      money(t.net_pnl_1e9, signedUsd),
      count(t.fill_count),
      "",
    ]);
  }
  const keep = (_: unknown, i: number) => withFees || !FEE_COLUMNS.has(EDGE_COLUMNS[i]!.header);
  const table = renderTable(EDGE_COLUMNS.filter(keep), rows.map((r) => r.filter(keep)));
  const unknown = withFees && edges.some((e) => e.fees_1e9 === undefined);
  return unknown ? `${table}\n  ? = the API did not report this edge's fees` : table;
}

/** A deployment's summary lines and its per-edge table. */
export function formatDeployment(d: Deployment | DeploymentView, title = "deployment"): string {
  const lines = [`${title} ${d.deployment_id}${d.name ? ` "${printable(d.name)}"` : ""}`];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(8)} ${value}`);
  row("symbols", d.symbols.join(", ") || "-");
  row("status", d.status);
  row("module", `${count(d.size_bytes)} bytes`);
  row("edges", `pushed to ${d.pushed_to} of ${d.capable_edges} capable edge${d.capable_edges === 1 ? "" : "s"}`);
  if (d.params && Object.keys(d.params).length) row("params", Object.entries(d.params).map(([k, v]) => `${k}=${v}`).join(", "));
  lines.push("");
  lines.push(d.edges.length ? edgeTable(d.edges, d.symbols, "totals" in d) : "  (no edge hosts it yet)");
  for (const e of d.edges as EdgeView[]) if (e.fault_reason) lines.push(`${e.edge_id} faulted: ${e.fault_reason}`);
  return lines.join("\n");
}

/** One log line: `2024-01-16T11:20:00.000000001Z  edge-fra-1  INFO   message`. */
export function formatLogLine(line: { ts_ns?: bigint; edge_id?: string; level?: string; message: string }): string {
  const ts = line.ts_ns === undefined ? "-" : isoNs(line.ts_ns);
  return `${ts}  ${line.edge_id ?? "-"}  ${(line.level ?? "info").toUpperCase().padEnd(5)}  ${line.message}`;
}

const str = (v: JsonValue | undefined) => (typeof v === "string" ? v : undefined);

/** `2024-01-16T12:00:00.000000001Z  edge-1  KIND   text`, like a log line. */
function eventLine(ts: bigint | undefined, where: string, kind: string, text: string): string {
  return `${ts === undefined ? "-" : isoNs(ts)}  ${where}  ${kind.padEnd(5)}  ${text}`;
}

/**
 * A fill in human units: `buy 1.5 ETH-USD @ 2978.76  fee $0.45  maker  order 17`
 * (price and quantity exact, the fee to the cent; a negative fee is a rebate).
 */
function fillText(data: Record<string, JsonValue>): string | undefined {
  const px = asBig(data.price_1e9);
  const qty = asBig(data.qty_1e8);
  const side = str(data.side);
  if (px === undefined || qty === undefined || side === undefined) return undefined;
  const fee = asBig(data.fee_1e9);
  const parts = [`${side} ${Qty.format(qty)}${str(data.symbol) ? ` ${str(data.symbol)}` : ""} @ ${Px.format(px)}`];
  if (fee !== undefined) parts.push(fee < 0n ? `rebate ${usd(-fee)}` : `fee ${usd(fee)}`);
  if (str(data.liquidity)) parts.push(str(data.liquidity)!);
  const order = asBig(data.order_id);
  if (order !== undefined) parts.push(`order ${order}`);
  return parts.join("  ");
}

/**
 * An event from a `traces:{id}` channel, in human units: a log line
 * (`message`), a fill (`type: "fill"`), a status change (`type: "status"`,
 * with the fault reason), a trace event (`event_type`), or anything else as JSON.
 */
export function formatTrace(data: JsonValue): string {
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    const ts = asBig(data.ts_ns) ?? asBig(data.timestamp_ns);
    const where = str(data.edge_id) ?? str(data.venue) ?? "-";
    if (typeof data.message === "string") {
      return formatLogLine({ ts_ns: ts, edge_id: str(data.edge_id), level: str(data.level), message: data.message });
    }
    if (data.type === "fill") {
      const text = fillText(data);
      if (text !== undefined) return eventLine(ts, where, "FILL", text);
    }
    if (data.type === "status" && typeof data.status === "string") {
      const reason = str(data.reason);
      return eventLine(ts, where, "STATUS", `${data.status}${reason ? `: ${reason}` : ""}`);
    }
    if (typeof data.event_type === "string") {
      const detail = str(data.detail);
      return eventLine(ts, where, "TRACE", `${data.event_type}${detail ? `: ${detail}` : ""}`);
    }
  }
  return stringifyJson(data);
}

/**
 * The text printed for a `SequenceError`: its message (which names the
 * operation, request and the server's code and message), the API URL in use and
 * where it came from, and a hint for the common cases. Never the key.
 */
export function describeSequenceError(e: SequenceError): string {
  const conn = activeConnection();
  const lines = [`error: ${e.message}`];
  if (conn !== undefined) {
    lines.push(`  API: ${conn.baseUrl} (from ${conn.baseUrlSource})`);
    if (e.kind === "network") {
      lines.push("  is the API reachable? For the local emulator run `algo dev` and use --base-url http://localhost:50052");
    } else if (e.kind === "api" && (e.status === 401 || e.status === 403)) {
      lines.push(`  the API refused the key from ${conn.keySource}; check it (seq_live_… or seq_test_…)`);
    }
  }
  const text = lines.join("\n");
  return conn === undefined ? text : conn.redact(text);
}
