/**
 * Which CSV is this? The first non-comment line decides, and the answer is a
 * layout: a column map plus a decoder that turns one row into one record.
 *
 * With a header (names matched case-insensitively, spaces → "_", columns in
 * any order; a column the layout does not read is an error unless it is in
 * IGNORED, so a typo cannot silently change the layout):
 *   quotes+trades  ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side
 *                  (the combined format the synthetic generator writes)
 *   quotes         <time>,bid_px,bid_qty,ask_px,ask_qty
 *   ohlcv          date,[open,high,low,]close,[volume]   (one bar per row, replayed
 *                  as open/low/high/close prints and a BAR: ohlcv-layout.ts)
 *   trades         <time>,price,[qty],[side | is_buyer_maker]
 * Without a header (first field is a number): Binance dumps, told apart by
 * column count and where the booleans sit:
 *   spot aggTrades     aggTradeId,price,qty,firstTradeId,lastTradeId,time,isBuyerMaker,isBestMatch
 *   spot trades        id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch
 *   USD-M aggTrades    agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker
 *   USD-M trades       id,price,qty,quote_qty,time,is_buyer_maker
 * (Newer USD-M files carry those names as a header; the "trades" rule reads them.)
 *
 * Scales: `price`, `*_px` are decimals → 1e9; `qty`, `*_qty`, `volume` are
 * decimals → 1e8; `price_1e9`, `*_px_1e9`, `qty_1e8`, `*_qty_1e8` are already
 * scaled integers. Prices may be negative (spreads, WTI in April 2020);
 * quantities may not.
 *
 * Time columns: `ts_ns`, `ts_us`, `ts_ms`, `ts_s` are integers in that unit.
 * `timestamp`, `time`, `transact_time` (and headerless Binance) are integers
 * whose unit is inferred from the FIRST data row's magnitude (see
 * inferTimeUnit: < 1e11 s, < 1e14 ms, < 1e17 µs, else ns) and then fixed for
 * the file — Binance spot switched from ms to µs on 2025-01-01, between
 * files, never inside one. `timeUnit` in the options overrides the guess.
 *
 * Sides: `side` is buy/sell/b/s (any case) or empty. Binance's
 * `isBuyerMaker=true` means the resting order was the buy, so the aggressor
 * SOLD: side = sell; false → buy.
 */
import { DataError } from "./errors.ts";
import { RecordBatch } from "./record.ts";
import { Kind, SideCode } from "../abi.ts";
import { header } from "../record-view.ts";
import { CsvRow } from "./csv-row.ts";
import { NS_PER, inferTimeUnit, type TimeUnit } from "./time.ts";
import { OHLCV_RECORDS_PER_ROW, OhlcvDecoder, type BarSession } from "./ohlcv-layout.ts";

export interface CsvLayoutOptions extends BarSession {
  /** Unit of `timestamp`/`time` columns; default: inferred from the first row. */
  readonly timeUnit?: TimeUnit;
}

export interface CsvLayout {
  /** Short name for descriptions and messages, e.g. "trades", "binance spot aggTrades". */
  readonly name: string;
  /** True when the detecting line was a header (so it is not data). */
  readonly hasHeader: boolean;
  /** Column names used in messages. */
  readonly names: readonly string[];
  /** Most records one row pushes (1, or 6 for OHLCV bars): the reader leaves that much room in a batch. */
  readonly recordsPerRow: number;
  /** Indexes of the header columns the decoder reads (header layouts only). */
  readonly reads?: readonly number[];
  /** Reads one split row and pushes its records (at most recordsPerRow). */
  decode(row: CsvRow, out: RecordBatch): void;
}

const TRADE = [header(Kind.Trade, SideCode.None), header(Kind.Trade, SideCode.Buy), header(Kind.Trade, SideCode.Sell)];
const QUOTE = header(Kind.Quote);
const I64_MAX = (1n << 63n) - 1n;

const PX = "a decimal price";
const QTY = "a decimal quantity";
const PX_INT = "an integer price in 1e-9 units";
const QTY_INT = "an integer quantity in 1e-8 units";

/** Reads a price or quantity column, decimal or pre-scaled. */
class Amount {
  constructor(
    readonly index: number,
    readonly scaled: boolean,
    readonly decimals: 9 | 8,
  ) {}

