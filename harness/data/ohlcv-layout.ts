/**
 * OHLCV bars (`date,[open,high,low,]close,[volume]`, one bar per row), replayed
 * as the market they summarise (docs/backtesting.md, "Bars"):
 *
 *   start            open print (TRADE sub BAR_PRINT, as the extremes)
 *   start + 1/3      first extreme:  low when close >= open, else high
 *   start + 2/3      second extreme: the other one
 *   end              close print (TRADE sub BAR_CLOSE_PRINT: the market shuts)
 *   end              BAR prices (O, H, L, C), then BAR volume (volume, start)
 *
 * A bar that closes up most plausibly made its low first and its high later
 * (and the reverse for a bar that closes down), so the path ends at the
 * extreme nearest the close. Prints carry no size (qty 0 = unknown): the
 * bar's volume is not shared among the algo's orders.
 *
 * A `date` bar covers the session from `barOpenUtcSecs` (default 14:30 UTC,
 * 09:30 New York in winter) to `barCloseUtcSecs` (default 21:00 UTC) of its
 * day; a close at or before the open puts the open on the day before
 * (e.g. open 0, close 0 = a 24 h bar ending at midnight). Missing columns: no
 * open → no open print and open = close; no high/low → no extreme prints and
 * high/low = the larger/smaller of open and close.
 */
import type { CsvRow } from "./csv-row.ts";
import { type RecordBatch } from "./record.ts";
import { BAR_CLOSE_PRINT, BAR_PRICES, BAR_PRINT, BAR_VOLUME, Kind } from "../abi.ts";
import { header } from "../record-view.ts";
import { NS_PER, NS_PER_DAY } from "./time.ts";

/** Most records one bar row pushes: four prints and the BAR pair. */
export const OHLCV_RECORDS_PER_ROW = 6;

export interface BarSession {
  /** Seconds after 00:00 UTC of the bar's open; default 14:30. */
  readonly barOpenUtcSecs?: number;
  /** Seconds after 00:00 UTC of the bar's close; default 21:00. */
  readonly barCloseUtcSecs?: number;
}

const PRINT = header(Kind.Trade, 0, BAR_PRINT);
const CLOSE_PRINT = header(Kind.Trade, 0, BAR_CLOSE_PRINT);
const PRICES = header(Kind.Bar, 0, BAR_PRICES);
const VOLUME = header(Kind.Bar, 0, BAR_VOLUME);
const PX = "a decimal price";

function secondsOfDay(name: string, v: number): bigint {
  if (!Number.isInteger(v) || v < 0 || v >= 86400) throw new RangeError(`${name} must be an integer in 0..86399, got ${v}`);
  return BigInt(v) * NS_PER.s;
}

/** Decodes one bar row into its prints and BAR records. */
export class OhlcvDecoder {
  private readonly closeNs: bigint;
  private readonly lengthNs: bigint;
  private readonly o: number;
  private readonly h: number;
  private readonly l: number;
  private readonly c: number;
  private readonly v: number;

  constructor(
    names: readonly string[],
    private readonly dateIx: number,
    session: BarSession,
  ) {
    this.closeNs = secondsOfDay("barCloseUtcSecs", session.barCloseUtcSecs ?? 21 * 3600);
    const openNs = secondsOfDay("barOpenUtcSecs", session.barOpenUtcSecs ?? 14 * 3600 + 1800);
    this.lengthNs = this.closeNs > openNs ? this.closeNs - openNs : this.closeNs + NS_PER_DAY - openNs;
    const ix = (n: string) => names.indexOf(n);
    [this.o, this.h, this.l, this.c, this.v] = [ix("open"), ix("high"), ix("low"), ix("close"), ix("volume")];
  }

  decode(row: CsvRow, out: RecordBatch): void {
    const { o, h, l, c } = this;
    const end = BigInt(row.date(this.dateIx)) * NS_PER_DAY + this.closeNs;
    const close = row.fixed(c, 9, PX);
    const open = o >= 0 ? row.fixed(o, 9, PX) : close;
    const ranged = h >= 0 && l >= 0;
    let high = open > close ? open : close;
    let low = open < close ? open : close;
    // Bars whose high/low do not contain open and close are corrupt; say so.
    if (ranged) {
      high = row.fixed(h, 9, PX);
      low = row.fixed(l, 9, PX);
      if (low > high) throw row.fail(l, `low <= high (${row.text(h)})`);
      if (close < low || close > high) throw row.fail(c, `close within [low, high] = [${row.text(l)}, ${row.text(h)}]`);
      if (open < low || open > high) throw row.fail(o, `open within [low, high] = [${row.text(l)}, ${row.text(h)}]`);
    }
    const volume = this.v >= 0 ? row.unsigned(this.v, 8, "a decimal volume") : 0n;
    const start = o >= 0 || ranged ? end - this.lengthNs : end;
    const third = this.lengthNs / 3n;
    if (o >= 0) out.push(start, PRINT, open);
    if (ranged) {
      const up = close >= open;
      out.push(start + third, PRINT, up ? low : high);
      out.push(start + 2n * third, PRINT, up ? high : low);
    }
    out.push(end, CLOSE_PRINT, close);
    out.push(end, PRICES, open, high, low, close);
    out.push(end, VOLUME, volume, start);
  }
}
