/**
 * `algo data info <file> [--json]`: what a tick file holds — symbol, venue,
 * records per kind, time range, scales, the instrument's rules, chunks and
 * size. A version 2 .ticks file answers from its header at once; any other
 * format `openSource` reads (and a version 1 .ticks) is scanned once,
 * streaming, so a malformed row is named by file and line as in a backtest.
 */
import { statSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { BookJsonlSource, CsvSource, openSource, PriceHistorySource, TicksSource, type TickSource } from "../../harness/data/index.ts";
import { formatFixed } from "../../harness/data/decimal.ts";
import { isoNs } from "../../harness/data/time.ts";
import { TallySource } from "../../harness/data/tally.ts";
import { ParquetSource } from "../../harness/data/parquet.ts";
import { SCALES } from "../../harness/data/ticks-header.ts";
import type { InstrumentSpec } from "../../harness/venue/instrument.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { UsageError } from "./errors.ts";
import { jsonOption } from "./options.ts";
import { count, printable } from "./format.ts";

export interface DataInfo {
  file: string;
  /** "ticks v2", "ticks v1", "csv", "price-history-json", "book-jsonl". */
  format: string;
  bytes: number;
  symbol: string | null;
  venue: string | null;
  description: string;
  records: number;
  /** Records per kind name (QUOTE, TRADE, BAR, DEPTH). */
  kinds: Record<string, number>;
  first_ts_ns: bigint | null;
  last_ts_ns: bigint | null;
  first_iso: string | null;
  last_iso: string | null;
  /** Decimal places of prices and quantities, and the time unit: what the engine uses. */
  scales: { price_decimals: number; qty_decimals: number; time: "ns" };
  instrument: { tick_1e9: bigint; lot_1e8: bigint; min_notional_1e9: bigint } | null;
  chunks: { count: number; records_per_chunk: number; encoding: string } | null;
  /** Where the figures came from. */
  read_from: "header" | "scan";
}

export async function dataInfo(file: string): Promise<DataInfo> {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${file}: no such file`);
  if (!stat.isFile()) throw new UsageError(`${file}: not a file`);
  const source = await openSource(file);
  const scales = { price_decimals: SCALES.price, qty_decimals: SCALES.qty, time: "ns" as const };
  const chunkList = source instanceof TicksSource ? source.header.chunks : undefined;
  if (source instanceof TicksSource && chunkList) {
    const h = source.header;
    return {
      file,
      format: "ticks v2",
      bytes: stat.size,
      symbol: h.symbol ?? null,
      venue: h.venue ?? null,
      description: h.description,
      records: h.records,
      kinds: { ...h.kinds },
      ...range(h.firstTsNs ?? null, h.lastTsNs ?? null),
      scales,
      instrument: h.instrument ? instrumentJson(h.instrument) : null,
      chunks: { count: chunkList.length, records_per_chunk: h.chunkRecords ?? 0, encoding: "columns, ts deltas, deflate" },
      read_from: "header",
    };
  }
  const scanned = await scan(source);
  return {
    file,
    format: formatOf(source),
    bytes: stat.size,
    symbol: source instanceof TicksSource ? (source.header.symbol ?? null) : source instanceof ParquetSource ? (source.names.symbol ?? null) : null,
    venue: source instanceof ParquetSource ? (source.names.venue ?? null) : null,
    description: source instanceof TicksSource ? source.header.description : source.description,
    ...scanned,
    scales,
    instrument: null,
    chunks: null,
    read_from: "scan",
  };
}

function formatOf(source: TickSource): string {
  if (source instanceof TicksSource) return `ticks v${source.header.version}`;
  if (source instanceof CsvSource) return "csv";
  if (source instanceof PriceHistorySource) return "price-history-json";
  if (source instanceof BookJsonlSource) return "book-jsonl";
  if (source instanceof ParquetSource) return `parquet (${source.format})`;
  return "unknown";
}

/** One streaming pass: records per kind and the first and last timestamps. */
async function scan(source: TickSource): Promise<Pick<DataInfo, "records" | "kinds" | "first_ts_ns" | "last_ts_ns" | "first_iso" | "last_iso">> {
  const tally = new TallySource(source);
  for await (const _ of tally.batches());
  return { records: tally.records, kinds: tally.kinds(), ...range(tally.first ?? null, tally.last ?? null) };
}

function range(first: bigint | null, last: bigint | null) {
  return { first_ts_ns: first, last_ts_ns: last, first_iso: first === null ? null : isoNs(first), last_iso: last === null ? null : isoNs(last) };
}

function instrumentJson(spec: InstrumentSpec): NonNullable<DataInfo["instrument"]> {
  return { tick_1e9: spec.tickPx, lot_1e8: spec.lotQty, min_notional_1e9: spec.minNotional };
}

/** `tick 0.01, lot 0.001, min notional 10` (the --instrument spelling's values). */
function instrumentText(i: DataInfo["instrument"]): string {
  if (!i) return "none in the file (algo backtest --instrument sets the rules)";
  const parts = [
    i.tick_1e9 > 0n ? `tick ${formatFixed(i.tick_1e9, 9)}` : "",
    i.lot_1e8 > 0n ? `lot ${formatFixed(i.lot_1e8, 8)}` : "",
    i.min_notional_1e9 > 0n ? `min notional ${formatFixed(i.min_notional_1e9, 9)}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no rules";
}

export function formatDataInfo(info: DataInfo): string {
  const lines = [printable(info.file)];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(12)} ${value}`);
  const chunks = info.chunks ? ` (${count(info.chunks.count)} chunk${info.chunks.count === 1 ? "" : "s"} of up to ${count(info.chunks.records_per_chunk)} records: ${info.chunks.encoding})` : "";
  row("format", `${info.format}${chunks}`);
  row("symbol", info.symbol === null ? "-" : printable(info.symbol));
  row("venue", info.venue === null ? "-" : printable(info.venue));
  row("description", printable(info.description));
  const kinds = Object.entries(info.kinds).map(([k, n]) => `${count(n)} ${k}`);
  row("records", `${count(info.records)}${kinds.length ? ` (${kinds.join(", ")})` : ""}`);
  if (info.first_ts_ns === null) row("time range", "- (no records)");
  else {
    row("time range", `${info.first_iso} → ${info.last_iso}`);
    row("", `${info.first_ts_ns} → ${info.last_ts_ns} ns`);
  }
  row("scales", `price 1e-${info.scales.price_decimals}, quantity 1e-${info.scales.qty_decimals}, time ns`);
  row("instrument", instrumentText(info.instrument));
  row("file size", `${count(info.bytes)} bytes`);
  row("read from", info.read_from === "header" ? "the header (instant)" : "one pass over the file");
  return lines.join("\n");
}

export function registerInfo(data: Command): void {
  data
    .command("info")
    .description("what a tick file holds: symbol, venue, records per kind, time range, scales, instrument, chunks, size")
    .argument("<file>", "a .ticks, CSV, price_history JSON or L2 book JSONL file")
    .addOption(jsonOption("print it as JSON (exact integers)"))
    .addHelpText("after", "\nExamples:\n  $ algo data info btc.ticks\n  $ algo data info trades.csv --json")
    .action(async (file, opts) => {
      const info = await dataInfo(file);
      console.log(opts.json ? toExactJson(info) : formatDataInfo(info));
    });
}
