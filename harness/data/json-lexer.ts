/**
 * A resumable JSON tokenizer over a sliding byte window, so a reader can walk
 * a document of any size holding only one chunk of it.
 *
 * `next()` returns one token, or `Tok.NeedMore` when the window ends inside a
 * token (or before one): the caller then refills the window keeping the bytes
 * from `consumed` on, calls `reset` with it (or `finish()` at end of file) and
 * calls `next()` again; the partial token is re-scanned from its start. Tokens are not materialised: the token's bytes
 * are `buf[start, end)` (for strings, without the quotes), so numbers can be
 * read digit by digit into bigint, exactly, and keys compared in place.
 *
 * Line numbers are tracked for messages (`line` is where the last token starts).
 */
import { DataError } from "./errors.ts";

export const Tok = {
  NeedMore: 0,
  End: 1,
  LBrace: 2,
  RBrace: 3,
  LBracket: 4,
  RBracket: 5,
  Colon: 6,
  Comma: 7,
  String: 8,
  Number: 9,
  True: 10,
  False: 11,
  Null: 12,
} as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

const TOKEN_NAMES: Record<Tok, string> = {
  0: "more input",
  1: "end of file",
  2: '"{"',
  3: '"}"',
  4: '"["',
  5: '"]"',
  6: '":"',
  7: '","',
  8: "a string",
  9: "a number",
  10: "true",
  11: "false",
  12: "null",
};

export function tokenName(t: Tok): string {
  return TOKEN_NAMES[t];
}

const EMPTY = Buffer.alloc(0);

export class JsonLexer {
  buf: Buffer = EMPTY;
  private pos = 0;
  private final = false;
  /** Token bytes are buf[start, end). */
  start = 0;
  end = 0;
  /** The last string token contained a backslash escape. */
  escaped = false;
  /** Line of the last token. */
  line = 1;
  private curLine = 1;

  constructor(readonly file: string) {}

  /** Where unconsumed input starts: what the caller must keep when refilling. */
  get consumed(): number {
    return this.pos;
  }

  /** The window after a refill, starting with the bytes kept from `consumed`. */
  reset(window: Buffer): void {
    this.buf = window;
    this.pos = 0;
  }

  /**
   * A whole document in `window` (one line of a JSONL file), numbered from
   * `line`: no more input will follow it.
   */
  whole(window: Buffer, line: number): void {
    this.buf = window;
    this.pos = 0;
    this.final = true;
    this.curLine = this.line = line;
  }

  /** No more input: a token at the end of the window is complete. */
  finish(): void {
    this.final = true;
  }

  /** An error at the current token; `got` is quoted text, `found` a phrase such as a tokenName. */
  fail(expected: string, got?: string, found?: string): DataError {
    return new DataError({ file: this.file, line: this.line, expected, got, found });
  }

  /** The current token's text (strings decoded, for values and messages). */
  text(): string {
    if (!this.escaped) return this.buf.toString("utf8", this.start, this.end);
    return JSON.parse(`"${this.buf.toString("utf8", this.start, this.end)}"`) as string;
  }

  /** True when the current (unescaped) string token equals an ASCII word. */
  is(word: string): boolean {
    if (this.escaped) return this.text() === word;
    const s = this.start;
    if (this.end - s !== word.length) return false;
    for (let k = 0; k < word.length; k++) if (this.buf[s + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  /**
   * Fast path for the punctuation a schema makes certain: skips whitespace
   * and consumes `c` if it comes next. Returns false (consuming only
   * whitespace) otherwise or when the window ends, and the caller falls back
   * to `next()`.
   */
  skip(c: number): boolean {
    const b = this.buf;
    const n = b.length;
    let i = this.pos;
    while (i < n) {
      const d = b[i];
      if (d === c) {
        this.pos = i + 1;
        return true;
      }
      if (d === 10) this.curLine++;
      else if (d !== 32 && d !== 9 && d !== 13) break;
      i++;
    }
    this.pos = i;
    return false;
  }

  next(): Tok {
    const b = this.buf;
    const n = b.length;
    let i = this.pos;
    // whitespace
    for (;;) {
      if (i >= n) {
        this.pos = i;
        return this.final ? Tok.End : Tok.NeedMore;
      }
      const c = b[i];
      if (c === 10) this.curLine++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      i++;
    }
    this.pos = i;
    this.line = this.curLine;
    const c = b[i];
    switch (c) {
      case 123:
        this.pos = i + 1;
        return Tok.LBrace;
      case 125:
        this.pos = i + 1;
        return Tok.RBrace;
      case 91:
        this.pos = i + 1;
        return Tok.LBracket;
      case 93:
        this.pos = i + 1;
        return Tok.RBracket;
      case 58:
        this.pos = i + 1;
        return Tok.Colon;
      case 44:
        this.pos = i + 1;
        return Tok.Comma;
      case 34: {
        let j = i + 1;
        let escaped = false;
        for (;;) {
          if (j >= n) {
            if (this.final) throw this.fail("a closing quote", undefined, "end of file");
            return Tok.NeedMore;
          }
          const d = b[j];
          if (d === 34) break;
          if (d === 92) {
            escaped = true;
            j += 2;
            continue;
          }
          if (d < 32) throw this.fail("no raw control characters or newlines inside a string");
          j++;
        }
        this.start = i + 1;
        this.end = j;
        this.escaped = escaped;
        this.pos = j + 1;
        return Tok.String;
      }
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n) {
        const d = b[j];
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      if (j >= n && !this.final) return Tok.NeedMore;
      this.start = i;
      this.end = j;
      this.pos = j;
      return Tok.Number;
    }
    if (c >= 97 && c <= 122) {
      let j = i + 1;
      while (j < n && b[j] >= 97 && b[j] <= 122) j++;
      if (j >= n && !this.final) return Tok.NeedMore;
      this.start = i;
      this.end = j;
      this.pos = j;
      this.escaped = false;
      if (this.is("true")) return Tok.True;
      if (this.is("false")) return Tok.False;
      if (this.is("null")) return Tok.Null;
      throw this.fail("a JSON value", this.buf.toString("utf8", i, j));
    }
    throw this.fail("a JSON token", String.fromCharCode(c));
  }
}
