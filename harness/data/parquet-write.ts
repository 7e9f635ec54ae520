/**
 * Writes QUOTE and TRADE records as a Parquet file that pandas, pyarrow,
 * polars, DuckDB (and this toolkit's reader, parquet.ts) read as a plain
 * table: integers at the record's fixed point, never floats.
 *
 *   trades         ts_ns, price_1e9, qty_1e8, side
 *   quotes         ts_ns, bid_px_1e9, bid_qty_1e8, ask_px_1e9, ask_qty_1e8
 *   quotes+trades  ts_ns, type, bid_px_1e9, bid_qty_1e8, ask_px_1e9, ask_qty_1e8, price_1e9, qty_1e8, side
 *
 * A stream of one kind gets that kind's table; a stream with both gets one
 * table in time order with a `type` column ("quote"/"trade") whose other
 * kind's columns are null — the combined CSV's shape (csv-write.ts), so
 * `df[df.type == "trade"]` splits it. ts_ns is INT64 TIMESTAMP(NANOS, UTC)
 * (pandas shows datetimes); prices and quantities are INT64 named for their
 * scale, and the key-value metadata says it again (price_scale 1e9,
 * qty_scale 1e8), with the layout, symbol, venue (instrument_id
 * "SYMBOL.VENUE", as NautilusTrader writes it), record count and time range.
 * side is "buy", "sell" or null.
 *
 * The layout is chosen from the first row group's kinds; should a later row
 * group bring the other kind, the file is written again as quotes+trades
 * (the source is read a second time). Row groups hold at most
 * PARQUET_ROW_GROUP_ROWS rows, so memory does not grow with the stream. The
 * file is written aside and renamed when complete (atomic-write.ts).
 */
import { ParquetWriter, fileWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import { writeAtomically } from "./atomic-write.ts";
import { DataError } from "./errors.ts";
import { KIND_NAMES, Kind } from "../abi.ts";
import { headerKind, headerSide, tsOf, Word, wordOf, wordStart } from "../record-view.ts";
import type { TickSource } from "./source.ts";

export interface WriteParquetOptions {
  /** Written to the metadata (symbol, and instrument_id with the venue). */
  readonly symbol?: string;
  readonly venue?: string;
  /** Called after each row group with the records written so far. */
  readonly onProgress?: (records: number) => void;
  /** Rows per row group; default PARQUET_ROW_GROUP_ROWS. */
  readonly rowGroupRows?: number;
}

export type ParquetTable = "trades" | "quotes" | "quotes+trades";

export interface ParquetWritten {
  readonly records: number;
  readonly layout: ParquetTable;
  readonly rowGroups: number;
}

export const PARQUET_ROW_GROUP_ROWS = 65_536;

const TS: SchemaElement = { name: "ts_ns", type: "INT64", repetition_type: "REQUIRED", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" } };
const int64 = (name: string, optional: boolean): SchemaElement => ({ name, type: "INT64", repetition_type: optional ? "OPTIONAL" : "REQUIRED" });
const text = (name: string, optional: boolean): SchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: optional ? "OPTIONAL" : "REQUIRED" });

const BOOK = ["bid_px_1e9", "bid_qty_1e8", "ask_px_1e9", "ask_qty_1e8"];

function schemaOf(layout: ParquetTable): SchemaElement[] {
  const leaves =
    layout === "trades"
      ? [TS, int64("price_1e9", false), int64("qty_1e8", false), text("side", true)]
      : layout === "quotes"
        ? [TS, ...BOOK.map((n) => int64(n, false))]
        : [TS, text("type", false), ...BOOK.map((n) => int64(n, true)), int64("price_1e9", true), int64("qty_1e8", true), text("side", true)];
  return [{ name: "schema", num_children: leaves.length }, ...leaves];
}

const SIDES = [null, "buy", "sell"];

/** One row group's records, copied out of the source's (reused) batches. */
class Rows {
  length = 0;
  readonly ts: BigInt64Array;
  readonly kind: Uint8Array;
  readonly side: Uint8Array;
  readonly words: BigInt64Array; // w2..w5 of each record

