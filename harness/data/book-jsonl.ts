/**
 * L2 book files: JSON Lines, one update (or trade) per line, exact decimals.
 *
 *   {"ts_ns": 1704205800000000000, "type": "snapshot", "bids": [["100.00", "5"], ["99.99", "3"]], "asks": [["100.01", "2"]]}
 *   {"ts_ns": 1704205800001000000, "type": "delta", "bids": [["100.00", "0"]], "asks": [["100.02", "4"]]}
 *   {"ts_ns": 1704205800002000000, "type": "trade", "price": "100.01", "qty": "1", "side": "buy"}
 *
 * - `snapshot` replaces both sides with the levels given (a side may be
 *   empty); `delta` sets each level given to its size, "0" removing it
 *   (removing a level that is not there changes nothing). A level is
 *   [price, size]; each is a decimal string or a JSON number, read digit by
 *   digit (never through a float) at price 1e9 / qty 1e8.
 * - `trade` is a print: price, qty (optional, 0 = unknown), side (the
 *   aggressor, optional).
 * - Keys may come in any order; unknown keys are skipped. Lines starting with
 *   "#" and blank lines are skipped; leading "#" lines are the file's notes
 *   (the synthetic generator's banner) and appear in the description.
 *
 * Records (docs/abi.md): each book line becomes a run of DEPTH records (kind
 * 7) at its ts, a snapshot's first record of each side carrying
 * DepthFlag.Clear (a side with no levels still gets one record, qty 0, to
 * clear it) and the line's last record DepthFlag.Last; then, when the update
 * changed the best bid or ask (price or size), a QUOTE record with the new
 * top, so algos and the venue that read only quotes work on L2 data as on L1.
 *
 * Refused, with file and line: a delta before the first snapshot (the book
 * would be unknown; trim the file to start at a snapshot), a price twice on
 * one side of a snapshot, a negative size, and a crossed book after an
 * update (best bid >= best ask: one venue's complete book cannot be).
 *
 * Memory: one read window, one batch, and the book itself (the levels the
 * file shows at once), never the file. A line may hold any number of levels
 * up to the longest line a reader carries (batching.ts).
 */
import { DataError } from "./errors.ts";
import { FixedFail, fixedExpectation, formatFixed, scanFixed, scanInteger, type FinerDigits } from "./decimal.ts";
import { JsonLexer, Tok, tokenName } from "./json-lexer.ts";
import { RecordBatch } from "./record.ts";
import { DepthFlag, Kind, SideCode } from "../abi.ts";
import { header } from "../record-view.ts";
import type { TickSource } from "./source.ts";
import { batchSizeOf } from "./batching.ts";
import { FileWindow } from "./file-window.ts";
import { TimeGuard } from "./time.ts";
import { readHead, type TextReaderOptions } from "./csv.ts";
import { L2Book } from "../venue/l2-book.ts";

export type BookJsonlOptions = TextReaderOptions;

const NL = 10;
const CR = 13;
const HASH = 35;

const Type = { None: 0, Snapshot: 1, Delta: 2, Trade: 3 } as const;
type Type = (typeof Type)[keyof typeof Type];


/** The levels of one side of one line, in file order; reused from line to line. */
class Levels {
  readonly px: bigint[] = [];
  readonly qty: bigint[] = [];
  count = 0;
  /** The key was present (a snapshot's empty side is still a side). */
  given = false;

  reset(): void {
    this.count = 0;
    this.given = false;
  }

  add(px: bigint, qty: bigint): void {
    this.px[this.count] = px;
    this.qty[this.count] = qty;
    this.count++;
  }
}

/** One parsed line. */
class Line {
  type: Type = Type.None;
  ts: bigint | undefined;
  price: bigint | undefined;
  qty = 0n;
  side = 0;
  readonly bids = new Levels();
  readonly asks = new Levels();

  reset(): void {
    this.type = Type.None;
    this.ts = undefined;
    this.price = undefined;
    this.qty = 0n;
    this.side = 0;
    this.bids.reset();
    this.asks.reset();
  }
}

const Key = { Other: 0, Ts: 1, Type: 2, Bids: 3, Asks: 4, Price: 5, Qty: 6, Side: 7 } as const;
type Key = (typeof Key)[keyof typeof Key];

/** The key the lexer's current string token names, compared in place (no string is made). */
function keyOf(lex: JsonLexer): Key {
  if (lex.is("bids")) return Key.Bids;
  if (lex.is("asks")) return Key.Asks;
  if (lex.is("ts_ns")) return Key.Ts;
  if (lex.is("type")) return Key.Type;
  if (lex.is("price")) return Key.Price;
  if (lex.is("qty")) return Key.Qty;
  if (lex.is("side")) return Key.Side;
  return Key.Other;
}

