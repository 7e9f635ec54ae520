/**
 * Which Parquet table is this? The column names decide (matched like CSV
 * headers: case-insensitive, spaces and dashes → "_"), and the answer is a
 * layout: the columns to read and how one row group becomes records.
 *
 * NautilusTrader (a `ts_init` column; its catalog's TradeTick / QuoteTick files):
 *   trades   price, size, aggressor_side, trade_id, ts_event, ts_init
 *   quotes   bid_price, ask_price, bid_size, ask_size, ts_event, ts_init
 *   Prices and sizes are fixed-point raws: FIXED_LEN_BYTE_ARRAY(16),
 *   little-endian, at 1e16 ("high precision"), FIXED_LEN_BYTE_ARRAY(8) at 1e9,
 *   or (older files) INT64 at 1e9. The record time is ts_init, the time
 *   NautilusTrader's own backtests replay a tick at; ts_event is not read.
 *   The key-value metadata's instrument_id, price_precision and size_precision
 *   go into the description.
 *
 * Plain tables, with the names the CSV readers accept (csv-layouts.ts):
 *   quotes+trades  <time>, type, bid_px, bid_qty, ask_px, ask_qty, price, qty, side
 *   quotes         <time>, bid_px, bid_qty, ask_px, ask_qty
 *   trades         <time>, price, [qty], [side | is_buyer_maker]
 *   (aliases: bid_price/bid, bid_size, price/px, qty/quantity/size; `*_1e9`
 *   and `*_1e8` names hold integers already at the record's scale.)
 *   Time: ts_ns/ts_us/ts_ms/ts_s integers in that unit, a TIMESTAMP column in
 *   its unit, or timestamp/time/transact_time integers whose unit is inferred
 *   from the first row (time.ts). Values: see parquet-columns.ts.
 *   Nulls: a null price/qty of a quote is an absent side (0, 0), as an empty
 *   CSV field is; a trade needs its price (and qty, when the column exists).
 *
 * A column no layout reads is an error unless it is ignored (ids, symbol,
 * venue, pandas' unnamed index), so a misspelled column cannot silently change what is replayed.
 */
import type { DecodedArray } from "hyparquet";
import type { FinerDigits } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { RecordBatch } from "./record.ts";
import { Kind, SideCode } from "../abi.ts";
import { header } from "../record-view.ts";
import type { TimeUnit } from "./time.ts";
import { AmountColumn, ROW_QUOTE, SideColumn, TimeColumn, TypeColumn, declaredUnit, typeName, type Cells, type Fail, type FileColumn } from "./parquet-columns.ts";

export interface ParquetLayoutOptions {
  /** Unit of `timestamp`/`time` integer columns; default: inferred from the first row. */
  readonly timeUnit?: TimeUnit;
  /** How to treat digits finer than the record's scale; default "reject". */
  readonly rounding?: FinerDigits;
}

/** Pushes the records of one row group's rows. */
export interface RowGroupRecords {
  push(row: number, out: RecordBatch): void;
}

export interface ParquetLayout {
  /** "NautilusTrader trades", "quotes+trades", … */
  readonly name: string;
  /** The file's names of the columns this layout reads. */
  readonly reads: readonly string[];
  /** Converts a row group's columns (keyed by file name). Fails on a bad value. */
  decode(columns: ReadonlyMap<string, DecodedArray>, fail: Fail): RowGroupRecords;
}

const TRADE = [header(Kind.Trade, SideCode.None), header(Kind.Trade, SideCode.Buy), header(Kind.Trade, SideCode.Sell)];
const QUOTE = header(Kind.Quote);

/** Columns real exports carry that no layout needs: allowed, not read. */
const IGNORED = new Set(["id", "trade_id", "agg_trade_id", "first_trade_id", "last_trade_id", "quote_qty", "is_best_match", "symbol", "venue", "instrument_id", "exchange", "__index_level_0__"]);

export function normName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

class Columns {
  private readonly byKey = new Map<string, FileColumn>();
  private readonly used = new Set<FileColumn>();

  constructor(
    readonly all: readonly FileColumn[],
    private readonly file: string,
  ) {
    for (const c of all) {
      const key = normName(c.name);
      const first = this.byKey.get(key);
      if (first) throw new DataError({ file, line: 0, column: c.position, field: c.name, expected: `each column once, but it is also column ${first.position}`, got: c.name });
      this.byKey.set(key, c);
    }
  }

  has(...keys: string[]): boolean {
    return keys.some((k) => this.byKey.has(k));
  }

  /** The first column present under any of `keys`, marked as read. */
  take(...keys: string[]): FileColumn | undefined {
    for (const k of keys) {
      const c = this.byKey.get(k);
      if (c) {
        this.used.add(c);
        return c;
      }
    }
    return undefined;
  }

