/**
 * `algo data export <file> -o out.parquet`: trades and quotes that `algo
 * backtest --data` reads (a file or "synthetic[:seed[:count]]") written as a
 * Parquet table of trades and/or quotes (harness/data/parquet-write.ts) that
 * pandas, polars, DuckDB and `algo backtest --data` read back exactly.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { writeParquet } from "../../harness/data/parquet-write.ts";
import { resolveData } from "./data-spec.ts";
import { UsageError } from "./errors.ts";
import { count } from "./format.ts";
import { outputFile } from "./option-values.ts";

interface ExportOptions {
  out: string;
  symbol?: string;
  venue?: string;
  json?: boolean;
}

async function exportData(input: string, opts: ExportOptions): Promise<void> {
  if (path.extname(opts.out).toLowerCase() !== ".parquet") throw new UsageError(`--out ${opts.out}: expected a .parquet file name`);
  const out = outputFile("--out", opts.out);
  const special = input === "sp500" || input === "synthetic" || input.startsWith("synthetic:");
  if (!special && !statSync(input, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${input}: no such file`);
  if (!special && path.resolve(input) === out) throw new UsageError(`--out ${opts.out}: is the input file; choose another name`);
  const source = await resolveData(input);
  const written = await writeParquet(out, source, { symbol: opts.symbol, venue: opts.venue });
  if (opts.json) return console.log(JSON.stringify({ file: out, records: written.records, layout: written.layout, row_groups: written.rowGroups }));
  console.log(`wrote ${opts.out}: ${count(written.records)} records as a ${written.layout} table (${written.rowGroups} row group${written.rowGroups === 1 ? "" : "s"})`);
}

export function register(data: Command): void {
  data
    .command("export")
    .description("write trades and quotes (any file --data reads, or synthetic) as a Parquet table")
    .argument("<file>", 'a tick file or "synthetic[:seed[:count]]"')
    .requiredOption("-o, --out <file>", "the .parquet file to write")
    .option("--symbol <symbol>", "the symbol, recorded in the file's metadata")
    .option("--venue <venue>", "the venue, recorded in the file's metadata")
    .option("--json", "print what was written as JSON")
    .addHelpText("after", "\nExamples:\n  $ algo data export trades.csv -o trades.parquet --symbol BTCUSDT --venue BINANCE\n  $ algo data export synthetic:7:100000 -o synthetic.parquet")
    .action(async (file: string, opts: ExportOptions) => exportData(file, opts));
}