/** Reads one JSON object per line into a `Line`: the schema above, as a recursive descent over the lexer. */
class LineParser {
  readonly lex: JsonLexer;
  readonly out = new Line();

  constructor(
    readonly file: string,
    private readonly rounding: FinerDigits,
  ) {
    this.lex = new JsonLexer(file);
  }

  parse(bytes: Buffer, line: number): Line {
    const lex = this.lex;
    const out = this.out;
    out.reset();
    lex.whole(bytes, line);
    this.expect(lex.next(), Tok.LBrace, "one JSON object per line");
    let t = lex.next();
    if (t !== Tok.RBrace) {
      for (;;) {
        this.expect(t, Tok.String, "a key");
        const key = keyOf(lex);
        this.expect(lex.next(), Tok.Colon, '":"');
        this.value(key, lex.next());
        t = lex.next();
        if (t === Tok.RBrace) break;
        this.expect(t, Tok.Comma, '"," or "}"');
        t = lex.next();
      }
    }
    this.expect(lex.next(), Tok.End, "end of line after the object");
    return out;
  }

  private value(key: Key, t: Tok): void {
    const out = this.out;
    switch (key) {
      case Key.Ts: {
        const v = t === Tok.Number || (t === Tok.String && !this.lex.escaped) ? scanInteger(this.lex.buf, this.lex.start, this.lex.end) : null;
        if (typeof v !== "bigint" || v < 0n) throw this.fail("ts_ns", v === null ? "an integer ts_ns (ns since the epoch)" : v === FixedFail.Overflow ? "a ts_ns that fits a signed 64-bit integer" : "an integer ts_ns >= 0 (ns since the epoch)", t);
        out.ts = v;
        return;
      }
      case Key.Type: {
        const lex = this.lex;
        if (t === Tok.String) {
          out.type = lex.is("delta") ? Type.Delta : lex.is("snapshot") ? Type.Snapshot : lex.is("trade") ? Type.Trade : Type.None;
          if (out.type !== Type.None) return;
        }
        throw this.fail("type", '"snapshot", "delta" or "trade"', t);
      }
      case Key.Bids:
        this.levels("bids", out.bids, t);
        return;
      case Key.Asks:
        this.levels("asks", out.asks, t);
        return;
      case Key.Price:
        out.price = this.decimal(t, "price", 9, "a decimal price");
        return;
      case Key.Qty:
        if (t === Tok.Null) return;
        out.qty = this.decimal(t, "qty", 8, "a decimal quantity");
        if (out.qty < 0n) throw this.fail("qty", "a quantity >= 0", t);
        return;
      case Key.Side:
        if (t === Tok.Null) return;
        if (t === Tok.String) {
          const s = this.lex.text().toLowerCase();
          if (s === "buy" || s === "sell") {
            out.side = s === "buy" ? SideCode.Buy : SideCode.Sell;
            return;
          }
        }
        throw this.fail("side", '"buy", "sell" or null', t);
      default:
        this.skip(t, 0);
    }
  }

  private levels(key: string, into: Levels, t: Tok): void {
    const lex = this.lex;
    if (t !== Tok.LBracket) throw this.fail(key, "an array of [price, size] levels", t);
    into.given = true;
    t = lex.next();
    if (t === Tok.RBracket) return;
    for (let i = 0; ; i++) {
      const at = `${key}[${i}]`;
      if (t !== Tok.LBracket) throw this.fail(at, "a level [price, size]", t);
      const px = this.decimal(lex.next(), `${at} price`, 9, "a decimal price");
      this.expect(lex.next(), Tok.Comma, `"," between the price and size of ${at}`);
      const qty = this.decimal(lex.next(), `${at} size`, 8, "a decimal size");
      if (qty < 0n) throw this.fail(`${at} size`, "a size >= 0 (0 removes the level)", Tok.String);
      this.expect(lex.next(), Tok.RBracket, `"]" closing ${at} (a level is [price, size])`);
      into.add(px, qty);
      t = lex.next();
      if (t === Tok.RBracket) return;
      this.expect(t, Tok.Comma, `"," or "]" after ${at}`);
      t = lex.next();
    }
  }

  private decimal(t: Tok, field: string, decimals: number, what: string): bigint {
    const lex = this.lex;
    if (t === Tok.Number || (t === Tok.String && !lex.escaped)) {
      const v = scanFixed(lex.buf, lex.start, lex.end, decimals, this.rounding);
      if (typeof v === "bigint") return v;
      throw this.fail(field, fixedExpectation(v, what, decimals), t);
    }
    throw this.fail(field, what, t);
  }

