/**
 * The `price_history` JSON document (docs: shared spec wire.md):
 *
 *   {"symbol": "BTC-USD", "source": "...", "window": ...,
 *    "points": [{"ts_ns": 1700000000000000000, "price_1e9": 97000010000000,
 *                "qty_1e8": 1500000, "side": "buy", "venue_id": ...}, ...],
 *    "underlying": ...}
 *
 * Read as a stream: the document is tokenized chunk by chunk (json-lexer.ts)
 * and the `points` array is walked object by object, so a file of any size
 * needs one chunk plus one batch of memory; nothing parses the whole document.
 * Integers are read from their digits straight into bigint, so values above
 * 2^53 (every ts_ns) are exact. Integer fields may also be given as strings of
 * digits ("ts_ns": "1700000000000000000"), as some encoders do for big numbers.
 *
 * Each point becomes one TRADE record: px = price_1e9, qty = qty_1e8 (0 when
 * absent or null), side from "buy"/"sell" (none when absent or null).
 * `venue_id` and unknown keys are skipped; so are `window`, `underlying` and
 * unknown top-level keys (only their brackets are checked). Keys may come in
 * any order; `symbol` and `source` are picked up wherever they appear.
 */
import { DataError } from "./errors.ts";
import { FixedFail, fixedExpectation, scanInteger } from "./decimal.ts";
import { JsonLexer, Tok, tokenName } from "./json-lexer.ts";
import { RecordBatch } from "./record.ts";
import { Kind, SideCode } from "../abi.ts";
import { header } from "../record-view.ts";
import type { TickSource } from "./source.ts";
import { batchSizeOf } from "./batching.ts";
import { FileWindow } from "./file-window.ts";
import { RecordCheck } from "./record-check.ts";

export interface PriceHistoryOptions {
  /** Replaces the generated description. */
  readonly description?: string;
  /** Read size in bytes (tests use tiny values to split tokens across chunks). */
  readonly chunkBytes?: number;
}

const TRADE = [header(Kind.Trade, SideCode.None), header(Kind.Trade, SideCode.Buy), header(Kind.Trade, SideCode.Sell)];

const COLON = 58;
const COMMA = 44;

// Parser states.
const S = {
  TopOpen: 0,
  TopKeyOrEnd: 1,
  TopKey: 2,
  TopColon: 3,
  TopValue: 4,
  TopAfterValue: 5,
  TopDone: 6,
  PointsFirst: 7,
  PointsNext: 8,
  PointOpen: 9,
  PointKeyOrEnd: 10,
  PointKey: 11,
  PointColon: 12,
  PointValue: 13,
  PointAfterValue: 14,
  Skip: 15,
} as const;
type S = (typeof S)[keyof typeof S];

/** Why `run` returned. */
const Stop = { Full: 0, NeedMore: 1, Done: 2, AtPoints: 3 } as const;
type Stop = (typeof Stop)[keyof typeof Stop];

const TopKey = { Other: 0, Symbol: 1, Source: 2, Points: 3 } as const;
const PointKey = { Other: 0, Ts: 1, Price: 2, Qty: 3, Side: 4 } as const;

/** The schema-aware push parser: tokens in, records out. */
class PriceHistoryParser {
  symbol: string | undefined;
  source: string | undefined;
  private state: S = S.TopOpen;
  private topKey = 0;
  private sawPoints = false;
  private pointKey = 0;
  private index = -1;
  private pointLine = 0;
  private ts: bigint | undefined;
  private px: bigint | undefined;
  private qty = 0n;
  private side = 0;
  private skipStack: number[] = [];
  private skipReturn: S = S.TopAfterValue;

  constructor(
    private readonly lex: JsonLexer,
    private readonly check: RecordCheck,
  ) {}

