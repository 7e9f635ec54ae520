/**
 * `algo data fetch`: save price history from the API (or `algo dev`) as a
 * price_history JSON file that `algo backtest --data` reads; `algo data synth`:
 * write seeded synthetic ticks (clearly labelled) to a CSV, or with `--book`
 * an L2 book (snapshot, deltas and trades) to JSONL.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command, CommandUnknownOpts } from "@commander-js/extra-typings";
import { RANGES } from "../client/price-history.ts";
import { stringifyJson } from "../client/json.ts";
import { MAX_SYNTHETIC_COUNT, writeSyntheticCsv } from "../../harness/data/index.ts";
import { writeSyntheticBook } from "../../harness/data/synthetic-book.ts";
import { connect } from "./config.ts";
import { UsageError } from "./errors.ts";
import { isoNs } from "../../harness/data/time.ts";
import { count } from "./format.ts";
import { choiceOption, jsonOption, outputFile, wholeOption, wholeTextOption, type OptionsOf } from "./options.ts";
import { registerInfo } from "./data-info.ts";
import { register as registerImport } from "./data-import.ts";

async function fetchHistory(symbol: string, opts: OptionsOf<typeof declareFetch>, command: CommandUnknownOpts): Promise<void> {
  const file = outputFile("--out", opts.out ?? `${symbol}.json`);
  const { seq } = connect(command);
  let query = seq.priceHistory(symbol).range(opts.range);
  if (opts.ticks !== undefined) query = query.ticks(opts.ticks);
  else if (opts.fidelity !== undefined) query = query.fidelitySecs(opts.fidelity);
  if (opts.venue) query = query.venue(opts.venue);
  const history = await query.fetch();
  await writeFile(file, stringifyJson(history) + "\n");
  if (opts.json) {
    const first = history.points[0]?.ts_ns ?? null;
    const last = history.points[history.points.length - 1]?.ts_ns ?? null;
    return console.log(stringifyJson({ file, symbol: history.symbol, source: history.source, points: history.points.length, first_ts_ns: first, last_ts_ns: last }));
  }
  const span = history.points.length
    ? ` from ${isoNs(history.points[0].ts_ns, "ms")} to ${isoNs(history.points[history.points.length - 1].ts_ns, "ms")}`
    : "";
  console.log(`wrote ${path.relative(process.cwd(), file)}: ${count(history.points.length)} points of ${history.symbol} (source ${history.source})${span}`);
  console.log(`backtest on it: algo backtest --data ${path.relative(process.cwd(), file)}`);
}

function declareFetch(data: Command) {
  return data
    .command("fetch")
    .description("save price history from the Sequence API (or algo dev) as price_history JSON")
    .argument("<symbol>", "e.g. ETH-USD")
    .option("-o, --out <file>", "where to write it (default: <symbol>.json)")
    .addOption(choiceOption("--range <range>", "how far back", RANGES).default("1d"))
    .addOption(wholeOption("--fidelity <secs>", "bar length in seconds (0 = ticks)"))
    .addOption(wholeOption("--ticks <n>", "the last n ticks (tick mode)"))
    .option("--venue <venue>", "one venue's prints")
    .addOption(jsonOption("print what was written as JSON"));
}

export function register(program: Command): void {
  const data = program.command("data").description("get market data for backtests");
  registerInfo(data);
  declareFetch(data)
    .addHelpText("after", "\nExamples:\n  $ algo data fetch ETH-USD --ticks 50000 -o eth.json\n  $ algo data fetch BTC-USD --range 1w --fidelity 60")
    .action(async (symbol, opts, command) => fetchHistory(symbol, opts, command));
  data
    .command("synth")
    .description("write seeded synthetic quotes and trades to a CSV, or an L2 book to JSONL with --book (labelled synthetic, never real)")
    .option("-o, --out <file>", "where to write it (default: synthetic.csv, or synthetic-book.jsonl with --book)")
    .addOption(wholeTextOption("--seed <n>", "PRNG seed").default("1"))
    .addOption(wholeOption("--count <n>", `records (quotes and trades), or lines with --book; at most ${MAX_SYNTHETIC_COUNT}`).default(1_000_000))
    .option("--book", "an L2 book: a snapshot, then deltas and trades, one JSON line each")
    .addOption(wholeOption("--levels <n>", "levels per side with --book", { min: 1, max: 1000 }).default(10))
    .addOption(jsonOption("print what was written as JSON"))
    .addHelpText("after", "\nExamples:\n  $ algo data synth --seed 7 --count 100000\n  $ algo data synth --book --count 5000 --levels 20 -o book.jsonl")
    .action(async (opts) => {
      const n = opts.count;
      // The bound's unit depends on --book, so it is checked here, with both flags read.
      if (n > MAX_SYNTHETIC_COUNT) throw new UsageError(`--count ${opts.count}: at most ${MAX_SYNTHETIC_COUNT} ${opts.book ? "lines" : "records"} (${MAX_SYNTHETIC_COUNT / 1e6} million)`);
      const seed = BigInt(opts.seed);
      const given = opts.out ?? (opts.book ? "synthetic-book.jsonl" : "synthetic.csv");
      const out = outputFile("--out", given);
      let written: number;
      if (opts.book) {
        if (n < 1) throw new UsageError(`--count ${opts.count}: expected at least 1 line`);
        written = await writeSyntheticBook(out, { seed, lines: n, levels: opts.levels });
      } else {
        written = await writeSyntheticCsv(out, { seed, count: n });
      }
      if (opts.json) return console.log(JSON.stringify({ file: out, [opts.book ? "lines" : "records"]: written, seed: opts.seed }));
      console.log(`wrote ${given}: ${count(written)} synthetic ${opts.book ? "L2 book lines" : "records"} (seed ${opts.seed})`);
    });
  registerImport(data);
}