  private skip(t: Tok, depth: number): void {
    if (depth > 64) throw this.lex.fail("JSON nested at most 64 deep");
    if (t === Tok.LBrace || t === Tok.LBracket) {
      const close = t === Tok.LBrace ? Tok.RBrace : Tok.RBracket;
      let u = this.lex.next();
      if (u === close) return;
      for (;;) {
        if (close === Tok.RBrace) {
          this.expect(u, Tok.String, "a key");
          this.expect(this.lex.next(), Tok.Colon, '":"');
          u = this.lex.next();
        }
        this.skip(u, depth + 1);
        u = this.lex.next();
        if (u === close) return;
        this.expect(u, Tok.Comma, `"," or ${tokenName(close)}`);
        u = this.lex.next();
      }
    }
    if (t !== Tok.String && t !== Tok.Number && t !== Tok.True && t !== Tok.False && t !== Tok.Null) {
      throw this.lex.fail("a JSON value", undefined, tokenName(t));
    }
  }

  private expect(t: Tok, want: Tok, what: string): void {
    if (t !== want) throw this.lex.fail(what, undefined, tokenName(t));
  }

  /** An error about the current token: its text quoted when it is a value, else its name. */
  fail(field: string, expected: string, t: Tok): DataError {
    const lex = this.lex;
    const value = t === Tok.String || t === Tok.Number || t === Tok.True || t === Tok.False;
    return new DataError({
      file: this.file,
      line: lex.line,
      field,
      expected,
      got: value ? lex.buf.toString("utf8", lex.start, lex.end) : undefined,
      found: value ? undefined : tokenName(t),
    });
  }
}

/** The records one line becomes, written into a batch by the reader (which yields when it fills). */
class Updater {
  readonly book = new L2Book();
  private sawSnapshot = false;
  private bidPx: bigint | undefined;
  private bidQty = 0n;
  private askPx: bigint | undefined;
  private askQty = 0n;
  /** The current line's records: header fields packed as kind | side << 8 | sub << 16, and payload words w2..w5. */
  readonly heads: number[] = [];
  readonly payload: bigint[] = [];
  count = 0;

  constructor(private readonly file: string) {}

  /** Applies a parsed line to the book and lists its records; `line` is for messages. */
  take(l: Line, line: number): void {
    this.count = 0;
    const where = { file: this.file, line };
    if (l.ts === undefined) throw new DataError({ ...where, expected: 'a "ts_ns" on every line' });
    if (l.type === Type.None) throw new DataError({ ...where, expected: 'a "type": "snapshot", "delta" or "trade"' });
    if (l.type === Type.Trade) {
      if (l.price === undefined) throw new DataError({ ...where, expected: 'a trade with a "price"' });
      if (l.bids.given || l.asks.given) throw new DataError({ ...where, expected: 'a trade without "bids" or "asks" (put the book in its own line)' });
      this.push(Kind.Trade | (l.side << 8), l.price, l.qty, 0n, 0n);
      return;
    }
    if (l.price !== undefined) throw new DataError({ ...where, field: "price", expected: `no "price" in a ${l.type === Type.Snapshot ? "snapshot" : "delta"} (levels go in "bids" and "asks")` });
    const snapshot = l.type === Type.Snapshot;
    if (!snapshot && !this.sawSnapshot) {
      throw new DataError({ ...where, expected: "a snapshot before the first delta (the book is unknown until one; start the file at a snapshot)", got: "delta" });
    }
    if (snapshot) this.sawSnapshot = true;
    this.side(l.bids, SideCode.Buy, snapshot, where);
    this.side(l.asks, SideCode.Sell, snapshot, where);
    if (this.count === 0) return; // an empty delta: nothing changed
    this.heads[this.count - 1] |= DepthFlag.Last << 16;
    const book = this.book;
    if (book.crossed()) {
      throw new DataError({ ...where, expected: "an uncrossed book after the update (best bid < best ask)", found: `best bid ${formatFixed(book.bids.px(0)!, 9)} >= best ask ${formatFixed(book.asks.px(0)!, 9)}` });
    }
    const bp = book.bids.px(0);
    const bq = book.bids.qty(0);
    const ap = book.asks.px(0);
    const aq = book.asks.qty(0);
    if (bp !== this.bidPx || bq !== this.bidQty || ap !== this.askPx || aq !== this.askQty) {
      this.bidPx = bp;
      this.bidQty = bq;
      this.askPx = ap;
      this.askQty = aq;
      this.push(Kind.Quote, bp ?? 0n, bq, ap ?? 0n, aq);
    }
  }

