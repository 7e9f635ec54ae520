/** `algo demo`: the main job on bundled real data, end to end. */
import path from "node:path";
import type { Command } from "commander";
import { TEMPLATES_DIR } from "../paths.ts";
import { backtestCommand } from "./backtest.ts";

export function register(program: Command): void {
  program
    .command("demo")
    .description("build the mean-reversion template and backtest it on real S&P 500 daily data (2000–2020)")
    .option("--json", "print the report as JSON")
    .action(async (opts: { json?: boolean }) => {
      const entry = path.join(TEMPLATES_DIR, "mean-reversion", "assembly", "algo.ts");
      if (!opts.json) console.log("Building templates/mean-reversion and replaying the S&P 500 daily bars, 2000–2020 (real data, vega-datasets)…\n");
      await backtestCommand(
        { entry, data: "sp500", param: [], makerBps: "0", takerBps: "1", latencyNs: "0", json: opts.json, timings: true },
        "mean-reversion on the S&P 500, daily bars 2000-01-03 → 2020-04-17 (taker fee 1 bps)",
      );
    });
}
