/**
 * Writes QUOTE and TRADE records as the combined "quotes+trades" CSV, the one
 * text format that holds both in time order (csv-layouts.ts reads it back):
 *
 *   # optional note lines
 *   ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side
 *   1704205800000000000,quote,99.99,3,100.01,7,,,
 *   1704205800001000000,trade,,,,,100.01,2,buy
 *
 * Prices and quantities are exact decimals (formatFixed), trailing zeros
 * dropped; the columns of the other kind are left empty. Output depends only
 * on the records, so the same records give byte-identical files.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { writeAtomically } from "./atomic-write.ts";
import { formatFixed } from "./decimal.ts";
import { Kind } from "../abi.ts";
import { headerKind, headerSide, tsOf, Word, wordOf } from "../record-view.ts";
import type { TickSource } from "./source.ts";

export const COMBINED_CSV_HEADER = "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side";

export interface WriteCsvOptions {
  /** Lines written first as "# …" comments (e.g. a "synthetic, not market data" banner). */
  readonly notes?: readonly string[];
  readonly batchSize?: number;
}

const SIDES = ["", "buy", "sell"];

/** Writes every record of `source` to `path`, atomically (atomic-write.ts); returns the number of records. */
export async function writeCombinedCsv(path: string, source: TickSource, options: WriteCsvOptions = {}): Promise<number> {
  return writeAtomically(path, async (tmp) => {
    const out = createWriteStream(tmp);
    try {
      return await writeRecords(out, source, options);
    } finally {
      out.destroy();
    }
  });
}

async function writeRecords(out: WriteStream, source: TickSource, options: WriteCsvOptions): Promise<number> {
  let records = 0;
  let head = "";
  for (const n of options.notes ?? []) head += `# ${n.replace(/[\r\n]+/g, " ")}\n`;
  out.write(`${head}${COMBINED_CSV_HEADER}\n`);
  for await (const batch of source.batches(options.batchSize)) {
    const w = batch.words;
    let text = "";
    for (let i = 0; i < batch.length; i++) {
      const head = wordOf(w, i, Word.Header);
      const kind = headerKind(head);
      if (kind === Kind.Quote) {
        text += `${tsOf(w, i)},quote,${formatFixed(wordOf(w, i, Word.BidPx), 9)},${formatFixed(wordOf(w, i, Word.BidQty), 8)},${formatFixed(wordOf(w, i, Word.AskPx), 9)},${formatFixed(wordOf(w, i, Word.AskQty), 8)},,,\n`;
      } else if (kind === Kind.Trade) {
        text += `${tsOf(w, i)},trade,,,,,${formatFixed(wordOf(w, i, Word.TradePx), 9)},${formatFixed(wordOf(w, i, Word.TradeQty), 8)},${SIDES[headerSide(head)] ?? ""}\n`;
      } else {
        throw new Error(`writeCombinedCsv: record ${records + i + 1} is of kind ${kind}; only QUOTE and TRADE records have a CSV form`);
      }
    }
    records += batch.length;
    if (!out.write(text)) await once(out, "drain");
  }
  out.end();
  await finished(out);
  return records;
}
