/**
 * The figures a sweep ranks and filters by, read from a backtest's result by
 * name. One table: to make a new report field sortable, add a line.
 * Values are exact decimal text (money is fixed point in the report and is
 * written out digit for digit), compared exactly (decimal.ts).
 */
import { formatFixed } from "../../harness/data/decimal.ts";
import type { BacktestResult } from "../../harness/report/report.ts";
import { UsageError } from "../cli/errors.ts";
import { compareDecimal, isDecimal, toDecimalText } from "./decimal.ts";

export interface Metric {
  /** Which way is better, for ranking. */
  better: "higher" | "lower";
  /** The value as exact decimal text, or undefined when the report has no such field. */
  read(result: BacktestResult): string | undefined;
  /** What it is, for --help and error messages. */
  about: string;
  /** How the ranked table shows it (files keep every digit). */
  show: "usd" | "qty" | "count" | "ratio";
}

const usd = (v: bigint) => formatFixed(v, 9);
const qty = (v: bigint) => formatFixed(v, 8);

/** A ratio or percentage of the report's statistics (null when it is undefined for the run, e.g. no losing trip). */
const ratio = (v: number | null) => (v === null ? undefined : toDecimalText(v));
const roundTrips = (r: BacktestResult) => r.statistics.round_trips;

export const METRICS: Record<string, Metric> = {
  net_pnl: { show: "usd", better: "higher", about: "net PnL, USD (realized + unrealized − fees)", read: (r) => usd(r.pnl.net_pnl_1e9) },
  realized_pnl: { show: "usd", better: "higher", about: "realized PnL, USD", read: (r) => usd(r.pnl.realized_pnl_1e9) },
  unrealized_pnl: { show: "usd", better: "higher", about: "unrealized PnL at the last mark, USD", read: (r) => usd(r.pnl.unrealized_pnl_1e9) },
  fees: { show: "usd", better: "lower", about: "fees paid, USD (negative = rebates earned)", read: (r) => usd(r.pnl.fees_1e9) },
  max_drawdown: { show: "usd", better: "lower", about: "largest fall of equity from its peak, USD", read: (r) => usd(r.pnl.max_drawdown_1e9) },
  volume: { show: "qty", better: "higher", about: "quantity traded", read: (r) => qty(r.pnl.volume_1e8) },
  notional: { show: "usd", better: "higher", about: "USD traded", read: (r) => usd(r.pnl.notional_1e9) },
  position: { show: "qty", better: "lower", about: "position at the end", read: (r) => qty(r.pnl.position_1e8) },
  fills: { show: "count", better: "higher", about: "number of fills", read: (r) => String(r.fills.count) },
  maker_fills: { show: "count", better: "higher", about: "fills as maker", read: (r) => String(r.fills.maker) },
  taker_fills: { show: "count", better: "lower", about: "fills as taker", read: (r) => String(r.fills.taker) },
  orders: { show: "count", better: "lower", about: "orders placed", read: (r) => String(r.orders.placed) },
  rejected: { show: "count", better: "lower", about: "orders rejected", read: (r) => String(Object.values(r.orders.rejected).reduce((a, b) => a + b, 0)) },
  sharpe: { show: "ratio", better: "higher", about: "Sharpe ratio (docs/backtesting.md#statistics)", read: (r) => ratio(r.statistics.sharpe) },
  sortino: { show: "ratio", better: "higher", about: "Sortino ratio", read: (r) => ratio(r.statistics.sortino) },
  return_pct: { show: "ratio", better: "higher", about: "return, %", read: (r) => ratio(r.statistics.return_pct) },
  max_dd_pct: { show: "ratio", better: "lower", about: "max drawdown, %", read: (r) => ratio(r.statistics.max_drawdown_pct) },
  win_rate: { show: "ratio", better: "higher", about: "winning round trips, %", read: (r) => ratio(roundTrips(r).win_rate_pct) },
  profit_factor: { show: "ratio", better: "higher", about: "gross profit / gross loss", read: (r) => ratio(roundTrips(r).profit_factor) },
};

/** The metric called `name`, or a usage error listing the known names. */
export function metricNamed(name: string, flag: string): Metric {
  if (!Object.hasOwn(METRICS, name)) throw new UsageError(`${flag} ${name}: unknown figure; expected one of ${Object.keys(METRICS).join(", ")}`);
  return METRICS[name];
}

/** Every metric the report has, by name, in the table's order. */
export function readMetrics(result: BacktestResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, m] of Object.entries(METRICS)) {
    const v = m.read(result);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export type Comparison = "<" | "<=" | ">" | ">=" | "=" | "!=";

export interface Constraint {
  metric: string;
  op: Comparison;
  /** Exact decimal text. */
  bound: string;
  /** As typed, for the manifest and messages. */
  text: string;
}

/** `max_dd_pct<20`, `fills>=10`, `net_pnl > -5`. */
export function parseConstraint(text: string): Constraint {
  const m = /^\s*([a-z_][a-z0-9_]*)\s*(<=|>=|!=|==|=|<|>)\s*(\S+)\s*$/i.exec(text);
  if (!m || !isDecimal(m[3]))
    throw new UsageError(`--constraint ${text}: expected <figure><op><number> with op one of < <= > >= = !=, e.g. 'max_dd_pct<20'`);
  metricNamed(m[1], "--constraint");
  const op = (m[2] === "==" ? "=" : m[2]) as Comparison;
  return { metric: m[1], op, bound: m[3], text: `${m[1]}${op}${m[3]}` };
}

/** Whether `metrics` meet the constraint; a figure the report lacks is an error naming it. */
export function meets(metrics: Record<string, string>, c: Constraint): boolean {
  const value = metrics[c.metric];
  if (value === undefined) throw new MissingMetricError(c.metric, "--constraint", Object.keys(metrics));
  const cmp = compareDecimal(value, c.bound);
  switch (c.op) {
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
    case "=":
      return cmp === 0;
    case "!=":
      return cmp !== 0;
  }
}

/** A figure in the table that this report does not carry (a statistic not yet in the report). */
export class MissingMetricError extends UsageError {
  constructor(metric: string, flag: string, available: readonly string[]) {
    super(`${flag} ${metric}: this backtest report has no ${METRICS[metric]?.about ?? metric}; it has ${available.join(", ")}`);
    this.name = "MissingMetricError";
  }
}
