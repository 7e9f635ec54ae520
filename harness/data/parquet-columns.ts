/**
 * One Parquet column of a row group → one array of record fields. A column
 * reader is chosen once per file from the column's schema (physical and
 * logical type, and its name), so a type we cannot read exactly is refused
 * when the file is opened, not halfway through a replay. Conversions are in
 * parquet-values.ts; every failure names the row and column (via `Fail`).
 */
import type { DecodedArray, SchemaElement } from "hyparquet";
import { FixedFail, fixedExpectation, type FinerDigits } from "./decimal.ts";
import { SideCode } from "../abi.ts";
import { NS_PER, inferTimeUnit, type TimeUnit } from "./time.ts";
import { leInteger, beInteger, rescale, shortestDecimal, textValue } from "./parquet-values.ts";

/** A top-level column of the file. */
export interface FileColumn {
  /** As written in the file. */
  readonly name: string;
  /** 1-based position among the file's columns, for messages. */
  readonly position: number;
  readonly element: SchemaElement;
}

/** Builds the error for row `row` (0-based in the row group) of `column`. */
export type Fail = (row: number, column: FileColumn, expected: string, got?: string) => Error;

const I64_MAX = (1n << 63n) - 1n;

/** The column's type as a reader would say it: "INT64", "DOUBLE", "BYTE_ARRAY (UTF8)", "INT64 (DECIMAL(18,2))". */
export function typeName(e: SchemaElement): string {
  const lt = e.logical_type;
  const logical = lt?.type === "DECIMAL" ? `DECIMAL(${lt.precision},${lt.scale})` : lt?.type === "TIMESTAMP" ? `TIMESTAMP(${lt.unit})` : lt?.type === "INTEGER" ? `${lt.isSigned ? "" : "U"}INT${lt.bitWidth}` : lt?.type;
  const annotation = logical ?? (e.converted_type === "DECIMAL" ? `DECIMAL(${e.precision},${e.scale})` : e.converted_type);
  const physical = e.type === "FIXED_LEN_BYTE_ARRAY" ? `FIXED_LEN_BYTE_ARRAY(${e.type_length})` : (e.type ?? "a group");
  return annotation ? `${physical} (${annotation})` : physical;
}

function decimalScale(e: SchemaElement): number | undefined {
  if (e.logical_type?.type === "DECIMAL") return e.logical_type.scale;
  if (e.converted_type === "DECIMAL") return e.scale ?? 0;
  return undefined;
}

function isUnsigned(e: SchemaElement): boolean {
  const lt = e.logical_type;
  if (lt?.type === "INTEGER") return !lt.isSigned;
  return e.converted_type === "UINT_8" || e.converted_type === "UINT_16" || e.converted_type === "UINT_32" || e.converted_type === "UINT_64";
}

/** A physical integer as a bigint, with unsigned columns' wrapped values restored. */
function integer(v: number | bigint, e: SchemaElement): bigint {
  const b = typeof v === "bigint" ? v : BigInt(v);
  if (b >= 0n || !isUnsigned(e)) return b;
  return b + (e.type === "INT64" ? 1n << 64n : 1n << 32n);
}

const utf8 = new TextDecoder();

/** A text cell: a string, or the bytes of a BYTE_ARRAY without a UTF8 mark (older writers leave it off). */
function asText(v: unknown): string {
  return typeof v === "string" ? v : v instanceof Uint8Array ? utf8.decode(v) : String(v);
}

/** Converted cells: the values, and which were null (when the column allows nulls). */
export interface Cells {
  readonly values: BigInt64Array;
  readonly nulls: Uint8Array | undefined;
}

type Mode =
  | { kind: "integer"; from: number }
  | { kind: "decimal"; from: number }
  | { kind: "raw"; from: number; bytes: number }
  | { kind: "text"; scaled: boolean }
  | { kind: "float"; single: boolean; scaled: boolean };

/**
 * A price or quantity column, read at scale 10^decimals (9 prices, 8
 * quantities). `scaled` means the name says the values are already at that
 * scale (`price_1e9`); `nautilus` reads NautilusTrader's fixed-point raws.
 */
export class AmountColumn {
  private readonly mode: Mode;