  constructor(readonly capacity: number) {
    this.ts = new BigInt64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.side = new Uint8Array(capacity);
    this.words = new BigInt64Array(capacity * 4);
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  /** The table's columns for these rows. */
  columns(layout: ParquetTable): ColumnSource[] {
    const n = this.length;
    const w = this.words;
    const word = (k: number, only?: number): BigInt64Array | (bigint | null)[] => {
      if (only === undefined) {
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) out[i] = w[i * 4 + k];
        return out;
      }
      const out: (bigint | null)[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = this.kind[i] === only ? w[i * 4 + k] : null;
      return out;
    };
    const side = Array.from(this.side.subarray(0, n), (s, i) => (this.kind[i] === Kind.Trade ? SIDES[s] : null));
    const ts: ColumnSource = { name: "ts_ns", data: this.ts.slice(0, n), encoding: "DELTA_BINARY_PACKED" }; // times rise by small steps
    if (layout === "trades") return [ts, { name: "price_1e9", data: word(0) }, { name: "qty_1e8", data: word(1) }, { name: "side", data: side }];
    if (layout === "quotes") return [ts, ...BOOK.map((name, k) => ({ name, data: word(k) }))];
    const type = Array.from(this.kind.subarray(0, n), (k) => (k === Kind.Quote ? "quote" : "trade"));
    return [
      ts,
      { name: "type", data: type },
      ...BOOK.map((name, k) => ({ name, data: word(k, Kind.Quote) })),
      { name: "price_1e9", data: word(0, Kind.Trade) },
      { name: "qty_1e8", data: word(1, Kind.Trade) },
      { name: "side", data: side },
    ];
  }
}

/** Thrown inside a pass when the stream holds a kind the chosen table cannot. */
class NeedsBothKinds extends Error {}

/**
 * Writes every record of `source` to `path` as Parquet, atomically. Only
 * plain QUOTE and TRADE records have a Parquet form here; any other kind
 * (bars and their prints, book levels) is a DataError naming the record.
 */
export async function writeParquet(path: string, source: TickSource, options: WriteParquetOptions = {}): Promise<ParquetWritten> {
  const capacity = options.rowGroupRows ?? PARQUET_ROW_GROUP_ROWS;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`rowGroupRows must be a positive integer, got ${capacity}`);
  return writeAtomically(path, async (tmp) => {
    try {
      return await writePass(path, tmp, source, options, capacity, undefined);
    } catch (e) {
      if (!(e instanceof NeedsBothKinds)) throw e;
      return writePass(path, tmp, source, options, capacity, "quotes+trades");
    }
  });
}

async function writePass(path: string, tmp: string, source: TickSource, options: WriteParquetOptions, capacity: number, forced: ParquetTable | undefined): Promise<ParquetWritten> {
  const rows = new Rows(capacity);
  let layout = forced;
  let writer: ParquetWriter | undefined;
  let records = 0;
  let rowGroups = 0;
  let firstTs: bigint | undefined;
  let lastTs: bigint | undefined;
  const flush = () => {
    if (rows.length === 0) return;
    if (!layout) {
      const kinds = new Set(rows.kind.subarray(0, rows.length));
      layout = kinds.size === 2 ? "quotes+trades" : kinds.has(Kind.Quote) ? "quotes" : "trades";
    }
    writer ??= new ParquetWriter({ writer: fileWriter(tmp), schema: schemaOf(layout), createdBy: "sequence-algo" });
    writer.write({ columnData: rows.columns(layout), rowGroupSize: rows.length });
    records += rows.length;
    rowGroups++;
    rows.length = 0;
    options.onProgress?.(records);
  };
  for await (const batch of source.batches()) {
    const w = batch.words;
    for (let i = 0; i < batch.length; i++) {
      const head = wordOf(w, i, Word.Header);
      const kind = headerKind(head);
      const hasSub = head > 0xffffn; // a sub or aux: a bar's print
      if ((kind !== Kind.Quote && kind !== Kind.Trade) || hasSub) {
        throw new DataError({ file: path, line: 0, expected: "QUOTE and TRADE records only (Parquet output holds trades and quotes)", found: `a ${KIND_NAMES[kind] ?? `kind ${kind}`} record${hasSub ? " with a sub-kind (a bar's print)" : ""} (record ${records + rows.length + 1} of ${source.description})` });
      }
      if (layout && layout !== "quotes+trades" && kind !== (layout === "quotes" ? Kind.Quote : Kind.Trade)) throw new NeedsBothKinds();
      const r = rows.length++;
      const ts = tsOf(w, i);
      rows.ts[r] = ts;
      rows.kind[r] = kind;
      rows.side[r] = headerSide(head);
      // the payload, words 2-5 (bid/ask or trade px, qty)
      const payload = wordStart(i) + Word.BidPx;
      rows.words.set(w.subarray(payload, payload + 4), r * 4);
      firstTs ??= ts;
      lastTs = ts;
      if (rows.full) flush();
    }
  }
  flush();
  if (!writer || !layout) {
    throw new DataError({ file: path, line: 0, expected: "records to write", found: `none in ${source.description}` });
  }
  writer.kvMetadata = metadata(layout, options, records, firstTs!, lastTs!, source.description);
  writer.finish();
  return { records, layout, rowGroups };
}

function metadata(layout: ParquetTable, options: WriteParquetOptions, records: number, first: bigint, last: bigint, description: string): { key: string; value: string }[] {
  const kv: [string, string | undefined][] = [
    ["layout", layout],
    ["ts_unit", "ns"],
    ["price_scale", "1e9"],
    ["qty_scale", "1e8"],
    ["symbol", options.symbol],
    ["venue", options.venue],
    ["instrument_id", options.symbol && options.venue ? `${options.symbol}.${options.venue}` : undefined],
    ["records", String(records)],
    ["first_ts_ns", String(first)],
    ["last_ts_ns", String(last)],
    ["source", description],
  ];
  return kv.filter((e): e is [string, string] => e[1] !== undefined).map(([key, value]) => ({ key, value }));
}
