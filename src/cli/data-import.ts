/**
 * `algo data import <file…> -o out.ticks|out.parquet`: tick files in any format the
 * readers know (openSource) converted into one .ticks file (or a Parquet table), several files of
 * one symbol merged by time (harness/data/merge.ts). The output is written
 * whole or not at all (a temporary file renamed at the end), so a bad row in
 * the last file leaves nothing behind.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import {
  BookJsonlSource,
  CsvSource,
  DataError,
  PriceHistorySource,
  TicksSource,
  openSource,
  writeTicks,
  type RecordBatch,
  type SourceFormat,
  type TickSource,
} from "../../harness/data/index.ts";
import { describeInstrument, type InstrumentSpec } from "../../harness/venue/instrument.ts";
import { MergedSource } from "../../harness/data/merge.ts";
import { writeParquet } from "../../harness/data/parquet-write.ts";
import { ParquetSource } from "../../harness/data/parquet.ts";
import { TallySource } from "../../harness/data/tally.ts";
import { isoNs } from "../../harness/data/time.ts";
import { stringifyJson } from "../client/json.ts";
import { UsageError } from "./errors.ts";
import { count, printable } from "./format.ts";
import { importFraction, importProgressLine } from "./import-progress.ts";
import { choiceOption, jsonOption, outputFile, type OptionsOf } from "./options.ts";
import { wantsProgress } from "./progress.ts";
import { renderTable } from "./table.ts";

export const IMPORT_FORMATS: readonly SourceFormat[] = ["csv", "price-history-json", "book-jsonl", "ticks", "parquet"];

/** What the writer of an output format is given. */
interface OutputOptions {
  readonly symbol?: string;
  readonly venue?: string;
  readonly description?: string;
  readonly instrument?: InstrumentSpec;
  readonly onProgress?: (recordsWritten: number) => void;
}

/** Output formats by the extension of `-o`: each writes atomically (temporary file, then rename). */
const WRITERS: Readonly<Record<string, (file: string, source: TickSource, options: OutputOptions) => Promise<unknown>>> = {
  ".ticks": writeTicks,
  ".parquet": writeParquet,
};

function outputPath(value: string): { file: string; write: (typeof WRITERS)[string] } {
  const write = WRITERS[path.extname(value).toLowerCase()];
  if (write === undefined) throw new UsageError(`-o ${value}: expected a file name ending in ${Object.keys(WRITERS).join(" or ")}, e.g. btc.ticks`);
  return { file: outputFile("-o", value), write };
}

interface Input {
  /** As given on the command line. */
  readonly file: string;
  readonly source: TickSource;
  readonly size: number;
  /** Reader, for the summary: "binance spot aggTrades CSV", ".ticks", … */
  readonly format: string;
  /** The symbol the file names, and where it says it. */
  readonly symbol?: { readonly value: string; readonly from: string };
}

async function openInputs(files: readonly string[], format: SourceFormat | undefined): Promise<Input[]> {
  const seen = new Map<string, string>();
  for (const file of files) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`${file}: no such file`);
    if (stat.isDirectory()) throw new UsageError(`${file}: is a directory; give the files in it, e.g. ${path.join(file, "*.csv")}`);
    const abs = path.resolve(file);
    const twice = seen.get(abs);
    if (twice !== undefined) throw new UsageError(`${file}: given twice (also as ${twice}); its records would be imported twice`);
    seen.set(abs, file);
  }
  const inputs: Input[] = [];
  for (const file of files) {
    const source = await openSource(file, { format });
    inputs.push({ file, source, size: statSync(file).size, format: readerName(source), symbol: symbolOf(file, source) });
  }
  return inputs;
}

function readerName(source: TickSource): string {
  if (source instanceof CsvSource) return `${source.format} CSV`;
  if (source instanceof TicksSource) return ".ticks";
  if (source instanceof PriceHistorySource) return "price_history JSON";
  if (source instanceof BookJsonlSource) return "L2 book JSONL";
  return "tick data";
}

/**
 * A Binance data dump's name: `BTCUSDT-aggTrades-2025-01-01.csv`,
 * `BTCUSDT-trades-2025-01.csv`, `ETHUSDT-bookTicker-2024-03-01.csv`.
 */