  constructor(
    readonly column: FileColumn,
    readonly decimals: 9 | 8,
    private readonly options: { scaled: boolean; nautilus: boolean; nonNegative: boolean; rounding: FinerDigits },
  ) {
    const mode = AmountColumn.modeOf(column.element, decimals, options.scaled, options.nautilus);
    if (!mode) throw new TypeError(`column ${column.name}: ${typeName(column.element)} cannot hold an amount (check modeOf first)`);
    this.mode = mode;
  }

  /** How this column's values are read, or undefined when its type cannot hold an exact amount. */
  static modeOf(e: SchemaElement, decimals: number, scaled: boolean, nautilus: boolean): Mode | undefined {
    const scale = decimalScale(e);
    if (scale !== undefined && (e.type === "INT32" || e.type === "INT64" || e.type === "FIXED_LEN_BYTE_ARRAY" || e.type === "BYTE_ARRAY")) {
      return { kind: "decimal", from: scale };
    }
    if (nautilus && e.type === "FIXED_LEN_BYTE_ARRAY" && (e.type_length === 8 || e.type_length === 16)) {
      return { kind: "raw", from: e.type_length === 8 ? 9 : 16, bytes: e.type_length };
    }
    if (nautilus && e.type === "INT64") return { kind: "integer", from: 9 }; // before 16-byte raws: i64/u64 at 1e9
    if (e.type === "INT32" || e.type === "INT64") return { kind: "integer", from: scaled ? decimals : 0 };
    if (e.type === "BYTE_ARRAY") return { kind: "text", scaled };
    if (e.type === "DOUBLE" || e.type === "FLOAT") return { kind: "float", single: e.type === "FLOAT", scaled };
    return undefined;
  }

  private get what(): string {
    const noun = this.decimals === 9 ? "price" : "quantity";
    return this.options.scaled ? `an integer ${noun} in 1e-${this.decimals} units` : `a decimal ${noun}`;
  }

  convert(data: DecodedArray, fail: Fail): Cells {
    const n = data.length;
    const values = new BigInt64Array(n);
    let nulls: Uint8Array | undefined;
    const { column, decimals } = this;
    const { rounding, nonNegative } = this.options;
    const e = column.element;
    const mode = this.mode;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v === null || v === undefined) {
        (nulls ??= new Uint8Array(n))[i] = 1;
        continue;
      }
      let r: bigint | FixedFail;
      let base = 0n; // the stored integer, at 10^-from (for messages)
      switch (mode.kind) {
        case "integer":
          r = rescale((base = integer(v, e)), mode.from, decimals, rounding);
          break;
        case "decimal":
          r = rescale((base = v instanceof Uint8Array ? beInteger(v) : integer(v, e)), mode.from, decimals, rounding);
          break;
        case "raw":
          r = rescale((base = leInteger(v, decimals === 9)), mode.from, decimals, rounding);
          break;
        case "text":
        case "float": {
          const text = mode.kind === "text" ? asText(v) : shortestDecimal(v, mode.single);
          if (text === undefined) throw fail(i, column, `${this.what} (a finite number)`, asText(v));
          r = textValue(text, mode.scaled ? 0 : decimals, rounding);
          break;
        }
      }
      if (typeof r !== "bigint" || (nonNegative && r < 0n)) {
        // What the file holds: the text, the number, or a stored integer with its scale.
        const got = mode.kind === "text" ? asText(v) : mode.kind === "float" || mode.from === 0 ? asText(v) : `${base}e-${mode.from}`;
        if (typeof r === "bigint") throw fail(i, column, `a ${decimals === 9 ? "price" : "quantity"} >= 0`, got);
        const scaledText = mode.kind === "text" || mode.kind === "float" ? mode.scaled : false;
        throw fail(i, column, fixedExpectation(r, this.what, scaledText ? 0 : decimals), got);
      }
      values[i] = r;
    }
    return { values, nulls };
  }
}

const UNIT_OF_NAME: Readonly<Record<string, TimeUnit>> = { ts_ns: "ns", ts_us: "us", ts_ms: "ms", ts_s: "s" };

/** The unit a timestamp column declares: by its name, or by its TIMESTAMP type. */
export function declaredUnit(name: string, e: SchemaElement): TimeUnit | undefined {
  const lt = e.logical_type;
  if (lt?.type === "TIMESTAMP") return lt.unit === "NANOS" ? "ns" : lt.unit === "MICROS" ? "us" : "ms";
  if (e.converted_type === "TIMESTAMP_MILLIS") return "ms";
  if (e.converted_type === "TIMESTAMP_MICROS") return "us";
  if (e.type === "INT96") return "ns"; // days and nanoseconds, decoded to ns by the reader
  return UNIT_OF_NAME[name];
}

