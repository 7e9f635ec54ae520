/** `algo demo`: the main job on bundled real data, end to end. */
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { TEMPLATES_DIR } from "../paths.ts";
import { backtestCommand } from "./backtest.ts";
import { DEFAULT_CALLBACK_BUDGET_MS } from "./backtest-run.ts";
import { jsonOption } from "./options.ts";

export function register(program: Command): void {
  program
    .command("demo")
    .description("build the mean-reversion template and backtest it on real S&P 500 daily data (2000–2020)")
    .addOption(jsonOption("print the report as JSON"))
    .action(async (opts) => {
      const entry = path.join(TEMPLATES_DIR, "mean-reversion", "assembly", "algo.ts");
      if (!opts.json) console.log("Building templates/mean-reversion and replaying the S&P 500 daily bars, 2000–2020 (real data, vega-datasets)…\n");
      await backtestCommand(
        // `algo backtest --entry … --data sp500 --taker-bps 1 --latency-ns 0 --timings --no-save`, the rest at their defaults.
        {
          entry,
          data: "sp500",
          param: [],
          makerBps: "0",
          takerBps: "1",
          latencyNs: "0",
          queue: "through",
          json: opts.json,
          timings: true,
          callbackBudgetMs: DEFAULT_CALLBACK_BUDGET_MS,
          save: false,
          progress: true,
        },
        "mean-reversion on the S&P 500, daily bars 2000-01-03 → 2020-04-17 (taker fee 1 bps)",
      );
    });
}