  /**
   * Consumes tokens until the batch is full, input runs out, the document
   * ends, or (with `out` null) the points array is reached.
   */
  run(out: RecordBatch | null): Stop {
    const lex = this.lex;
    for (;;) {
      const t = lex.next();
      if (t === Tok.NeedMore) return Stop.NeedMore;
      switch (this.state) {
        case S.TopOpen:
          this.expect(t, Tok.LBrace, "a price_history object");
          this.state = S.TopKeyOrEnd;
          break;
        case S.TopKeyOrEnd:
        case S.TopKey:
          if (t === Tok.RBrace && this.state === S.TopKeyOrEnd) {
            this.endDocument();
            break;
          }
          this.expect(t, Tok.String, "a key");
          this.topKey = lex.is("points") ? TopKey.Points : lex.is("symbol") ? TopKey.Symbol : lex.is("source") ? TopKey.Source : TopKey.Other;
          this.state = S.TopColon;
          break;
        case S.TopColon:
          this.expect(t, Tok.Colon, '":"');
          this.state = S.TopValue;
          break;
        case S.TopValue:
          if (this.topKey === TopKey.Points) {
            this.expect(t, Tok.LBracket, "an array of points");
            this.sawPoints = true;
            this.state = S.PointsFirst;
            if (out === null) return Stop.AtPoints;
          } else if (this.topKey === TopKey.Symbol && (t === Tok.String || t === Tok.Null)) {
            this.symbol = t === Tok.String ? lex.text() : undefined;
            this.state = S.TopAfterValue;
          } else if (this.topKey === TopKey.Source && (t === Tok.String || t === Tok.Null)) {
            this.source = t === Tok.String ? lex.text() : undefined;
            this.state = S.TopAfterValue;
          } else if (this.topKey === TopKey.Symbol) {
            throw lex.fail("symbol: a string", undefined, tokenName(t));
          } else {
            this.skipValue(t, S.TopAfterValue);
          }
          break;
        case S.TopAfterValue:
          if (t === Tok.Comma) this.state = S.TopKey;
          else if (t === Tok.RBrace) this.endDocument();
          else throw lex.fail('"," or "}"', undefined, tokenName(t));
          break;
        case S.TopDone:
          if (t !== Tok.End) throw lex.fail("end of file after the price_history object", undefined, tokenName(t));
          return Stop.Done;
        case S.PointsFirst:
        case S.PointOpen:
          if (t === Tok.RBracket && this.state === S.PointsFirst) {
            this.state = S.TopAfterValue;
            break;
          }
          this.expect(t, Tok.LBrace, "a point object {ts_ns, price_1e9, ...}");
          this.index++;
          this.pointLine = lex.line;
          this.ts = undefined;
          this.px = undefined;
          this.qty = 0n;
          this.side = 0;
          this.state = S.PointKeyOrEnd;
          break;
        case S.PointsNext:
          if (t === Tok.Comma) this.state = S.PointOpen;
          else if (t === Tok.RBracket) this.state = S.TopAfterValue;
          else throw lex.fail('"," or "]" in the points array', undefined, tokenName(t));
          break;
        case S.PointKeyOrEnd:
        case S.PointKey:
          if (t === Tok.RBrace && this.state === S.PointKeyOrEnd) {
            if (this.emit(out)) return Stop.Full;
            break;
          }
          this.expect(t, Tok.String, "a key");
          this.pointKey = lex.is("ts_ns")
            ? PointKey.Ts
            : lex.is("price_1e9")
              ? PointKey.Price
              : lex.is("qty_1e8")
                ? PointKey.Qty
                : lex.is("side")
                  ? PointKey.Side
                  : PointKey.Other;
          this.state = lex.skip(COLON) ? S.PointValue : S.PointColon;
          break;
        case S.PointColon:
          this.expect(t, Tok.Colon, '":"');
          this.state = S.PointValue;
          break;
        case S.PointValue:
          this.pointValue(t);
          break;
        case S.PointAfterValue:
          if (t === Tok.Comma) this.state = S.PointKey;
          else if (t === Tok.RBrace) {
            if (this.emit(out)) return Stop.Full;
          } else throw lex.fail('"," or "}" in a point', undefined, tokenName(t));
          break;
        case S.Skip:
          this.skipToken(t);
          break;
      }
    }
  }

  private expect(t: Tok, want: Tok, what: string): void {
    if (t !== want) throw this.lex.fail(what, undefined, tokenName(t));
  }

  private endDocument(): void {
    if (!this.sawPoints) throw this.lex.fail('a "points" array in the price_history object');
    this.state = S.TopDone;
  }

  private field(name: string): string {
    return `points[${this.index}].${name}`;
  }

  private pointValue(t: Tok): void {
    const lex = this.lex;
    switch (this.pointKey) {
      case PointKey.Ts:
        this.ts = this.integer(t, "ts_ns", "an integer ts_ns (ns since the epoch)");
        if (this.ts < 0n) throw this.fail("ts_ns", "a ts_ns >= 0");
        break;
      case PointKey.Price:
        this.px = this.integer(t, "price_1e9", "an integer price_1e9");
        break;
      case PointKey.Qty:
        if (t === Tok.Null) this.qty = 0n;
        else {
          this.qty = this.integer(t, "qty_1e8", "an integer qty_1e8");
          if (this.qty < 0n) throw this.fail("qty_1e8", "a qty_1e8 >= 0");
        }
        break;
      case PointKey.Side:
        if (t === Tok.Null) this.side = 0;
        else if (t === Tok.String && lex.is("buy")) this.side = SideCode.Buy;
        else if (t === Tok.String && lex.is("sell")) this.side = SideCode.Sell;
        else if (t === Tok.String && /^(buy|sell)$/i.test(lex.text())) {
          this.side = lex.text().toLowerCase() === "buy" ? SideCode.Buy : SideCode.Sell;
        } else throw this.fail("side", '"buy", "sell" or null', ...this.gotToken(t));
        break;
      default:
        this.skipValue(t, S.PointAfterValue);
        return;
    }
    this.state = this.lex.skip(COMMA) ? S.PointKey : S.PointAfterValue;
  }

