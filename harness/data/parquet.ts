/**
 * Parquet tick files (trades or quotes: NautilusTrader's catalog layout or a
 * plain table; see parquet-layouts.ts), read with hyparquet (pure
 * JavaScript).
 *
 * Memory is bounded by one row group, not the file: the footer is read once,
 * then each row group's needed columns are read, converted to records and
 * dropped before the next. hyparquet would turn DECIMAL and TIMESTAMP columns
 * into floats and Dates, so it is given a copy of the schema without logical
 * types and hands over the stored integers, which parquet-columns.ts converts
 * exactly.
 *
 * Errors name the file, the row (counting from 1 over the whole file, shown
 * as "record N"), the row group (from 1) and the column.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, type AsyncBuffer, type Compressors, type DecodedArray, type FileMetaData } from "hyparquet";
import { gunzipSync } from "fflate";
import { batchSizeOf } from "./batching.ts";
import type { FinerDigits } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { RecordBatch } from "./record.ts";
import { RecordCheck } from "./record-check.ts";
import type { TickSource } from "./source.ts";
import type { TimeUnit } from "./time.ts";
import type { Fail, FileColumn } from "./parquet-columns.ts";
import { detectParquetLayout, type ParquetLayout } from "./parquet-layouts.ts";


export interface ParquetOptions {
  /** Unit of `timestamp`/`time` integer columns; default: inferred from the first row. */
  readonly timeUnit?: TimeUnit;
  /** How to treat digits finer than the record's scale (1e-9 prices, 1e-8 quantities); default "reject". */
  readonly rounding?: FinerDigits;
  /** Replaces the generated description. */
  readonly description?: string;
}

/** Codecs hyparquet reads itself, plus gzip through fflate. */
const COMPRESSORS: Compressors = { GZIP: (input) => gunzipSync(input) };
const CODECS = new Set(["UNCOMPRESSED", "SNAPPY", "GZIP"]);
/** The legacy INT96 timestamps (Spark, old pandas) as exact ns, not a Date: the one conversion left after stripping types. */
const INT96_AS_NS = { timestampFromNanoseconds: (ns: bigint) => ns };

export class ParquetSource implements TickSource {
  constructor(
    readonly path: string,
    /** The detected layout name, e.g. "NautilusTrader trades" or "quotes+trades". */
    readonly format: string,
    readonly description: string,
    /** Rows in the file. */
    readonly rows: number,
    private readonly options: ParquetOptions = {},
    /** What the file's metadata names (ours: `symbol`, `venue`; NautilusTrader's: `instrument_id` SYMBOL.VENUE). */
    readonly names: { readonly symbol?: string; readonly venue?: string } = {},
  ) {}

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const size = batchSizeOf(batchSize);
    const path = this.path;
    const { file, metadata, columns } = await readFooter(path);
    const layout = detectParquetLayout(columns, path, this.options); // fresh: the inferred time unit is per replay
    const plain = withoutLogicalTypes(metadata);
    const scan = await parquetScan({ file, metadata: plain, columns: [...layout.reads], compressors: COMPRESSORS, useOffsetIndex: false, parsers: INT96_AS_NS, utf8: false });
    const check = new RecordCheck(path, "record");
    const batch = new RecordBatch(size);
    let first = 0; // the group's first row in the file, from 0
    for (let g = 0; g < metadata.row_groups.length; g++) {
      const rows = Number(metadata.row_groups[g].num_rows);
      if (rows === 0) continue;
      const group = g + 1;
      const at = first;
      const fail: Fail = (row, column, expected, got) => rowError(path, at + row + 1, group, column, expected, got);
      const data = new Map<string, DecodedArray>();
      for (const name of layout.reads) {
        try {
          data.set(name, await scan.readColumn({ column: name, rowStart: first, rowEnd: first + rows }));
        } catch (e) {
          throw new DataError({ file: path, line: 0, field: `row group ${group}, column ${name}`, expected: "a readable Parquet column chunk", found: (e as Error).message });
        }
      }
      const records = layout.decode(data, fail);
      data.clear();
      for (let i = 0; i < rows; i++) {
        records.push(i, batch);
        try {
          check.check(batch, batch.length - 1, first + i + 1);
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          throw new DataError({ file: path, line: e.line, unit: "record", field: `row group ${group}, ${e.field}`, expected: e.expected, got: e.got, found: e.found });
        }
        if (batch.full) {
          yield batch;
          batch.clear();
        }
      }
      first += rows;
    }
    if (batch.length > 0) yield batch;
    else if (first === 0) throw new DataError({ file: path, line: 0, expected: "rows of ticks", found: "none (a Parquet file with 0 rows is not a run of 0 ticks)" });
  }
}

