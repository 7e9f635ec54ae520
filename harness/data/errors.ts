/**
 * Errors raised while reading tick data. Every reader reports a bad input
 * the same way: which file, which line (or record), which column, what was
 * expected and what was found, so a user can jump straight to the culprit:
 *
 *   ticks.csv:17: column 3 (qty): expected a decimal quantity, got "abc"
 */

/** Where a value came from. `line` is 1-based; 0 means "the file as a whole". */
export interface Where {
  readonly file: string;
  readonly line: number;
  /** 1-based column (CSV) */
  readonly column?: number;
  /** column or key name, e.g. "qty" or "points[3].price_1e9" */
  readonly field?: string;
  /** What `line` counts: text lines (default) or 48-byte records (.ticks files). */
  readonly unit?: "line" | "record";
}

export interface DataErrorInit extends Where {
  /** What the reader wanted, phrased to follow "expected": "a decimal quantity". */
  readonly expected: string;
  /** The offending text, quoted in the message; omit when there is none. */
  readonly got?: string;
  /** What was found instead, already phrased ("end of file", `"]"`): not quoted. */
  readonly found?: string;
}

export class DataError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly field?: string;
  readonly unit: "line" | "record";
  readonly expected: string;
  readonly got?: string;
  readonly found?: string;

  constructor(init: DataErrorInit) {
    super(formatDataError(init));
    this.name = "DataError";
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.field = init.field;
    this.unit = init.unit ?? "line";
    this.expected = init.expected;
    this.got = init.got;
    this.found = init.found;
  }
}

/** Longest offending text quoted in a message; the rest is elided. */
const MAX_GOT = 80;

function formatDataError(e: DataErrorInit): string {
  let at = e.file;
  if (e.line > 0) at += e.unit === "record" ? `: record ${e.line}` : `:${e.line}`;
  let where = "";
  if (e.column !== undefined) {
    where = e.field !== undefined ? `column ${e.column} (${e.field}): ` : `column ${e.column}: `;
  } else if (e.field !== undefined) {
    where = `${e.field}: `;
  }
  let msg = `${at}: ${where}expected ${e.expected}`;
  if (e.got !== undefined) {
    const got = e.got.length > MAX_GOT ? `${e.got.slice(0, MAX_GOT)}…` : e.got;
    msg += `, got ${JSON.stringify(got)}`;
  } else if (e.found !== undefined) {
    msg += `, got ${e.found}`;
  }
  return msg;
}