  unread(): FileColumn[] {
    return this.all.filter((c) => !this.used.has(c) && !IGNORED.has(normName(c.name)));
  }

  refuse(c: FileColumn, expected: string): DataError {
    return new DataError({ file: this.file, line: 0, column: c.position, field: c.name, expected, got: typeName(c.element) });
  }
}

interface Book {
  bidPx: AmountColumn;
  bidQty: AmountColumn;
  askPx: AmountColumn;
  askQty: AmountColumn;
}

interface Parts {
  name: string;
  time: TimeColumn;
  type?: TypeColumn;
  book?: Book;
  price?: AmountColumn;
  qty?: AmountColumn;
  side?: SideColumn;
}

/** Reads the file's layout from its column names and types; a column it cannot read exactly is refused here. */
export function detectParquetLayout(columns: readonly FileColumn[], file: string, opts: ParquetLayoutOptions = {}): ParquetLayout {
  const cols = new Columns(columns, file);
  const rounding = opts.rounding ?? "reject";
  const amount = (plain: string[], scaled: string[], decimals: 9 | 8, nautilus: boolean): AmountColumn | undefined => {
    const c = cols.take(...plain);
    const s = c ? undefined : cols.take(...scaled);
    const col = c ?? s;
    if (!col) return undefined;
    const isScaled = s !== undefined;
    if (!AmountColumn.modeOf(col.element, decimals, isScaled, nautilus)) {
      throw cols.refuse(col, nautilus
        ? "a NautilusTrader fixed-point column: FIXED_LEN_BYTE_ARRAY(8 or 16) or INT64"
        : `${decimals === 9 ? "a price" : "a quantity"} column: a decimal string, DECIMAL, an integer or a DOUBLE`);
    }
    return new AmountColumn(col, decimals, { scaled: isScaled, nautilus, nonNegative: decimals === 8, rounding });
  };
  const book = (nautilus: boolean): Book | undefined => {
    if (!cols.has("bid_px", "bid_price", "bid", "bid_px_1e9") || !cols.has("ask_px", "ask_price", "ask", "ask_px_1e9")) return undefined;
    const bidPx = amount(["bid_px", "bid_price", "bid"], ["bid_px_1e9"], 9, nautilus);
    const bidQty = amount(["bid_qty", "bid_size"], ["bid_qty_1e8"], 8, nautilus);
    const askPx = amount(["ask_px", "ask_price", "ask"], ["ask_px_1e9"], 9, nautilus);
    const askQty = amount(["ask_qty", "ask_size"], ["ask_qty_1e8"], 8, nautilus);
    return bidPx && bidQty && askPx && askQty ? { bidPx, bidQty, askPx, askQty } : undefined;
  };
  const timeOf = (c: FileColumn, unit: TimeUnit | undefined): TimeColumn => {
    if (!TimeColumn.readable(c.element)) throw cols.refuse(c, "an integer, TIMESTAMP or INT96 time column");
    return new TimeColumn(c, unit);
  };
  const sideOf = (c: FileColumn | undefined, buyerMaker: boolean): SideColumn | undefined => {
    if (!c) return undefined;
    if (!SideColumn.readable(c.element, buyerMaker)) throw cols.refuse(c, buyerMaker ? "a BOOLEAN column" : "a side column: text buy/sell, or 0/1/2");
    return new SideColumn(c, buyerMaker);
  };

  let parts: Parts | undefined;
  const tsInit = cols.take("ts_init");
  if (tsInit) {
    cols.take("ts_event"); // NautilusTrader's event time: the record time is ts_init
    const time = timeOf(tsInit, "ns");
    if (cols.has("bid_price") && cols.has("ask_price")) {
      const b = book(true);
      if (b) parts = { name: "NautilusTrader quotes", time, book: b };
    } else if (cols.has("price")) {
      const price = amount(["price"], [], 9, true);
      const qty = amount(["size"], [], 8, true);
      const side = sideOf(cols.take("aggressor_side"), false);
      if (price && qty) parts = { name: "NautilusTrader trades", time, price, qty, side };
    }
    if (!parts) throw new DataError({ file, line: 0, expected: `a NautilusTrader TradeTick (${NAUTILUS.trades}) or QuoteTick (${NAUTILUS.quotes}) table`, got: columns.map((c) => c.name).join(",") });
  } else {
    const unitCol = cols.take("ts_ns", "ts_us", "ts_ms", "ts_s");
    const named = unitCol ?? cols.take("timestamp", "time", "transact_time");
    const time = named ? timeOf(named, declaredUnit(normName(named.name), named.element) ?? opts.timeUnit) : undefined;
    const b = time ? book(false) : undefined;
    if (time && b && cols.has("type")) {
      const typeCol = cols.take("type")!;
      if (!TypeColumn.readable(typeCol.element)) throw cols.refuse(typeCol, "a text column: quote or trade");
      const price = amount(["price", "px"], ["price_1e9"], 9, false);
      if (!price) throw new DataError({ file, line: 0, expected: `a quotes+trades table with a price column (${PLAIN["quotes+trades"]})`, got: columns.map((c) => c.name).join(",") });
      const qty = amount(["qty", "quantity", "size"], ["qty_1e8"], 8, false);
      parts = { name: "quotes+trades", time, type: new TypeColumn(typeCol), book: b, price, qty, side: sideOf(cols.take("side"), false) };
    } else if (time && b) parts = { name: "quotes", time, book: b };
    else if (time) {
      const price = amount(["price", "px"], ["price_1e9"], 9, false);
      if (price) {
        const qty = amount(["qty", "quantity", "size"], ["qty_1e8"], 8, false);
        const sideCol = cols.take("side");
        const side = sideCol ? sideOf(sideCol, false) : sideOf(cols.take("is_buyer_maker", "isbuyermaker"), true);
        parts = { name: "trades", time, price, qty, side };
      }
    }
    if (!parts) {
      throw new DataError({ file, line: 0, expected: `columns of a trades (${PLAIN.trades}), quotes (${PLAIN.quotes}) or quotes+trades (${PLAIN["quotes+trades"]}) table, or a NautilusTrader TradeTick/QuoteTick file`, got: columns.map((c) => c.name).join(",") });
    }
  }
  const unread = cols.unread();
  if (unread.length > 0) {
    const c = unread[0];
    throw new DataError({ file, line: 0, column: c.position, expected: `a column the ${parts.name} layout reads (${LAYOUT_COLUMNS[parts.name]}), or one it ignores (${[...IGNORED].join(", ")})`, got: c.name });
  }
  return layoutOf(parts);
}

