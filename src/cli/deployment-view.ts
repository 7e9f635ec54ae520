/**
 * A deployment as `status` and `metrics` show it: the wire's `Deployment`
 * (whose edges carry realized and unrealized PnL but no fees — wire.md fixes
 * its fields) plus each edge's fees, read from the free-form
 * `GET /v1/deployments/{id}/metrics` answer (`edges[].fees_1e9`, as `algo dev`
 * serves it), and the net PnL they give:
 *
 *   net = realized + unrealized − fees
 *
 * computed here from the figures shown beside it, so the columns always add
 * up. When the API reports no fees for an edge, its fees and net are unknown
 * (never guessed as zero).
 */
import type { Deployment, DeploymentEdge, JsonValue, Sequence } from "../client/index.ts";

export interface EdgeView extends DeploymentEdge {
  /** Fees paid on this edge, USD 1e9; absent when the API does not report them. */
  fees_1e9?: bigint;
  /** realized + unrealized − fees, USD 1e9; absent with the fees. */
  net_pnl_1e9?: bigint;
  /** Why a faulted edge stopped (metrics' `fault_reason`), e.g. "algo trapped: … (at assembly/algo.ts:27:7 in onTrade, …)". */
  fault_reason?: string;
}

export interface Totals {
  realized_pnl_1e9: bigint;
  unrealized_pnl_1e9: bigint;
  /** Absent when some edge's fees are unknown. */
  fees_1e9?: bigint;
  net_pnl_1e9?: bigint;
  fill_count: number;
}

export interface DeploymentView extends Deployment {
  edges: EdgeView[];
  /** Sums over the edges (JSON output; the table's `total` row). */
  totals: Totals;
}

function exactInt(v: JsonValue | undefined): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

/** edge_id → fees_1e9, from a metrics answer shaped `{edges: [{edge_id, fees_1e9}]}`; anything else gives none. */
export function feesByEdge(metrics: JsonValue | undefined): Map<string, bigint> {
  const out = new Map<string, bigint>();
  if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) return out;
  const edges = metrics.edges;
  if (!Array.isArray(edges)) return out;
  for (const e of edges) {
    if (e === null || typeof e !== "object" || Array.isArray(e) || typeof e.edge_id !== "string") continue;
    const fees = exactInt(e.fees_1e9);
    if (fees !== undefined) out.set(e.edge_id, fees);
  }
  return out;
}

/** edge_id → fault_reason, from the same metrics answer (`edges[].fault_reason`). */
export function faultsByEdge(metrics: JsonValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const edges = metrics !== null && typeof metrics === "object" && !Array.isArray(metrics) ? metrics.edges : undefined;
  if (!Array.isArray(edges)) return out;
  for (const e of edges)
    if (e !== null && typeof e === "object" && !Array.isArray(e) && typeof e.edge_id === "string" && typeof e.fault_reason === "string")
      out.set(e.edge_id, e.fault_reason);
  return out;
}

export function sumEdges(edges: readonly EdgeView[]): Totals {
  const sum = (f: (e: EdgeView) => bigint) => edges.reduce((a, e) => a + f(e), 0n);
  const known = edges.every((e) => e.fees_1e9 !== undefined);
  const totals: Totals = {
    realized_pnl_1e9: sum((e) => e.realized_pnl_1e9),
    unrealized_pnl_1e9: sum((e) => e.unrealized_pnl_1e9),
    fill_count: edges.reduce((a, e) => a + e.fill_count, 0),
  };
  if (known) {
    totals.fees_1e9 = sum((e) => e.fees_1e9!);
    totals.net_pnl_1e9 = totals.realized_pnl_1e9 + totals.unrealized_pnl_1e9 - totals.fees_1e9;
  }
  return totals;
}

/** The deployment with fees and net PnL per edge (from `metrics`, when given) and totals. */
export function withFees(d: Deployment, metrics?: JsonValue): DeploymentView {
  const fees = feesByEdge(metrics);
  const faults = faultsByEdge(metrics);
  const edges: EdgeView[] = d.edges.map((e) => {
    const f = fees.get(e.edge_id);
    const view: EdgeView = f === undefined ? { ...e } : { ...e, fees_1e9: f, net_pnl_1e9: e.realized_pnl_1e9 + e.unrealized_pnl_1e9 - f };
    const fault = faults.get(e.edge_id);
    if (fault !== undefined && e.status === "faulted") view.fault_reason = fault;
    return view;
  });
  return { ...d, edges, totals: sumEdges(edges) };
}

/**
 * `GET /v1/deployments/{id}` and `…/metrics` together. The deployment's errors
 * are the command's; a metrics answer that fails or has no fees only leaves the
 * fees unknown.
 */
export async function fetchDeploymentView(seq: Sequence, id: string): Promise<DeploymentView> {
  const [d, metrics] = await Promise.all([seq.algoStatus(id), seq.algoMetrics(id).catch(() => undefined)]);
  return withFees(d, metrics);
}
