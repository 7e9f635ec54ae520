/** A deployment as the verbs print it: its summary lines and the per-edge table in human units. */
import { Qty, type Deployment } from "../client/index.ts";
import { count, printable, signedUsd, usd } from "./format.ts";
import { renderTable, type Column } from "./table.ts";
import { nsDuration } from "./wire-fields.ts";
import { sumEdges, type DeploymentView, type EdgeView } from "./deployment-view.ts";

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