  read(row: CsvRow): bigint {
    const px = this.decimals === 9;
    if (this.scaled) return row.integer(this.index, px ? PX_INT : QTY_INT);
    return row.fixed(this.index, this.decimals, px ? PX : QTY);
  }

  readUnsigned(row: CsvRow): bigint {
    const v = this.read(row);
    if (v < 0n) throw row.fail(this.index, `${this.decimals === 9 ? "a price" : "a quantity"} >= 0`);
    return v;
  }
}

/** Reads an epoch time column and converts it to ns. */
class TimeColumn {
  private unit: TimeUnit | undefined;

  constructor(
    readonly index: number,
    unit: TimeUnit | undefined,
  ) {
    this.unit = unit;
  }

  read(row: CsvRow): bigint {
    const v = row.integer(this.index, "an integer epoch timestamp");
    const unit = (this.unit ??= inferTimeUnit(v));
    const ns = unit === "ns" ? v : v * NS_PER[unit];
    if (ns < 0n || ns > I64_MAX) throw row.fail(this.index, `a timestamp from 1970 on that fits i64 nanoseconds`);
    return ns;
  }
}

/** Normalises a header name: trimmed, unquoted, lower case, spaces/dashes → "_". */
function norm(name: string): string {
  return name
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

function find(names: readonly string[], ...aliases: string[]): number {
  for (const a of aliases) {
    const i = names.indexOf(a);
    if (i >= 0) return i;
  }
  return -1;
}

function timeColumn(names: readonly string[], opts: CsvLayoutOptions): TimeColumn | undefined {
  for (const [name, unit] of [["ts_ns", "ns"], ["ts_us", "us"], ["ts_ms", "ms"], ["ts_s", "s"]] as const) {
    const i = names.indexOf(name);
    if (i >= 0) return new TimeColumn(i, unit);
  }
  const i = find(names, "timestamp", "time", "transact_time");
  return i >= 0 ? new TimeColumn(i, opts.timeUnit) : undefined;
}

function amount(names: readonly string[], decimals: 9 | 8, plain: string[], scaled: string[]): Amount | undefined {
  const i = find(names, ...plain);
  if (i >= 0) return new Amount(i, false, decimals);
  const j = find(names, ...scaled);
  return j >= 0 ? new Amount(j, true, decimals) : undefined;
}

interface Book {
  bidPx: Amount;
  bidQty: Amount;
  askPx: Amount;
  askQty: Amount;
}

function book(names: readonly string[]): Book | undefined {
  const bidPx = amount(names, 9, ["bid_px", "bid_price", "bid"], ["bid_px_1e9"]);
  const bidQty = amount(names, 8, ["bid_qty", "bid_size"], ["bid_qty_1e8"]);
  const askPx = amount(names, 9, ["ask_px", "ask_price", "ask"], ["ask_px_1e9"]);
  const askQty = amount(names, 8, ["ask_qty", "ask_size"], ["ask_qty_1e8"]);
  return bidPx && bidQty && askPx && askQty ? { bidPx, bidQty, askPx, askQty } : undefined;
}

function bookColumns(b: Book): number[] {
  return [b.bidPx.index, b.bidQty.index, b.askPx.index, b.askQty.index];
}

/**
 * Pushes a QUOTE. An empty price/qty pair is an absent side (0, 0). A book is
 * crossed when both sides are present (qty > 0) and bid > ask; that is
 * rejected because no simulated venue can stand on it. bid == ask (locked) is
 * allowed.
 */
function pushQuote(row: CsvRow, b: Book, ts: bigint, out: RecordBatch): void {
  const bidPx = row.isEmpty(b.bidPx.index) ? 0n : b.bidPx.read(row);
  const bidQty = row.isEmpty(b.bidQty.index) ? 0n : b.bidQty.readUnsigned(row);
  const askPx = row.isEmpty(b.askPx.index) ? 0n : b.askPx.read(row);
  const askQty = row.isEmpty(b.askQty.index) ? 0n : b.askQty.readUnsigned(row);
  if (bidQty > 0n && askQty > 0n && bidPx > askPx) {
    throw new DataError({
      file: row.file,
      line: row.line,
      column: b.bidPx.index + 1,
      field: row.names[b.bidPx.index],
      expected: `an uncrossed quote: bid price <= ask price (${row.text(b.askPx.index)})`,
      got: row.text(b.bidPx.index),
    });
  }
  out.push(ts, QUOTE, bidPx, bidQty, askPx, askQty);
}

function tradesLayout(names: readonly string[], time: TimeColumn, price: Amount, name = "trades"): CsvLayout {
  const qty = amount(names, 8, ["qty", "quantity", "size"], ["qty_1e8"]);
  const sideIx = names.indexOf("side");
  const makerIx = find(names, "is_buyer_maker", "isbuyermaker");
  return {
    name,
    hasHeader: true,
    names,
    recordsPerRow: 1,
    reads: [time.index, price.index, qty?.index ?? -1, sideIx, sideIx >= 0 ? -1 : makerIx],
    decode(row, out) {
      row.expectColumns(names.length);
      const ts = time.read(row);
      const px = price.read(row);
      const q = qty ? qty.readUnsigned(row) : 0n;
      const side = sideIx >= 0 ? row.side(sideIx) : makerIx >= 0 ? (row.bool(makerIx) ? SideCode.Sell : SideCode.Buy) : 0;
      out.push(ts, TRADE[side], px, q);
    },
  };
}

function quotesLayout(names: readonly string[], time: TimeColumn, b: Book): CsvLayout {
  return {
    name: "quotes",
    hasHeader: true,
    names,
    recordsPerRow: 1,
    reads: [time.index, ...bookColumns(b)],
    decode(row, out) {
      row.expectColumns(names.length);
      pushQuote(row, b, time.read(row), out);
    },
  };
}

function combinedLayout(names: readonly string[], time: TimeColumn, typeIx: number, b: Book, price: Amount): CsvLayout {
  const qty = amount(names, 8, ["qty"], ["qty_1e8"]);
  const sideIx = names.indexOf("side");
  return {
    name: "quotes+trades",
    hasHeader: true,
    names,
    recordsPerRow: 1,
    reads: [time.index, typeIx, ...bookColumns(b), price.index, qty?.index ?? -1, sideIx],
    decode(row, out) {
      row.expectColumns(names.length);
      const ts = time.read(row);
      if (row.is(typeIx, "quote") || row.is(typeIx, "q")) pushQuote(row, b, ts, out);
      else if (row.is(typeIx, "trade") || row.is(typeIx, "t")) {
        const q = qty ? qty.readUnsigned(row) : 0n;
        out.push(ts, TRADE[sideIx >= 0 ? row.side(sideIx) : 0], price.read(row), q);
      } else throw row.fail(typeIx, `a record type: "quote" or "trade"`);
    },
  };
}

function ohlcvLayout(names: readonly string[], dateIx: number, opts: CsvLayoutOptions): CsvLayout {
  const bars = new OhlcvDecoder(names, dateIx, opts);
  return {
    name: "ohlcv",
    hasHeader: true,
    names,
    recordsPerRow: OHLCV_RECORDS_PER_ROW,
    reads: [dateIx, ...["open", "high", "low", "close", "volume"].map((n) => names.indexOf(n))],
    decode(row, out) {
      row.expectColumns(names.length);
      bars.decode(row, out);
    },
  };
}

/** Headerless Binance dumps: fixed column positions, booleans as True/False. */
function binanceLayout(name: string, names: string[], tsIx: number, makerIx: number, opts: CsvLayoutOptions): CsvLayout {
  const time = new TimeColumn(tsIx, opts.timeUnit);
  const price = new Amount(1, false, 9);
  const qty = new Amount(2, false, 8);
  return {
    name,
    hasHeader: false,
    names,
    recordsPerRow: 1,
    decode(row, out) {
      row.expectColumns(names.length);
      const ts = time.read(row);
      const side = row.bool(makerIx) ? SideCode.Sell : SideCode.Buy;
      out.push(ts, TRADE[side], price.read(row), qty.readUnsigned(row));
    },
  };
}

const BOOL = /^"?(true|false)"?$/i;
const NUMERIC_START = /^"?-?[0-9]/;

const SUPPORTED =
  "a CSV header with time,price[,qty][,side] (trades), time,bid_px,bid_qty,ask_px,ask_qty (quotes), " +
  "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side (quotes+trades), date,open,high,low,close,volume (ohlcv), " +
  "or a headerless Binance trades/aggTrades dump";

/**
 * Picks the layout from the first non-comment line. Returns a fresh layout
 * (decoders keep per-file state such as the inferred time unit).
 */
export function detectLayout(firstLine: string, file: string, line: number, opts: CsvLayoutOptions = {}): CsvLayout {
  const raw = firstLine.split(",");
  const names = raw.map(norm);

  if (NUMERIC_START.test(raw[0].trim())) {
    const isBool = (i: number) => i < raw.length && BOOL.test(raw[i].trim());
    if (raw.length === 8 && isBool(6) && isBool(7)) {
      return binanceLayout("binance spot aggTrades", ["aggTradeId", "price", "qty", "firstTradeId", "lastTradeId", "time", "isBuyerMaker", "isBestMatch"], 5, 6, opts);
    }
    if (raw.length === 7 && isBool(5) && isBool(6)) {
      return binanceLayout("binance spot trades", ["id", "price", "qty", "quoteQty", "time", "isBuyerMaker", "isBestMatch"], 4, 5, opts);
    }
    if (raw.length === 7 && isBool(6)) {
      return binanceLayout("binance usd-m aggTrades", ["agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time", "is_buyer_maker"], 5, 6, opts);
    }
    if (raw.length === 6 && isBool(5)) {
      return binanceLayout("binance usd-m trades", ["id", "price", "qty", "quote_qty", "time", "is_buyer_maker"], 4, 5, opts);
    }
    throw new DataError({ file, line, expected: SUPPORTED, got: firstLine });
  }

  checkHeaderNames(raw, names, file, line);
  const time = timeColumn(names, opts);
  const b = book(names);
  const price = amount(names, 9, ["price", "px"], ["price_1e9"]);
  const typeIx = names.indexOf("type");
  let layout: CsvLayout | undefined;
  if (time && b && typeIx >= 0) {
    if (!price) throw new DataError({ file, line, expected: `a quotes+trades header with a price column (${COLUMNS["quotes+trades"]})`, got: firstLine });
    layout = combinedLayout(names, time, typeIx, b, price);
  } else if (time && b) layout = quotesLayout(names, time, b);
  else if (names.indexOf("date") >= 0 && names.includes("close")) layout = ohlcvLayout(names, names.indexOf("date"), opts);
  else if (time && price) layout = tradesLayout(names, time, price);
  if (!layout) throw new DataError({ file, line, expected: SUPPORTED, got: firstLine });
  checkUnread(layout, file, line);
  return layout;
}

/** What each header layout reads, for messages. */
const COLUMNS: Readonly<Record<string, string>> = {
  "quotes+trades": "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side",
  quotes: "<time>,bid_px,bid_qty,ask_px,ask_qty",
  ohlcv: "date,[open,high,low,]close,[volume]",
  trades: "<time>,price,[qty],[side | is_buyer_maker]",
};

/**
 * Columns real exports carry that no layout needs; they are allowed and not
 * read. Any other column a layout does not read is an error: a misspelled
 * "price" must not turn a quotes+trades file into a quotes-only one.
 */
const IGNORED = new Set(["adj_close", "adjclose", "id", "trade_id", "agg_trade_id", "first_trade_id", "last_trade_id", "quote_qty", "quoteqty", "is_best_match", "isbestmatch"]);

/** Header names must be UTF-8 text, non-empty and unique (after normalising). */
function checkHeaderNames(raw: readonly string[], names: readonly string[], file: string, line: number): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const where = { file, line, column: i + 1 };
    if (raw[i].includes("\uFFFD")) throw new DataError({ ...where, expected: "a column name in UTF-8 text", found: "a byte that is not UTF-8" });
    if (names[i] === "") throw new DataError({ ...where, expected: "a column name", found: "an empty one" });
    const first = seen.get(names[i]);
    if (first !== undefined) {
      throw new DataError({ ...where, field: names[i], expected: `each column once, but ${names[i]} is also column ${first + 1}`, got: raw[i].trim() });
    }
    seen.set(names[i], i);
  }
}

function checkUnread(layout: CsvLayout, file: string, line: number): void {
  const reads = new Set(layout.reads ?? []);
  layout.names.forEach((n, i) => {
    if (reads.has(i) || IGNORED.has(n)) return;
    throw new DataError({
      file,
      line,
      column: i + 1,
      expected: `a column the ${layout.name} layout reads (${COLUMNS[layout.name]}), or one it ignores (${[...IGNORED].join(", ")})`,
      got: n,
    });
  });
}
