/**
 * The JSON the API answers with. `Deployment` and `DeploymentEdge` carry
 * exactly the reference's fields (wire.md, "Level 4 endpoints"); everything
 * else the emulator knows goes into the free-form answers — metrics, mesh,
 * algos, stats. Big integers are bigints here and exact integers on the wire.
 */
import type { Deployment } from "./deployments.ts";
import type { EdgeRun } from "./edge-run.ts";
import type { EdgeMap } from "./edges.ts";
import type { EdgeFigures } from "./totals.ts";

/** The wire shapes, shared with the client: the emulator answers exactly what the client reads. */
export type { Deployment as DeploymentJson, DeploymentEdge as DeploymentEdgeJson } from "../client/types.ts";
import type { Deployment as DeploymentJson, DeploymentEdge as DeploymentEdgeJson } from "../client/types.ts";

/** The status of a set of edges: running if any runs; faulted if all faulted; stopped; deployed (never started). */
export function aggregateStatus(runs: readonly EdgeRun[], undeployed: boolean): string {
  if (undeployed) return "undeployed";
  const s = runs.map((r) => r.status);
  if (s.includes("running")) return "running";
  if (s.length > 0 && s.every((x) => x === "faulted")) return "faulted";
  if (s.includes("stopped") || s.includes("faulted")) return "stopped";
  return "deployed";
}

export function edgeJson(run: EdgeRun, f: EdgeFigures = run.figures()): DeploymentEdgeJson {
  return {
    edge_id: run.edgeId,
    venue: run.spec.venue,
    status: run.status,
    position_1e8: f.position_1e8,
    realized_pnl_1e9: f.realized_pnl_1e9,
    unrealized_pnl_1e9: f.unrealized_pnl_1e9,
    fill_count: f.fill_count,
    callback_latency_ns: BigInt(Math.round(f.callback_latency_p99_ns)),
  };
}

export function deploymentJson(d: Deployment): DeploymentJson {
  return {
    deployment_id: d.id,
    name: d.row.name,
    symbols: d.row.symbols,
    size_bytes: d.row.sizeBytes,
    status: d.status(),
    pushed_to: d.edges.length,
    capable_edges: d.row.capableEdges,
    edges: d.edges.map((r) => edgeJson(r)),
    params: d.params(),
  };
}

interface Sums {
  position_1e8: bigint;
  realized_pnl_1e9: bigint;
  unrealized_pnl_1e9: bigint;
  fees_1e9: bigint;
  net_pnl_1e9: bigint;
  volume_1e8: bigint;
  fill_count: number;
  ticks: number;
}

function sum(figs: EdgeFigures[]): Sums {
  const s: Sums = { position_1e8: 0n, realized_pnl_1e9: 0n, unrealized_pnl_1e9: 0n, fees_1e9: 0n, net_pnl_1e9: 0n, volume_1e8: 0n, fill_count: 0, ticks: 0 };
  for (const f of figs) {
    s.position_1e8 += f.position_1e8;
    s.realized_pnl_1e9 += f.realized_pnl_1e9;
    s.unrealized_pnl_1e9 += f.unrealized_pnl_1e9;
    s.fees_1e9 += f.fees_1e9;
    s.net_pnl_1e9 += f.net_pnl_1e9;
    s.volume_1e8 += f.volume_1e8;
    s.fill_count += f.fill_count;
    s.ticks += f.ticks;
  }
  return s;
}

/** Everything the emulator knows about one edge run. */
function edgeMetrics(run: EdgeRun): Record<string, unknown> {
  const f = run.figures();
  const live = run.live;
  return {
    edge_id: run.edgeId,
    venue: run.spec.venue,
    symbol: run.spec.symbol,
    status: run.status,
    fault_reason: run.faultReason,
    runs: run.base.runs + (run.active ? 1 : 0),
    uptime_ms: run.active && run.startedAt !== undefined ? Date.now() - run.startedAt : 0,
    ticks: f.ticks,
    skipped_ticks: f.skipped_ticks,
    orders: { placed: f.orders_placed, accepted: f.orders_accepted, cancelled: f.orders_cancelled, rejected: f.orders_rejected, open: f.open_orders },
    rejected_by_reason: live?.orders.rejected ?? {},
    resting_orders: run.resting,
    fills: { count: f.fill_count, maker: f.maker_fills, taker: f.taker_fills },
    position_1e8: f.position_1e8,
    mark_1e9: f.mark_1e9,
    realized_pnl_1e9: f.realized_pnl_1e9,
    unrealized_pnl_1e9: f.unrealized_pnl_1e9,
    fees_1e9: f.fees_1e9,
    net_pnl_1e9: f.net_pnl_1e9,
    volume_1e8: f.volume_1e8,
    max_drawdown_1e9: live?.pnl.max_drawdown_1e9 ?? 0n,
    callback_latency: live
      ? { count: live.latency.count, p50_ns: BigInt(live.latency.p50_ns), p99_ns: BigInt(live.latency.p99_ns), max_ns: BigInt(live.latency.max_ns) }
      : { count: 0, p50_ns: 0n, p99_ns: BigInt(Math.round(f.callback_latency_p99_ns)), max_ns: 0n },
    replay: { edge_clock_ns: run.feed.clock, engine_ts_ns: live?.last_ts_ns ?? 0n, engine_lag_ns: live && live.last_ts_ns > 0n ? run.feed.clock - live.last_ts_ns : 0n },
  };
}

