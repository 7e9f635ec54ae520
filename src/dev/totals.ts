/**
 * An edge's counters across runs. Each run of a module is a fresh harness
 * engine whose ledger starts flat (the algo's own `position` starts at 0);
 * what earlier runs left — after a stop/start or an emulator restart — is
 * carried here and added to the live run's figures:
 *
 *   position   = carried position + run position
 *   realized   = carried realized + run realized
 *   unrealized = (carried position × mark − carried cost) + run unrealized
 *   fees, volume, fills, orders, ticks: summed
 *
 * The carried position keeps its own signed cost (position × entry: the
 * ledger snapshot's cost_1e9, summed over runs), so its unrealized PnL follows the edge's mark; it is not netted against the new
 * run's trades (the two books are summed, not merged). When the carried
 * position nets to zero at a fold, its leftover cost becomes realized PnL.
 * All arithmetic is on the harness ledger's snapshots; nothing here matches
 * orders or prices fills.
 */
import { divRound } from "../../harness/fixed.ts";
import type { RunSnapshot } from "./protocol.ts";

const E8 = 100_000_000n;

export interface Totals {
  position_1e8: bigint;
  /** Signed cost of the carried position, USD 1e9 (position × average entry / 1e8). */
  cost_1e9: bigint;
  realized_pnl_1e9: bigint;
  fees_1e9: bigint;
  volume_1e8: bigint;
  /** Last mark seen, 1e9 (values the carried position until the edge has a fresh one). */
  mark_1e9: bigint;
  fill_count: number;
  maker_fills: number;
  taker_fills: number;
  orders_placed: number;
  orders_accepted: number;
  orders_cancelled: number;
  orders_rejected: number;
  ticks: number;
  skipped_ticks: number;
  /** p99 callback latency of the latest run. */
  callback_latency_p99_ns: number;
  /** Runs folded in so far. */
  runs: number;
}

/** What the API shows for an edge: carried + live. */
export type EdgeFigures = Omit<Totals, "cost_1e9" | "runs"> & {
  unrealized_pnl_1e9: bigint;
  net_pnl_1e9: bigint;
  open_orders: number;
};

export function zeroTotals(): Totals {
  return {
    position_1e8: 0n, cost_1e9: 0n, realized_pnl_1e9: 0n, fees_1e9: 0n, volume_1e8: 0n, mark_1e9: 0n,
    fill_count: 0, maker_fills: 0, taker_fills: 0, orders_placed: 0, orders_accepted: 0, orders_cancelled: 0,
    orders_rejected: 0, ticks: 0, skipped_ticks: 0, callback_latency_p99_ns: 0, runs: 0,
  };
}

const sumRejects = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Carried + live, the carried position valued at `mark` (the edge's current mark; 0 = unknown). */
export function figures(base: Totals, run: RunSnapshot | undefined, mark: bigint): EdgeFigures {
  const m = mark > 0n ? mark : run && run.pnl.mark_1e9 > 0n ? run.pnl.mark_1e9 : base.mark_1e9;
  const carriedUnrealized = base.position_1e8 === 0n ? 0n : divRound(base.position_1e8 * m, E8, "half-even") - base.cost_1e9;
  const realized = base.realized_pnl_1e9 + (run?.pnl.realized_pnl_1e9 ?? 0n);
  const unrealized = carriedUnrealized + (run?.pnl.unrealized_pnl_1e9 ?? 0n);
  const fees = base.fees_1e9 + (run?.pnl.fees_1e9 ?? 0n);
  return {
    position_1e8: base.position_1e8 + (run?.pnl.position_1e8 ?? 0n),
    realized_pnl_1e9: realized,
    unrealized_pnl_1e9: unrealized,
    fees_1e9: fees,
    net_pnl_1e9: realized + unrealized - fees,
    volume_1e8: base.volume_1e8 + (run?.pnl.volume_1e8 ?? 0n),
    mark_1e9: m,
    fill_count: base.fill_count + (run?.fills.count ?? 0),
    maker_fills: base.maker_fills + (run?.fills.maker ?? 0),
    taker_fills: base.taker_fills + (run?.fills.taker ?? 0),
    orders_placed: base.orders_placed + (run?.orders.placed ?? 0),
    orders_accepted: base.orders_accepted + (run?.orders.accepted ?? 0),
    orders_cancelled: base.orders_cancelled + (run?.orders.cancelled ?? 0),
    orders_rejected: base.orders_rejected + (run ? sumRejects(run.orders.rejected) : 0),
    open_orders: run?.orders.open ?? 0,
    ticks: base.ticks + (run?.ticks ?? 0),
    skipped_ticks: base.skipped_ticks + (run?.skipped ?? 0),
    callback_latency_p99_ns: run && run.latency.count > 0 ? run.latency.p99_ns : base.callback_latency_p99_ns,
  };
}

/** The carried totals after `run` (the new base for the next run, or for the state file). */
export function fold(base: Totals, run: RunSnapshot | undefined): Totals {
  if (!run) return base;
  const position = base.position_1e8 + run.pnl.position_1e8;
  let cost = base.cost_1e9 + run.pnl.cost_1e9;
  let realized = base.realized_pnl_1e9 + run.pnl.realized_pnl_1e9;
  if (position === 0n) {
    realized -= cost; // flat again: what the books still held at cost is realized
    cost = 0n;
  }
  const f = figures(base, run, 0n);
  return {
    position_1e8: position,
    cost_1e9: cost,
    realized_pnl_1e9: realized,
    fees_1e9: f.fees_1e9,
    volume_1e8: f.volume_1e8,
    mark_1e9: run.pnl.mark_1e9 > 0n ? run.pnl.mark_1e9 : base.mark_1e9,
    fill_count: f.fill_count,
    maker_fills: f.maker_fills,
    taker_fills: f.taker_fills,
    orders_placed: f.orders_placed,
    orders_accepted: f.orders_accepted,
    orders_cancelled: f.orders_cancelled,
    orders_rejected: f.orders_rejected,
    ticks: f.ticks,
    skipped_ticks: f.skipped_ticks,
    callback_latency_p99_ns: f.callback_latency_p99_ns,
    runs: base.runs + 1,
  };
}

const BIG_KEYS = ["position_1e8", "cost_1e9", "realized_pnl_1e9", "fees_1e9", "volume_1e8", "mark_1e9"] as const;

export function totalsToJson(t: Totals): string {
  return JSON.stringify(t, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

export function totalsFromJson(text: string): Totals {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const t = { ...zeroTotals() } as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(raw)) if (k in t) t[k] = v;
  for (const k of BIG_KEYS) t[k] = BigInt(String(raw[k] ?? "0"));
  return t as unknown as Totals;
}