  private side(levels: Levels, code: number, snapshot: boolean, where: { file: string; line: number }): void {
    const side = this.book.side(code);
    const name = code === SideCode.Buy ? "bids" : "asks";
    const depth = Kind.Depth | (code << 8);
    if (snapshot) {
      side.clear();
      // A side with no levels still needs one record to clear it in the algo's book.
      if (levels.count === 0) this.push(depth | (DepthFlag.Clear << 16), 0n, 0n, 0n, 0n);
    }
    for (let i = 0; i < levels.count; i++) {
      const px = levels.px[i];
      const qty = levels.qty[i];
      if (snapshot && side.sizeAt(px) !== 0n) {
        throw new DataError({ ...where, field: `${name}[${i}]`, expected: "each price once per side in a snapshot", got: formatFixed(px, 9) });
      }
      side.set(px, qty);
      this.push(snapshot && i === 0 ? depth | (DepthFlag.Clear << 16) : depth, px, qty, 0n, 0n);
    }
  }

  private push(head: number, a: bigint, b: bigint, c: bigint, d: bigint): void {
    const k = this.count++;
    this.heads[k] = head;
    const o = k * 4;
    const w = this.payload;
    w[o] = a;
    w[o + 1] = b;
    w[o + 2] = c;
    w[o + 3] = d;
  }
}

export class BookJsonlSource implements TickSource {
  /** Bytes of the file the current pass has read (progress of a conversion). */
  bytesRead = 0;

  constructor(
    readonly path: string,
    readonly description: string,
    private readonly options: BookJsonlOptions = {},
  ) {}

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const batch = new RecordBatch(batchSizeOf(batchSize));
    const file = this.path;
    const parser = new LineParser(file, this.options.rounding ?? "reject");
    const updater = new Updater(file);
    const guard = new TimeGuard(file);
    const win = await FileWindow.open(file, this.options.chunkBytes);
    let line = 0;
    try {
      let pos = 0;
      let more = true;
      while (more) {
        more = await win.fill(pos, line + 1);
        this.bytesRead = win.bytesRead;
        const buf = win.view();
        pos = 0;
        for (;;) {
          let nl = buf.indexOf(NL, pos);
          if (nl < 0) {
            if (more || pos >= buf.length) break;
            nl = buf.length; // the last line, without a newline
          }
          line++;
          let e = nl;
          if (e > pos && buf[e - 1] === CR) e--;
          const s = skipSpace(buf, pos, e);
          pos = nl + 1;
          if (s === e || buf[s] === HASH) continue;
          const l = parser.parse(buf.subarray(s, e), line);
          updater.take(l, line);
          if (updater.count === 0) continue;
          guard.check(l.ts!, line);
          // A snapshot may be longer than a batch: records go out as the batch fills.
          const w = updater.payload;
          for (let k = 0; k < updater.count; k++) {
            const h = updater.heads[k];
            const o = k * 4;
            batch.push(l.ts!, header(h & 0xff, (h >> 8) & 0xff, h >> 16), w[o], w[o + 1], w[o + 2], w[o + 3]);
            if (batch.full) {
              yield batch;
              batch.clear();
            }
          }
        }
      }
    } finally {
      await win.close();
    }
    if (batch.length > 0) yield batch;
  }
}

function skipSpace(buf: Buffer, s: number, e: number): number {
  while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
  return s;
}

/** True when the first data line of `head` looks like an L2 book line (an object with a "type" of snapshot, delta or trade). */
export function looksLikeBookJsonl(head: Buffer): boolean {
  const text = head.toString("utf8");
  for (const raw of text.split("\n")) {
    const l = raw.trim();
    if (l === "" || l.startsWith("#")) continue;
    return l.startsWith("{") && /"type"\s*:\s*"(snapshot|delta|trade)"/.test(l);
  }
  return false;
}

/** Opens an L2 book JSONL file; its leading "#" lines become part of the description. */
export async function openBookJsonl(path: string, options: BookJsonlOptions = {}): Promise<BookJsonlSource> {
  const head = await readHead(path, 64 * 1024);
  const notes: string[] = [];
  for (const raw of head.toString("utf8").replace(/^\uFEFF/, "").split("\n")) {
    const l = raw.trim();
    if (l === "") continue;
    if (!l.startsWith("#")) break;
    notes.push(l.replace(/^#+\s*/, ""));
  }
  const description = options.description ?? `L2 book JSONL ${path}${notes.length ? ` (${notes.join(" ")})` : ""}`;
  return new BookJsonlSource(path, description, options);
}