  private integer(t: Tok, name: string, what: string): bigint {
    const lex = this.lex;
    if (t === Tok.Number || (t === Tok.String && !lex.escaped)) {
      const v = scanInteger(lex.buf, lex.start, lex.end);
      if (typeof v === "bigint") return v;
      throw this.fail(name, fixedExpectation(v as FixedFail, what, 0), lex.buf.toString("utf8", lex.start, lex.end));
    }
    throw this.fail(name, what, ...this.gotToken(t));
  }

  private fail(name: string, expected: string, got?: string, found?: string): DataError {
    return new DataError({ file: this.lex.file, line: this.lex.line, field: this.field(name), expected, got, found });
  }

  /** [got, found] for a message: a string's text (quoted) or the token's name. */
  private gotToken(t: Tok): [string | undefined, string | undefined] {
    return t === Tok.String ? [this.lex.text(), undefined] : [undefined, tokenName(t)];
  }

  /** Finishes a point: checks it, pushes it. Returns true when the batch is full. */
  private emit(out: RecordBatch | null): boolean {
    this.state = S.PointsNext;
    const where = { file: this.lex.file, line: this.pointLine, field: `points[${this.index}]` };
    if (this.ts === undefined) throw new DataError({ ...where, expected: "a point with ts_ns" });
    if (this.px === undefined) throw new DataError({ ...where, expected: "a point with price_1e9" });
    if (out === null) return false;
    out.push(this.ts, TRADE[this.side], this.px, this.qty);
    this.check.check(out, out.length - 1, this.pointLine, this.index);
    return out.full;
  }

  private skipValue(t: Tok, then: S): void {
    if (t === Tok.LBrace || t === Tok.LBracket) {
      this.skipStack.length = 0;
      this.skipStack.push(t);
      this.skipReturn = then;
      this.state = S.Skip;
    } else if (t === Tok.String || t === Tok.Number || t === Tok.True || t === Tok.False || t === Tok.Null) {
      this.state = then;
    } else {
      throw this.lex.fail("a JSON value", undefined, tokenName(t));
    }
  }

  private skipToken(t: Tok): void {
    const st = this.skipStack;
    if (t === Tok.LBrace || t === Tok.LBracket) st.push(t);
    else if (t === Tok.RBrace || t === Tok.RBracket) {
      const open = st.pop();
      if ((t === Tok.RBrace) !== (open === Tok.LBrace)) throw this.lex.fail("matching brackets", undefined, tokenName(t));
      if (st.length === 0) this.state = this.skipReturn;
    } else if (t === Tok.End) {
      throw this.lex.fail("the rest of the document", undefined, "end of file");
    }
  }
}

export class PriceHistorySource implements TickSource {
  /** From the file's `symbol` key; known after open if it precedes `points`, else after a full read. */
  symbol: string | undefined;
  /** From the file's `source` key (the data vendor / venue), same rule. */
  origin: string | undefined;
  /** Bytes of the file the current pass has read (progress of a conversion). */
  bytesRead = 0;

  constructor(
    readonly path: string,
    private readonly options: PriceHistoryOptions = {},
  ) {}

  get description(): string {
    if (this.options.description) return this.options.description;
    const sym = this.symbol ?? "(symbol not given before points)";
    return `price_history ${sym}${this.origin ? ` from ${this.origin}` : ""} (JSON ${this.path})`;
  }

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const batch = new RecordBatch(batchSizeOf(batchSize));
    yield* this.walk(batch);
  }

  /** Reads the document up to the start of `points` to learn symbol/source. */
  async readPrefix(): Promise<void> {
    for await (const _ of this.walk(null)) {
      // walk(null) yields nothing; it stops at the points array.
    }
  }

  private async *walk(batch: RecordBatch | null): AsyncGenerator<RecordBatch> {
    const lex = new JsonLexer(this.path);
    const parser = new PriceHistoryParser(lex, new RecordCheck(this.path));
    const win = await FileWindow.open(this.path, this.options.chunkBytes);
    try {
      for (;;) {
        const stop = parser.run(batch);
        if (parser.symbol !== undefined) this.symbol = parser.symbol;
        if (parser.source !== undefined) this.origin = parser.source;
        if (stop === Stop.Full) {
          yield batch!;
          batch!.clear();
        } else if (stop === Stop.NeedMore) {
          if (!(await win.fill(lex.consumed, lex.line))) lex.finish();
          this.bytesRead = win.bytesRead;
          lex.reset(win.view());
        } else if (stop === Stop.AtPoints) {
          return;
        } else {
          if (batch && batch.length > 0) yield batch;
          return;
        }
      }
    } finally {
      await win.close();
    }
  }
}

/** Opens a price_history JSON file and reads its head for the description. */
export async function openPriceHistory(path: string, options: PriceHistoryOptions = {}): Promise<PriceHistorySource> {
  const src = new PriceHistorySource(path, options);
  await src.readPrefix();
  return src;
}
