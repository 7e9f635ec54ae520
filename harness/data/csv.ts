/**
 * CSV tick files (trades, quotes, quotes+trades, OHLCV bars, Binance dumps;
 * see csv-layouts.ts for the formats and rules), streamed from disk in chunks.
 *
 * Memory stays constant: the file is read a chunk at a time into one reused
 * window (file-window.ts), lines are found with Buffer.indexOf and decoded in
 * place, and one RecordBatch is reused for the whole file. Lines starting with "#" and blank lines are
 * skipped anywhere; leading "#" lines are also kept as the file's notes
 * (e.g. the synthetic generator's "not market data" banner) and appear in the
 * description. A UTF-8 byte-order mark is ignored.
 */
import { open } from "node:fs/promises";
import { DataError } from "./errors.ts";
import type { FinerDigits } from "./decimal.ts";
import { RecordBatch } from "./record.ts";
import type { TickSource } from "./source.ts";
import { batchSizeOf } from "./batching.ts";
import { FileWindow } from "./file-window.ts";
import { CsvRow } from "./csv-row.ts";
import { detectLayout, type CsvLayout, type CsvLayoutOptions } from "./csv-layouts.ts";
import { RecordCheck } from "./record-check.ts";

/** What every text reader (CSV, L2 book JSONL) takes. */
export interface TextReaderOptions {
  /** How to treat decimals finer than the scale; default "reject". */
  readonly rounding?: FinerDigits;
  /** Replaces the generated description. */
  readonly description?: string;
  /** Read size in bytes (tests use small values to exercise chunk boundaries). */
  readonly chunkBytes?: number;
}

export interface CsvOptions extends CsvLayoutOptions, TextReaderOptions {}

const NL = 10;
const CR = 13;
const HASH = 35;

function isBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

export class CsvSource implements TickSource {
  /** Bytes of the file the current pass has read (progress of a conversion). */
  bytesRead = 0;

  constructor(
    readonly path: string,
    /** The detected layout name, e.g. "trades" or "binance spot aggTrades". */
    readonly format: string,
    readonly description: string,
    private readonly options: CsvOptions = {},
  ) {}

  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const size = batchSizeOf(batchSize);
    let batch = new RecordBatch(size);
    let room = size; // a batch is handed on when another row might not fit
    const file = this.path;
    const row = new CsvRow(file, [], this.options.rounding);
    const check = new RecordCheck(file);
    let layout: CsvLayout | undefined;
    let line = 0;
    let headerLine = 0;
    let produced = false;

    // Handles one line [s, e) (terminator excluded). Returns nothing; the
    // generator yields when the batch fills.
    const handle = (buf: Buffer, s: number, e: number): void => {
      if (e > s && buf[e - 1] === CR) e--;
      if (e === s || buf[s] === HASH) return;
      if (!layout) {
        layout = detectLayout(buf.toString("utf8", s, e), file, line, this.options);
        row.names = layout.names;
        // A row of several records (bars) needs at least that much room, even in a tiny batch.
        if (layout.recordsPerRow > size) batch = new RecordBatch(layout.recordsPerRow);
        room = batch.capacity - layout.recordsPerRow;
        if (layout.hasHeader) {
          headerLine = line;
          return;
        }
      }
      row.split(buf, s, e, line);
      layout.decode(row, batch);
      check.check(batch, batch.length - 1, line);
      produced = true;
    };

    const win = await FileWindow.open(file, this.options.chunkBytes);
    try {
      let pos = 0;
      while (await win.fill(pos, line + 1)) {
        this.bytesRead = win.bytesRead;
        const buf = win.view();
        pos = 0;
        for (;;) {
          const nl = buf.indexOf(NL, pos);
          if (nl < 0) break;
          line++;
          handle(buf, pos, nl);
          pos = nl + 1;
          if (batch.length > room) {
            yield batch;
            batch.clear();
          }
        }
      }
      // The last line, when the file does not end with a newline.
      const tail = win.view();
      if (tail.length > 0) {
        line++;
        handle(tail, 0, tail.length);
      }
    } finally {
      await win.close();
    }
    if (batch.length > 0) yield batch;
    else if (!produced) throw noRows(file, headerLine);
  }
}

const HEAD_BYTES = 64 * 1024;

function noRows(file: string, headerLine: number): DataError {
  return new DataError({ file, line: headerLine, expected: "data rows after the header", found: "none (a header alone is not a run of 0 ticks)" });
}

/**
 * Opens a CSV file: reads its first lines to detect the layout (so an
 * unknown format fails here, not mid-replay) and builds the description.
 */
export async function openCsv(path: string, options: CsvOptions = {}): Promise<CsvSource> {
  const head = await readHead(path, HEAD_BYTES);
  const text = head.toString("utf8", isBom(head) ? 3 : 0);
  const lines = text.split("\n");
  const notes: string[] = [];
  let layout: CsvLayout | undefined;
  let headerLine = 0;
  let dataRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, "");
    if (l.trim() === "" || (i === lines.length - 1 && head.length === HEAD_BYTES)) continue; // blank, or perhaps cut by the head
    if (l.startsWith("#")) {
      if (!layout) notes.push(l.replace(/^#+\s*/, ""));
      continue;
    }
    if (layout) {
      dataRows++;
      break;
    }
    layout = detectLayout(l, path, i + 1, options);
    headerLine = i + 1;
    if (!layout.hasHeader) dataRows++;
  }
  if (!layout) throw new DataError({ file: path, line: 0, expected: "a CSV header or data row", found: "no rows" });
  if (dataRows === 0 && head.length < HEAD_BYTES) throw noRows(path, headerLine);
  const description =
    options.description ?? `${layout.name} CSV ${path}${notes.length ? ` (${notes.join(" ")})` : ""}`;
  return new CsvSource(path, layout.name, description, options);
}

/** The first `n` bytes of a file (fewer if it is shorter). */
export async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