/**
 * An epoch time column → ns. The unit is declared (name or type), given, or
 * inferred from the file's first value (time.ts) and then kept for the file.
 */
export class TimeColumn {
  private unit: TimeUnit | undefined;

  constructor(
    readonly column: FileColumn,
    unit: TimeUnit | undefined,
  ) {
    this.unit = unit;
  }

  static readable(e: SchemaElement): boolean {
    return e.type === "INT64" || e.type === "INT32" || e.type === "INT96" || e.type === "BYTE_ARRAY";
  }

  convert(data: DecodedArray, fail: Fail): BigInt64Array {
    const n = data.length;
    const out = new BigInt64Array(n);
    const { column } = this;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v === null || v === undefined) throw fail(i, column, "an integer epoch timestamp", "null");
      let t: bigint | FixedFail;
      if (typeof v === "string" || v instanceof Uint8Array) t = textValue(asText(v), 0, "reject");
      else t = integer(v, column.element);
      if (typeof t !== "bigint") throw fail(i, column, "an integer epoch timestamp", asText(v));
      const unit = (this.unit ??= inferTimeUnit(t));
      const ns = unit === "ns" ? t : t * NS_PER[unit];
      if (ns < 0n || ns > I64_MAX) throw fail(i, column, "a timestamp from 1970 on that fits i64 nanoseconds", asText(v));
      out[i] = ns;
    }
    return out;
  }
}

/**
 * An aggressor side column: text (buy/sell/b/s, any case; empty or null for
 * none), a boolean `is_buyer_maker` (true: the resting order was the buy, so
 * the aggressor sold), or NautilusTrader's AggressorSide codes (0 none,
 * 1 buyer, 2 seller — the record's own codes).
 */
export class SideColumn {
  constructor(
    readonly column: FileColumn,
    readonly buyerMaker: boolean,
  ) {}

  static readable(e: SchemaElement, buyerMaker: boolean): boolean {
    return buyerMaker ? e.type === "BOOLEAN" || e.type === "BYTE_ARRAY" : e.type === "BYTE_ARRAY" || e.type === "INT32";
  }

  convert(data: DecodedArray, fail: Fail): Uint8Array {
    const n = data.length;
    const out = new Uint8Array(n);
    const { column } = this;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v === null || v === undefined) continue;
      if (this.buyerMaker) {
        const s = asText(v).toLowerCase();
        const b = typeof v === "boolean" ? v : s === "true" ? true : s === "false" ? false : undefined;
        if (b === undefined) throw fail(i, column, "a boolean: true or false", asText(v));
        out[i] = b ? SideCode.Sell : SideCode.Buy;
      } else if (typeof v === "number") {
        if (v !== 0 && v !== 1 && v !== 2) throw fail(i, column, "an aggressor side: 0 (none), 1 (buyer) or 2 (seller)", asText(v));
        out[i] = v;
      } else {
        const s = asText(v).toLowerCase();
        if (s === "buy" || s === "b") out[i] = SideCode.Buy;
        else if (s === "sell" || s === "s") out[i] = SideCode.Sell;
        else if (s !== "") throw fail(i, column, `a side: "buy" or "sell" (or empty)`, asText(v));
      }
    }
    return out;
  }
}

export const ROW_QUOTE = 1;
export const ROW_TRADE = 2;

/** The `type` column of a quotes+trades table: "quote"/"q" or "trade"/"t", any case. */
export class TypeColumn {
  constructor(readonly column: FileColumn) {}

  static readable(e: SchemaElement): boolean {
    return e.type === "BYTE_ARRAY";
  }

  convert(data: DecodedArray, fail: Fail): Uint8Array {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const s = asText(data[i] ?? "").toLowerCase();
      if (s === "quote" || s === "q") out[i] = ROW_QUOTE;
      else if (s === "trade" || s === "t") out[i] = ROW_TRADE;
      else throw fail(i, this.column, `a record type: "quote" or "trade"`, data[i] === null ? "null" : asText(data[i]));
    }
    return out;
  }
}
