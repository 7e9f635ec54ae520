/**
 * One CSV line split into fields, read straight from the byte buffer the
 * file was loaded into: no per-row strings, no regex. Field accessors convert
 * exactly (via decimal.ts) and throw a DataError naming the file, line,
 * column number and column name.
 *
 * The dialect is the plain one market data uses: comma separated, one record
 * per line (LF or CRLF), surrounding spaces trimmed, a field wrapped in double
 * quotes has them removed. Quoted fields containing commas or newlines are not
 * supported (no market-data format we read produces them).
 */
import { DataError } from "./errors.ts";
import { FixedFail, fixedError, scanFixed, scanInteger, type FinerDigits } from "./decimal.ts";
import { SideCode } from "../abi.ts";
import { scanDate } from "./time.ts";

const COMMA = 44;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;

export class CsvRow {
  buf: Uint8Array = new Uint8Array(0);
  line = 0;
  count = 0;
  private starts = new Int32Array(32);
  private ends = new Int32Array(32);

  constructor(
    readonly file: string,
    /** Column names for messages (header names, or documented names for headerless files). */
    public names: readonly string[] = [],
    readonly rounding: FinerDigits = "reject",
  ) {}

  /** Splits `buf[start, end)` (one line, no terminator) into fields. */
  split(buf: Uint8Array, start: number, end: number, line: number): void {
    this.buf = buf;
    this.line = line;
    let n = 0;
    let s = start;
    for (;;) {
      let e = s;
      while (e < end && buf[e] !== COMMA) e++;
      if (n === this.starts.length) this.grow();
      let a = s;
      let b = e;
      while (a < b && (buf[a] === SPACE || buf[a] === TAB)) a++;
      while (b > a && (buf[b - 1] === SPACE || buf[b - 1] === TAB)) b--;
      if (b - a >= 2 && buf[a] === QUOTE && buf[b - 1] === QUOTE) {
        a++;
        b--;
      }
      this.starts[n] = a;
      this.ends[n] = b;
      n++;
      if (e >= end) break;
      s = e + 1;
    }
    this.count = n;
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    const e = new Int32Array(this.ends.length * 2);
    s.set(this.starts);
    e.set(this.ends);
    this.starts = s;
    this.ends = e;
  }

  /** Throws unless the row has exactly `n` fields. */
  expectColumns(n: number): void {
    if (this.count !== n) {
      throw new DataError({
        file: this.file,
        line: this.line,
        expected: `${n} comma-separated columns${this.names.length ? ` (${this.names.join(",")})` : ""}`,
        got: `${this.count} columns`,
      });
    }
  }

  isEmpty(i: number): boolean {
    return this.starts[i] === this.ends[i];
  }

  /** Case-insensitive comparison with a lower-case ASCII word. */
  is(i: number, lower: string): boolean {
    const s = this.starts[i];
    if (this.ends[i] - s !== lower.length) return false;
    for (let k = 0; k < lower.length; k++) {
      if ((this.buf[s + k] | 0x20) !== lower.charCodeAt(k)) return false;
    }
    return true;
  }

  text(i: number): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength).toString(
      "utf8",
      this.starts[i],
      this.ends[i],
    );
  }

  fail(i: number, expected: string): DataError {
    return new DataError({
      file: this.file,
      line: this.line,
      column: i + 1,
      field: this.names[i],
      expected,
      got: this.text(i),
    });
  }

  /** A decimal scaled by 10^decimals, exact (see decimal.ts). */
  fixed(i: number, decimals: number, what: string): bigint {
    const v = scanFixed(this.buf, this.starts[i], this.ends[i], decimals, this.rounding);
    if (typeof v === "bigint") return v;
    throw this.fixedFail(i, v, what, decimals);
  }

  /** A decimal scaled by 10^decimals that must not be negative. */
  unsigned(i: number, decimals: number, what: string): bigint {
    const v = this.fixed(i, decimals, what);
    if (v < 0n) throw this.fail(i, `${what} >= 0`);
    return v;
  }

  /** Digits with an optional "-" only. */
  integer(i: number, what: string): bigint {
    const v = scanInteger(this.buf, this.starts[i], this.ends[i]);
    if (typeof v === "bigint") return v;
    throw this.fixedFail(i, v, what, 0);
  }

  private fixedFail(i: number, fail: FixedFail, what: string, decimals: number): DataError {
    return fixedError(fail, { file: this.file, line: this.line, column: i + 1, field: this.names[i] }, this.text(i), what, decimals);
  }

  /** `buy`/`b` → Buy, `sell`/`s` → Sell (any case), empty → None. */
  side(i: number): SideCode {
    const b = this.buf;
    const s = this.starts[i];
    const n = this.ends[i] - s;
    if (n === 0) return SideCode.None;
    const c = b[s] | 0x20;
    if (c === 98 /* b */ && (n === 1 || (n === 3 && (b[s + 1] | 0x20) === 117 && (b[s + 2] | 0x20) === 121))) {
      return SideCode.Buy;
    }
    if (
      c === 115 /* s */ &&
      (n === 1 || (n === 4 && (b[s + 1] | 0x20) === 101 && (b[s + 2] | 0x20) === 108 && (b[s + 3] | 0x20) === 108))
    ) {
      return SideCode.Sell;
    }
    throw this.fail(i, `a side: "buy" or "sell" (or empty)`);
  }

  /** `true`/`false` in any case (Binance writes `True`/`False`). */
  bool(i: number): boolean {
    const b = this.buf;
    const s = this.starts[i];
    const n = this.ends[i] - s;
    if (n === 4 && (b[s] | 0x20) === 116 && (b[s + 1] | 0x20) === 114 && (b[s + 2] | 0x20) === 117 && (b[s + 3] | 0x20) === 101) {
      return true;
    }
    if (
      n === 5 &&
      (b[s] | 0x20) === 102 &&
      (b[s + 1] | 0x20) === 97 &&
      (b[s + 2] | 0x20) === 108 &&
      (b[s + 3] | 0x20) === 115 &&
      (b[s + 4] | 0x20) === 101
    ) {
      return false;
    }
    throw this.fail(i, `a boolean: true or false`);
  }

  /** `YYYY-MM-DD` → days since 1970-01-01. */
  date(i: number): number {
    const d = scanDate(this.buf, this.starts[i], this.ends[i]);
    if (d === undefined) throw this.fail(i, "a date YYYY-MM-DD");
    return d;
  }
}