const NAUTILUS = {
  trades: "price,size,aggressor_side,trade_id,ts_event,ts_init",
  quotes: "bid_price,ask_price,bid_size,ask_size,ts_event,ts_init",
};

const PLAIN: Readonly<Record<string, string>> = {
  "quotes+trades": "<time>,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side",
  quotes: "<time>,bid_px,bid_qty,ask_px,ask_qty",
  trades: "<time>,price,[qty],[side | is_buyer_maker]",
};

const LAYOUT_COLUMNS: Readonly<Record<string, string>> = { ...PLAIN, "NautilusTrader trades": NAUTILUS.trades, "NautilusTrader quotes": NAUTILUS.quotes };

function layoutOf(p: Parts): ParquetLayout {
  const amounts = [p.book?.bidPx, p.book?.bidQty, p.book?.askPx, p.book?.askQty, p.price, p.qty].filter((a): a is AmountColumn => a !== undefined);
  const reads = [p.time.column, p.type?.column, ...amounts.map((a) => a.column), p.side?.column].filter((c): c is FileColumn => c !== undefined).map((c) => c.name);
  return {
    name: p.name,
    reads,
    decode(columns, fail) {
      const get = (c: FileColumn) => columns.get(c.name)!;
      const ts = p.time.convert(get(p.time.column), fail);
      const types = p.type?.convert(get(p.type.column), fail);
      const cells = (a: AmountColumn | undefined): Cells | undefined => (a ? a.convert(get(a.column), fail) : undefined);
      const bidPx = cells(p.book?.bidPx);
      const bidQty = cells(p.book?.bidQty);
      const askPx = cells(p.book?.askPx);
      const askQty = cells(p.book?.askQty);
      const price = cells(p.price);
      const qty = cells(p.qty);
      const side = p.side?.convert(get(p.side.column), fail);
      const required = (c: Cells, a: AmountColumn, row: number): bigint => {
        if (c.nulls?.[row]) throw fail(row, a.column, a.decimals === 9 ? "a price" : "a quantity", "null");
        return c.values[row];
      };
      const quote = (row: number, out: RecordBatch) =>
        out.push(ts[row], QUOTE, bidPx!.values[row], bidQty!.values[row], askPx!.values[row], askQty!.values[row]);
      const trade = (row: number, out: RecordBatch) =>
        out.push(ts[row], TRADE[side ? side[row] : 0], required(price!, p.price!, row), qty ? required(qty, p.qty!, row) : 0n);
      if (types) return { push: (row, out) => (types[row] === ROW_QUOTE ? quote(row, out) : trade(row, out)) };
      return { push: p.book ? quote : trade };
    },
  };
}
