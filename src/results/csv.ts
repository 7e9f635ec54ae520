/**
 * The saved run's CSV files: every fill of the report's fill log, and the
 * equity (with drawdown) and position (with the market price) series. Money
 * and quantities are exact decimals; times are ISO UTC and integer ns.
 */
import { isoNs } from "../../harness/data/time.ts";
import { formatFixed } from "../../harness/data/decimal.ts";
import type { FillRecord } from "../../harness/recorder.ts";
import type { SeriesPoint } from "../../harness/report/run-series.ts";

export const FILLS_CSV_HEADER = "time,ts_ns,order_id,side,price,qty,fee,liquidity";
export const EQUITY_CSV_HEADER = "time,ts_ns,equity,drawdown";
export const POSITION_CSV_HEADER = "time,ts_ns,position,price";

export function fillsCsv(fills: readonly FillRecord[]): string {
  const rows = fills.map((f) =>
    [isoNs(f.ts_ns), f.ts_ns, f.order_id, f.side, formatFixed(f.price_1e9, 9), formatFixed(f.qty_1e8, 8), formatFixed(f.fee_1e9, 9), f.liquidity].join(","),
  );
  return [FILLS_CSV_HEADER, ...rows, ""].join("\n");
}

/** Equity (PnL net of fees) and its fall from the running peak (≤ 0), USD to 1e-17, exact. */
export function equityRows(points: readonly SeriesPoint[]): Array<{ ts_ns: bigint; equity: string; drawdown: string }> {
  let peak = 0n; // equity starts at 0 before the first point
  return points.map((p) => {
    if (p.equity_1e17 > peak) peak = p.equity_1e17;
    return { ts_ns: p.ts_ns, equity: formatFixed(p.equity_1e17, 17), drawdown: formatFixed(p.equity_1e17 - peak, 17) };
  });
}

export function equityCsv(points: readonly SeriesPoint[]): string {
  const rows = equityRows(points).map((r) => [isoNs(r.ts_ns), r.ts_ns, r.equity, r.drawdown].join(","));
  return [EQUITY_CSV_HEADER, ...rows, ""].join("\n");
}

export function positionCsv(points: readonly SeriesPoint[]): string {
  const rows = points.map((p) => [isoNs(p.ts_ns), p.ts_ns, formatFixed(p.position_1e8, 8), p.price_1e9 === null ? "" : formatFixed(p.price_1e9, 9)].join(","));
  return [POSITION_CSV_HEADER, ...rows, ""].join("\n");
}
