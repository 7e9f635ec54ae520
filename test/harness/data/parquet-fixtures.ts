// Parquet files for the reader's tests, written with hyparquet-writer in the
// shapes other tools produce: NautilusTrader's catalog (pyarrow/arrow-rs
// write its Arrow schema as below: FixedSizeBinary → FIXED_LEN_BYTE_ARRAY,
// UInt8 → INT32 INTEGER(8, unsigned), UInt64 → INT64 INTEGER(64, unsigned)),
// and plain tables as pandas writes them.
import { gzipSync } from "fflate";
import { ParquetWriter, fileWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";

export interface Table {
  schema: SchemaElement[]; // leaves only
  columns: ColumnSource["data"][];
  kv?: Record<string, string>;
  rowGroupSize?: number;
  codec?: "SNAPPY" | "UNCOMPRESSED" | "GZIP" | "ZSTD";
}

export function writeTable(path: string, t: Table): string {
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: [{ name: "schema", num_children: t.schema.length }, ...t.schema],
    codec: t.codec ?? "SNAPPY",
    // ZSTD: a stand-in that stores the bytes, only so the footer names the codec.
    compressors: { ZSTD: (b: Uint8Array) => b, GZIP: (b: Uint8Array) => gzipSync(b) },
    kvMetadata: Object.entries(t.kv ?? {}).map(([key, value]) => ({ key, value })),
  });
  writer.write({ columnData: t.schema.map((e, i) => ({ name: e.name, data: t.columns[i] })), rowGroupSize: t.rowGroupSize ?? 1_000_000 });
  writer.finish();
  return path;
}

/** NautilusTrader's raw fixed point: little-endian two's complement, 8 or 16 bytes. */
export function raw(value: bigint, bytes: 8 | 16): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt.asUintN(bytes * 8, value);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export const U8: Partial<SchemaElement> = { type: "INT32", logical_type: { type: "INTEGER", bitWidth: 8, isSigned: false } };
export const U64: Partial<SchemaElement> = { type: "INT64", logical_type: { type: "INTEGER", bitWidth: 64, isSigned: false } };
export const UTF8: Partial<SchemaElement> = { type: "BYTE_ARRAY", converted_type: "UTF8" };

export function col(name: string, type: Partial<SchemaElement>, optional = false): SchemaElement {
  return { name, repetition_type: optional ? "OPTIONAL" : "REQUIRED", ...type } as SchemaElement;
}

export function flba(name: string, bytes: number): SchemaElement {
  return { name, type: "FIXED_LEN_BYTE_ARRAY", type_length: bytes, repetition_type: "REQUIRED" };
}

/** A NautilusTrader TradeTick file: prices/sizes as raws of `bytes` bytes. */
export function nautilusTrades(path: string, bytes: 8 | 16, rows: { price: bigint; size: bigint; side: number; tsEvent: bigint; tsInit: bigint }[], kv: Record<string, string>, rowGroupSize?: number): string {
  return writeTable(path, {
    schema: [flba("price", bytes), flba("size", bytes), col("aggressor_side", U8), col("trade_id", UTF8), col("ts_event", U64), col("ts_init", U64)],
    columns: [
      rows.map((r) => raw(r.price, bytes)),
      rows.map((r) => raw(r.size, bytes)),
      rows.map((r) => r.side),
      rows.map((_, i) => `T-${i + 1}`),
      rows.map((r) => r.tsEvent),
      rows.map((r) => r.tsInit),
    ],
    kv,
    rowGroupSize,
  });
}