export function metricsJson(d: Deployment): Record<string, unknown> {
  const bySymbol: Record<string, Sums> = {};
  for (const s of d.row.symbols) bySymbol[s] = sum(d.edgesOf(s).map((r) => r.figures()));
  const all = sum(d.edges.map((r) => r.figures()));
  return {
    deployment_id: d.id,
    name: d.row.name,
    status: d.status(),
    edges: d.edges.map(edgeMetrics),
    by_symbol: bySymbol,
    totals: {
      realized_pnl_1e9: all.realized_pnl_1e9,
      unrealized_pnl_1e9: all.unrealized_pnl_1e9,
      fees_1e9: all.fees_1e9,
      net_pnl_1e9: all.net_pnl_1e9,
      fill_count: all.fill_count,
      ticks: all.ticks,
    },
  };
}

export function meshJson(d: Deployment, edges: EdgeMap): Record<string, unknown> {
  const venues: Record<string, unknown[]> = {};
  for (const run of d.edges) {
    (venues[run.spec.venue] ??= []).push({ edge_id: run.edgeId, symbol: run.spec.symbol, status: run.status, region: "local" });
  }
  const hosted = new Set(d.edges.map((r) => r.edgeId));
  const notPushed = d.row.symbols.flatMap((s) => edges.edgesFor(s)).filter((e) => !hosted.has(e.edgeId)).map((e) => e.edgeId);
  return { deployment_id: d.id, symbols: d.row.symbols, capable_edges: d.row.capableEdges, pushed_to: d.edges.length, venues, not_pushed: notPushed };
}

/** One `/v1/algos` row: the algo on `symbol` and its edges for that symbol. */
export function algoRow(symbol: string, d: Deployment): Record<string, unknown> {
  const runs = d.edgesOf(symbol);
  const s = sum(runs.map((r) => r.figures()));
  return {
    symbol,
    deployment_id: d.id,
    name: d.row.name,
    status: aggregateStatus(runs, d.undeployed),
    edges: runs.length,
    running_edges: runs.filter((r) => r.status === "running").length,
    position_1e8: s.position_1e8,
    realized_pnl_1e9: s.realized_pnl_1e9,
    unrealized_pnl_1e9: s.unrealized_pnl_1e9,
    fees_1e9: s.fees_1e9,
    net_pnl_1e9: s.net_pnl_1e9,
    fill_count: s.fill_count,
  };
}

/** `/v1/algos?detail=edge` rows: the wire's edge fields, and the fees and net PnL it leaves out. */
export function algoEdgeRows(symbol: string, d: Deployment): Record<string, unknown>[] {
  return d.edgesOf(symbol).map((run) => {
    const f = run.figures();
    return { symbol, deployment_id: d.id, name: d.row.name, ...edgeJson(run, f), fees_1e9: f.fees_1e9, net_pnl_1e9: f.net_pnl_1e9 };
  });
}

/** `/v1/algos/{symbol}`. */
export function algoJson(symbol: string, d: Deployment): Record<string, unknown> {
  return { ...algoRow(symbol, d), edges: d.edgesOf(symbol).map((r) => edgeJson(r)), deployment: deploymentJson(d) };
}

/** `/v1/algos/{symbol}/stats`. */
export function statsJson(symbol: string, d: Deployment): Record<string, unknown> {
  const runs = d.edgesOf(symbol);
  const figs = runs.map((r) => r.figures());
  const s = sum(figs);
  return {
    symbol,
    deployment_id: d.id,
    status: aggregateStatus(runs, d.undeployed),
    edges: runs.length,
    running_edges: runs.filter((r) => r.status === "running").length,
    ticks: s.ticks,
    fills: { count: s.fill_count, maker: figs.reduce((a, f) => a + f.maker_fills, 0), taker: figs.reduce((a, f) => a + f.taker_fills, 0) },
    orders_placed: figs.reduce((a, f) => a + f.orders_placed, 0),
    position_1e8: s.position_1e8,
    realized_pnl_1e9: s.realized_pnl_1e9,
    unrealized_pnl_1e9: s.unrealized_pnl_1e9,
    fees_1e9: s.fees_1e9,
    net_pnl_1e9: s.net_pnl_1e9,
    volume_1e8: s.volume_1e8,
    callback_latency_p99_ns: BigInt(Math.round(Math.max(0, ...figs.map((f) => f.callback_latency_p99_ns)))),
    by_edge: runs.map((r, i) => ({ edge_id: r.edgeId, venue: r.spec.venue, status: r.status, position_1e8: figs[i].position_1e8, net_pnl_1e9: figs[i].net_pnl_1e9, fill_count: figs[i].fill_count })),
  };
}
