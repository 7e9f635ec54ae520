/**
 * Where ticks come from. The engine only sees a TickSource: a description for
 * the report and an async stream of RecordBatches in time order. Each file
 * format has a reader that implements it; `openSource` picks the reader.
 */
import { extname } from "node:path";
import { DataError } from "./errors.ts";
import type { RecordBatch } from "./record.ts";
import type { TimeRange } from "./time-range.ts";
import { openCsv, readHead, type CsvOptions } from "./csv.ts";
import { openPriceHistory } from "./price-history-json.ts";
import { TICKS_MAGIC, openTicks } from "./binary.ts";
import { looksLikeBookJsonl, openBookJsonl } from "./book-jsonl.ts";
import { PARQUET_MAGIC, looksLikeParquet } from "./parquet-magic.ts";

export interface TickSource {
  /** What the data is, for the report: e.g. "S&P 500 daily closes 2000-01-03..2020-04-17 (vega-datasets sp500-2000.csv, real)". */
  readonly description: string;
  /** Yields batches of records in time order. A yielded batch may be reused after the consumer asks for the next one. */
  batches(batchSize?: number): AsyncIterable<RecordBatch>;
  /** The same data, free to skip what lies wholly outside `range` (a .ticks chunk index); withinTimeRange trims the rest. */
  limitedTo?(range: TimeRange): TickSource;
}

export type SourceFormat = "price-history-json" | "csv" | "ticks" | "book-jsonl" | "parquet";

export interface OpenOptions extends CsvOptions {
  /** Skip detection. */
  readonly format?: SourceFormat;
}

const SUPPORTED = `a .ticks file (magic ${TICKS_MAGIC}), a Parquet file (magic ${PARQUET_MAGIC}), a price_history JSON object, an L2 book JSONL file, or a CSV (trades, quotes, quotes+trades, OHLCV, Binance trades)`;

/**
 * Opens a tick file, choosing the reader from the content first and the
 * extension second: the .ticks magic; Parquet's "PAR1" magic or a .parquet
 * name (parquet.ts); a first line that is an object with a
 * "type" of snapshot, delta or trade, or a .jsonl/.ndjson name → L2 book
 * (book-jsonl.ts); a document starting with "{" or a .json name →
 * price_history; otherwise text → CSV, whose header picks the
 * layout (csv-layouts.ts). Anything else is a DataError listing the formats.
 */
export async function openSource(path: string, options: OpenOptions = {}): Promise<TickSource> {
  const format = options.format ?? (await sniff(path));
  switch (format) {
    case "ticks":
      return openTicks(path, { description: options.description });
    case "price-history-json":
      return openPriceHistory(path, { description: options.description, chunkBytes: options.chunkBytes });
    case "csv":
      return openCsv(path, options);
    case "book-jsonl":
      return openBookJsonl(path, { description: options.description, chunkBytes: options.chunkBytes, rounding: options.rounding });
    case "parquet": {
      // Loaded on first use: the Parquet library is only parsed by runs that read Parquet.
      const { openParquet } = await import("./parquet.ts");
      return openParquet(path, { description: options.description, rounding: options.rounding, timeUnit: options.timeUnit });
    }
  }
}

async function sniff(path: string): Promise<SourceFormat> {
  const head = await readHead(path, 4096);
  if (head.length >= 8 && head.toString("latin1", 0, 8) === TICKS_MAGIC) return "ticks";
  const ext = extname(path).toLowerCase();
  if (looksLikeParquet(head)) return "parquet";
  if (ext === ".ticks") return "ticks"; // the header check will explain what is wrong
  if (ext === ".parquet") return "parquet"; // the footer check will explain what is wrong
  if (head.length === 0) throw new DataError({ file: path, line: 0, expected: SUPPORTED, found: "an empty file" });
  if (ext === ".jsonl" || ext === ".ndjson" || looksLikeBookJsonl(head)) return "book-jsonl";
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (head[i] === 123 /* { */) return "price-history-json";
  if (ext === ".json") {
    throw new DataError({ file: path, line: 0, expected: "a price_history JSON object starting with {", got: head.toString("utf8", i, i + 20) });
  }
  if (head.includes(0)) {
    throw new DataError({ file: path, line: 0, expected: SUPPORTED, found: "binary data" });
  }
  return "csv";
}