function rowError(file: string, row: number, group: number, column: FileColumn, expected: string, got?: string): DataError {
  return new DataError({ file, line: row, unit: "record", field: `row group ${group}, column ${column.position} (${column.name})`, expected, got });
}

interface Footer {
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: FileColumn[];
  keyValues: Map<string, string>;
}

/** Reads and checks the footer: top-level primitive columns, codecs we can read. */
async function readFooter(path: string): Promise<Footer> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new DataError({ file: path, line: 0, expected: "a Parquet file (PAR1 … footer … PAR1)", found: (e as Error).message });
  }
  const columns: FileColumn[] = [];
  const schema = metadata.schema;
  for (let i = 1, position = 1; i < schema.length; i++, position++) {
    const element = schema[i];
    if (element.num_children) {
      throw new DataError({ file: path, line: 0, column: position, field: element.name, expected: "flat columns (no nested groups, lists or maps)", found: "a nested column" });
    }
    if (element.repetition_type === "REPEATED") {
      throw new DataError({ file: path, line: 0, column: position, field: element.name, expected: "flat columns (no repeated fields)", found: "a repeated column" });
    }
    columns.push({ name: element.name, position, element });
  }
  for (const [g, rg] of metadata.row_groups.entries()) {
    for (const chunk of rg.columns) {
      const codec = chunk.meta_data?.codec;
      if (codec && !CODECS.has(codec)) {
        throw new DataError({ file: path, line: 0, field: `row group ${g + 1}, column ${chunk.meta_data?.path_in_schema.join(".")}`, expected: "UNCOMPRESSED, SNAPPY or GZIP compression (re-save with one of them, e.g. pyarrow's compression=\"snappy\")", found: codec });
      }
    }
  }
  const keyValues = new Map((metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? ""]));
  return { file, metadata, columns, keyValues };
}

/**
 * A copy of the metadata whose leaf columns carry only their physical type
 * (text keeps its UTF8 mark), so hyparquet converts nothing but text; with
 * `utf8: false` an unmarked BYTE_ARRAY (a DECIMAL's bytes) stays bytes.
 */
function withoutLogicalTypes(metadata: FileMetaData): FileMetaData {
  const schema = metadata.schema.map((e, i) => {
    if (i === 0 || e.num_children) return e;
    const text = e.converted_type === "UTF8" || e.logical_type?.type === "STRING";
    return { ...e, converted_type: text ? ("UTF8" as const) : undefined, logical_type: undefined };
  });
  return { ...metadata, schema };
}

/** The description: layout, path, and what the file says about itself (instrument, precisions, origin). */
function describe(path: string, layout: ParquetLayout, kv: Map<string, string>): string {
  const notes: string[] = [];
  const instrument = kv.get("instrument_id") ?? [kv.get("symbol"), kv.get("venue")].filter(Boolean).join(" on ");
  if (instrument) notes.push(instrument);
  if (kv.has("price_precision")) notes.push(`price precision ${kv.get("price_precision")}`);
  if (kv.has("size_precision")) notes.push(`size precision ${kv.get("size_precision")}`);
  const origin = kv.get("source");
  if (origin) notes.push(`from ${origin}`);
  return `${layout.name} Parquet ${path}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

/**
 * Opens a Parquet file: reads its footer and picks the layout from the
 * columns, so an unreadable or unknown file fails here, not mid-replay.
 */
export async function openParquet(path: string, options: ParquetOptions = {}): Promise<ParquetSource> {
  const { metadata, columns, keyValues } = await readFooter(path);
  const layout = detectParquetLayout(columns, path, options);
  const rows = Number(metadata.num_rows);
  return new ParquetSource(path, layout.name, options.description ?? describe(path, layout, keyValues), rows, options, namesOf(keyValues));
}

function namesOf(kv: Map<string, string>): { symbol?: string; venue?: string } {
  const id = kv.get("instrument_id");
  const dot = id?.lastIndexOf(".") ?? -1;
  return {
    symbol: kv.get("symbol") || (id && dot > 0 ? id.slice(0, dot) : id) || undefined,
    venue: kv.get("venue") || (id && dot > 0 ? id.slice(dot + 1) : undefined) || undefined,
  };
}