const BINANCE_NAME = /^([A-Z0-9]+(?:_[A-Z0-9]+)?)-(?:aggTrades|trades|bookTicker|\d+[smhdwM])-\d{4}-\d{2}(?:-\d{2})?\.csv$/;
/** A name that is a symbol and nothing else: `ETH-USD.csv`, `AAPL.json`, `BTCUSDT.ticks` (upper case, so `ticks.csv` is not one). */
const SYMBOL_NAME = /^([A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)?)\.[a-z]+$/;

/** The symbol an input names: from its content (.ticks header, price_history `symbol`), else its file name. */
export function symbolOf(file: string, source: TickSource): { value: string; from: string } | undefined {
  if (source instanceof TicksSource && source.header.symbol) return { value: source.header.symbol, from: "the .ticks header" };
  if (source instanceof PriceHistorySource && source.symbol) return { value: source.symbol, from: "the price_history symbol key" };
  if (source instanceof ParquetSource && source.names.symbol) return { value: source.names.symbol, from: "the Parquet metadata" };
  const name = path.basename(file);
  const m = BINANCE_NAME.exec(name) ?? SYMBOL_NAME.exec(name);
  return m ? { value: m[1], from: "the file name" } : undefined;
}

/** --symbol, else the one symbol the inputs name; inputs naming different symbols are refused. */
function chooseSymbol(inputs: readonly Input[], flag: string | undefined): { value: string; from: string } | undefined {
  const named = inputs.filter((i) => i.symbol !== undefined);
  const distinct = [...new Set(named.map((i) => i.symbol!.value))];
  if (distinct.length > 1) {
    const which = distinct.map((s) => {
      const first = named.find((i) => i.symbol!.value === s)!;
      return `${first.file} is ${s} (from ${first.symbol!.from})`;
    });
    throw new UsageError(`the files are of different symbols: ${which.join(", ")}; import one symbol per .ticks file`);
  }
  if (flag !== undefined) {
    if (!/^[^\s\p{Cc}]{1,64}$/u.test(flag)) throw new UsageError(`--symbol ${JSON.stringify(flag)}: expected 1 to 64 characters without spaces, e.g. BTCUSDT`);
    return { value: flag, from: "--symbol" };
  }
  if (distinct.length === 0) return undefined;
  const from = named.every((i) => i.symbol!.from === named[0].symbol!.from) ? named[0].symbol!.from : "the inputs";
  return { value: distinct[0], from };
}

/** What an input's own metadata says beyond the symbol: a .ticks header's venue and instrument rules, a Parquet file's venue. */
function namedBy(source: TickSource): { venue?: string; instrument?: InstrumentSpec } {
  if (source instanceof TicksSource) return { venue: source.header.venue, instrument: source.header.instrument };
  if (source instanceof ParquetSource) return { venue: source.names.venue };
  return {};
}

/**
 * The venue (unless --venue names one) and the instrument's rules that the inputs name
 * carry over to the output. Inputs that disagree are refused, as different symbols are.
 */
function carriedOver(inputs: readonly Input[], venueFlag: string | undefined): { venue?: string; instrument?: InstrumentSpec } {
  const named = inputs.map((i) => ({ file: i.file, ...namedBy(i.source) }));
  const one = <T>(what: string, of: (n: (typeof named)[number]) => T | undefined, show: (value: T) => string): T | undefined => {
    const some = named.flatMap((n) => (of(n) === undefined ? [] : [{ file: n.file, value: of(n)! }]));
    const distinct = new Map(some.map((n) => [stringifyJson(n.value), n]));
    if (distinct.size > 1) {
      const which = [...distinct.values()].map((n) => `${n.file} has ${show(n.value)}`).join(", ");
      throw new UsageError(`the inputs name different ${what}s: ${which}; import them separately`);
    }
    return some[0]?.value;
  };
  const instrument = one("instrument", (n) => n.instrument, (spec) => stringifyJson(describeInstrument(spec)));
  return { venue: venueFlag ?? one("venue", (n) => n.venue, (v) => JSON.stringify(v)), instrument };
}

function describeMerge(inputs: readonly Input[]): string {
  // A .ticks input's stored description, without "[reloaded from …]": re-importing must not grow it.
  const of = (s: TickSource) => (s instanceof TicksSource ? s.header.description : s.description);
  if (inputs.length === 1) return of(inputs[0].source);
  return `${inputs.length} files merged by time: ${inputs.map((i) => of(i.source)).join("; ")}`;
}

