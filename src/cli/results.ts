/** `algo results`: the project's saved backtests, newest first, with their headline figures. */
import type { Command } from "@commander-js/extra-typings";
import { DataError } from "../../harness/data/errors.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { loadProject } from "../project.ts";
import { runNames, summarize, type RunSummary } from "../results/runs.ts";
import { count, signedUsd } from "./format.ts";
import { jsonOption, wholeOption } from "./options.ts";
import { renderTable } from "./table.ts";

const pct = (x: number | null) => (x === null ? "-" : `${x > 0 ? "+" : ""}${x.toFixed(2)}%`);
const ratio = (x: number | null) => (x === null ? "-" : x.toFixed(2));

/** The data's description, cut to fit a line (report.json has all of it). */
function short(text: string): string {
  return text.length <= 60 ? text : text.slice(0, 59) + "…";
}

export async function resultsCommand(opts: { json?: boolean; limit?: number }): Promise<RunSummary[]> {
  const { root } = await loadProject();
  let names = runNames(root);
  if (opts.limit !== undefined) names = names.slice(0, opts.limit);
  const runs: RunSummary[] = [];
  for (const name of names) {
    try {
      runs.push(summarize(root, name));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      console.error(`warning: skipped ${name}: ${e.message}`); // one broken folder does not hide the others
    }
  }
  if (opts.json) {
    console.log(toExactJson(runs));
    return runs;
  }
  if (runs.length === 0) {
    console.log("no saved runs yet: every `algo backtest` (without --no-save) saves one in backtests/");
    return runs;
  }
  const rows = runs.map((r) => [r.run, signedUsd(r.net_pnl_1e9), pct(r.return_pct), ratio(r.sharpe), r.max_drawdown_pct === null ? "-" : `${r.max_drawdown_pct.toFixed(2)}%`, count(r.fills), short(r.data)]);
  const right = { align: "right" } as const;
  console.log(
    renderTable(
      [{ header: "run" }, { header: "net PnL", ...right }, { header: "return", ...right }, { header: "Sharpe", ...right }, { header: "max DD", ...right }, { header: "fills", ...right }, { header: "data" }],
      rows,
      "",
    ),
  );
  return runs;
}

export function register(program: Command): void {
  program
    .command("results")
    .description("list the project's saved backtests (backtests/), newest first: net PnL, return, Sharpe, max drawdown, fills")
    .addOption(jsonOption("print the list as JSON (exact integers)"))
    .addOption(wholeOption("-n, --limit <n>", "show the newest n runs only", { min: 1 }))
    .addHelpText("after", "\nExamples:\n  $ algo results\n  $ algo results -n 5 --json\n  $ algo report            # the newest run's report")
    .action(async (opts) => {
      await resultsCommand(opts);
    });
}
