/**
 * Time in the harness is one integer: nanoseconds since the Unix epoch
 * (`ts_ns`, bigint). This module converts the other spellings found in files
 * (seconds/ms/µs integers, calendar dates) exactly, and guards the one
 * invariant every reader promises: time never goes backwards.
 */
import { DataError } from "./errors.ts";

export type TimeUnit = "s" | "ms" | "us" | "ns";

export const NS_PER: Readonly<Record<TimeUnit, bigint>> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };

/**
 * Guesses the unit of an epoch integer from its magnitude. For any date
 * between 1973 and 5138 the four units are at least 1000× apart, so the
 * thresholds sit between them: < 1e11 seconds, < 1e14 milliseconds,
 * < 1e17 microseconds, otherwise nanoseconds. (2025 is ~1.7e9 s, 1.7e12 ms,
 * 1.7e15 µs, 1.7e18 ns.) Readers infer once, from a file's first row, and keep
 * the unit for the whole file.
 */
export function inferTimeUnit(v: bigint): TimeUnit {
  const a = v < 0n ? -v : v;
  if (a < 100_000_000_000n) return "s";
  if (a < 100_000_000_000_000n) return "ms";
  if (a < 100_000_000_000_000_000n) return "us";
  return "ns";
}

/**
 * Days since 1970-01-01 for a proleptic Gregorian date, integer-only
 * (Howard Hinnant's days_from_civil).
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses `YYYY-MM-DD` from bytes into days since the epoch, or returns
 * undefined if the text is not a valid calendar date.
 */
export function scanDate(b: Uint8Array, start: number, end: number): number | undefined {
  if (end - start !== 10 || b[start + 4] !== 45 || b[start + 7] !== 45) return undefined;
  const y = digits(b, start, 4);
  const m = digits(b, start + 5, 2);
  const d = digits(b, start + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = b[i] - 48;
    if (c >>> 0 > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export const NS_PER_DAY = 86_400_000_000_000n;

/**
 * Tracks the last timestamp of a stream and rejects one that goes backwards.
 * `point` (price_history JSON) names the array element, since a whole
 * document may sit on one line.
 */
export class TimeGuard {
  private last = -(1n << 63n);
  private lastLine = 0;
  private lastPoint = -1;

  constructor(
    private readonly file: string,
    private readonly unit: "line" | "record" = "line",
  ) {}

  check(ts: bigint, line: number, point = -1): void {
    if (ts < this.last) {
      const prev = point >= 0 ? `points[${this.lastPoint}]` : this.unit === "record" ? `record ${this.lastLine}` : `line ${this.lastLine}`;
      throw new DataError({
        file: this.file,
        line,
        unit: this.unit,
        field: point >= 0 ? `points[${point}].ts_ns` : "timestamp",
        expected: `time in order: a timestamp >= ${this.last} ns (from ${prev})`,
        got: ts.toString(),
      });
    }
    this.last = ts;
    this.lastLine = line;
    this.lastPoint = point;
  }
}

/**
 * The fraction {@link isoNs} writes: "ns" all nine digits (data files, CSV
 * columns, logs: every tick distinct); "ms" to the millisecond, left out when
 * zero (summaries: "2024-01-02T14:30:01Z").
 */
export type IsoDigits = "ns" | "ms";

/** Seconds a Date can hold either side of 1970 (±8.64e15 ms). */
const DATE_LIMIT_S = 8_640_000_000_000n;

/**
 * Nanoseconds since the epoch → ISO 8601, UTC: the host's one ns → time
 * formatter. isoNs(1704205801000000123n) → "2024-01-02T14:30:01.000000123Z";
 * with "ms" → "2024-01-02T14:30:01Z". Times before 1970 count back (floor);
 * beyond what a Date holds the text is "<ts> ns".
 */
export function isoNs(ts: bigint, digits: IsoDigits = "ns"): string {
  let sec = ts / NS_PER.s;
  let frac = ts % NS_PER.s;
  if (frac < 0n) {
    sec -= 1n;
    frac += NS_PER.s;
  }
  if (sec > DATE_LIMIT_S || sec < -DATE_LIMIT_S) return `${ts} ns`;
  const whole = new Date(Number(sec) * 1000).toISOString().slice(0, -5); // without ".000Z"
  if (digits === "ns") return `${whole}.${frac.toString().padStart(9, "0")}Z`;
  const ms = frac / NS_PER.ms;
  return ms === 0n ? `${whole}Z` : `${whole}.${ms.toString().padStart(3, "0")}Z`;
}