/** Fails at the end of a stream that held no record: an empty .ticks file would only fail later, in a backtest. */
async function* requireRecords(source: TickSource, files: readonly string[], batchSize?: number): AsyncGenerator<RecordBatch> {
  let any = false;
  for await (const batch of source.batches(batchSize)) {
    any ||= batch.length > 0;
    yield batch;
  }
  if (!any) throw new DataError({ file: files.join(", "), line: 0, expected: "at least one record to import", found: "none" });
}

async function importFiles(files: string[], opts: OptionsOf<typeof declareImport>): Promise<void> {
  const out = outputPath(opts.out);
  const inputs = await openInputs(files, opts.format);
  const symbol = chooseSymbol(inputs, opts.symbol);
  const description = opts.description ?? describeMerge(inputs);
  const { venue, instrument } = carriedOver(inputs, opts.venue);
  const merged = new MergedSource(inputs.map((i) => i.source), description);
  const tally = new TallySource({ description, batches: (n) => requireRecords(merged, files, n) });
  const progress = wantsProgress(opts, process.stderr.isTTY)
    ? importProgressLine(process.stderr, () => importFraction(inputs, merged.taken))
    : undefined;
  try {
    await out.write(out.file, tally, { symbol: symbol?.value, venue, description, instrument, onProgress: progress?.update });
  } finally {
    progress?.clear();
  }

  const perInput = inputs.map((i, k) => ({ file: i.file, format: i.format, records: merged.taken[k] }));
  if (opts.json) {
    return console.log(
      stringifyJson({
        file: opts.out,
        symbol: symbol?.value ?? null,
        symbol_from: symbol?.from ?? null,
        venue: venue ?? null,
        description,
        records: tally.records,
        first_ts_ns: tally.first ?? null,
        last_ts_ns: tally.last ?? null,
        kinds: tally.kinds(),
        inputs: perInput,
      }),
    );
  }
  const sym = symbol ? ` of ${printable(symbol.value)} (symbol from ${symbol.from})` : ", no symbol (name it with --symbol)";
  const venueText = venue ? `, venue ${printable(venue)}` : "";
  console.log(`wrote ${printable(opts.out)}: ${count(tally.records)} records${sym}${venueText}`);
  console.log(`  time   ${isoNs(tally.first!)} → ${isoNs(tally.last!)}`);
  console.log(`  kinds  ${Object.entries(tally.kinds()).map(([k, n]) => `${k} ${count(n)}`).join(", ")}`);
  console.log(
    renderTable(
      [{ header: "input" }, { header: "format" }, { header: "records", align: "right" }],
      perInput.map((i) => [printable(i.file), i.format, count(i.records)]),
    ),
  );
  console.log(`backtest on it: algo backtest --data ${printable(opts.out)}`);
}

function declareImport(data: Command) {
  return data
    .command("import")
    .description("convert tick files (CSV, Binance dumps, price_history JSON, L2 book JSONL, Parquet, .ticks) into one .ticks file or Parquet table, merging several files of one symbol by time")
    .argument("<file...>", "input files, in any format `backtest --data` reads; several are merged by timestamp")
    .requiredOption("-o, --out <file>", "the .ticks or .parquet file to write")
    .option("--symbol <symbol>", "the instrument (default: from a .ticks header, a price_history symbol, or a file name such as BTCUSDT-aggTrades-2025-01-01.csv)")
    .option("--venue <venue>", "the venue the data is from, stored in the header")
    .addOption(choiceOption("--format <format>", "read every input in this format (default: detected per file)", IMPORT_FORMATS))
    .option("--description <text>", "what the data is, stored in the header (default: the inputs' descriptions)")
    .addOption(jsonOption("print what was written as JSON"))
    .option("--no-progress", "do not show the progress bar");
}

export function register(data: Command): void {
  declareImport(data)
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo data import BTCUSDT-aggTrades-2025-01-0*.csv -o btc.ticks\n  $ algo data import trades.csv quotes.csv --symbol ETH-USD --venue coinbase -o eth.ticks\n  $ algo data import eth.ticks -o eth.parquet",
    )
    .action(async (files, opts) => importFiles(files, opts));
}
