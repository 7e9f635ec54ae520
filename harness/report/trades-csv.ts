/**
 * The round trips as CSV (`algo backtest --trades <file.csv>`), written as
 * they close so memory does not grow with their number. Money and quantities
 * are exact decimals (PnL to 1e-17 USD, where it is exact); times are ISO UTC
 * and integer ns.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { isoNs } from "../data/time.ts";
import { formatFixed } from "../data/decimal.ts";
import type { RoundTrip } from "./round-trips.ts";

export const TRADES_CSV_HEADER =
  "side,entry_time,exit_time,entry_ts_ns,exit_ts_ns,holding_ns,qty,entry_price,exit_price,gross_pnl,fees,net_pnl,entry_order_id,exit_order_id";

const E8 = 100_000_000n;
const FLUSH_BYTES = 1 << 16;

export function tradeCsvRow(t: RoundTrip): string {
  const net = t.gross_pnl_1e17 - t.fees_1e9 * E8;
  return [
    t.side,
    isoNs(t.entry_ts_ns),
    isoNs(t.exit_ts_ns),
    t.entry_ts_ns,
    t.exit_ts_ns,
    t.exit_ts_ns - t.entry_ts_ns,
    formatFixed(t.qty_1e8, 8),
    formatFixed(t.entry_price_1e9, 9),
    formatFixed(t.exit_price_1e9, 9),
    formatFixed(t.gross_pnl_1e17, 17),
    formatFixed(t.fees_1e9, 9),
    formatFixed(net, 17),
    t.entry_order_id,
    t.exit_order_id,
  ].join(",");
}

/** Writes to `file` (created or truncated now, so a bad path fails before the replay). */
export class TradesCsvWriter {
  private readonly fd: number;
  private buffer = "";
  rows = 0;
  private closed = false;

  constructor(readonly file: string) {
    this.fd = openSync(file, "w");
    this.buffer = TRADES_CSV_HEADER + "\n";
  }

  write = (t: RoundTrip): void => {
    this.buffer += tradeCsvRow(t) + "\n";
    this.rows++;
    if (this.buffer.length >= FLUSH_BYTES) this.flush();
  };

  private flush(): void {
    writeSync(this.fd, this.buffer);
    this.buffer = "";
  }

  /** Flushes and closes the file; closing again does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
  }
}
