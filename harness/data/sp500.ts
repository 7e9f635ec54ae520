/**
 * Real market data that ships with the toolkit: the S&P 500 index, daily,
 * 2000-01-03 → 2020-04-17 (5,105 bars), from the vega-datasets npm package
 * (`data/sp500-2000.csv`, BSD-3-Clause; the package credits Yahoo Finance).
 * Read as OHLCV bars (ohlcv-layout.ts): each day's open, low/high and close as
 * prints from 14:30 to 21:00 UTC, then the whole bar (onBar) with the day's
 * share volume. See data/README.md for provenance.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import type { CsvSource } from "./csv.ts";
import { openCsv } from "./csv.ts";

export const SP500_DESCRIPTION =
  "S&P 500 daily bars 2000-01-03..2020-04-17, each replayed as open, low/high, close prints 14:30-21:00 UTC and one bar " +
  "(vega-datasets sp500-2000.csv, real data originally from Yahoo Finance, BSD-3-Clause)";

/**
 * Path of the CSV inside node_modules. vega-datasets' package.json `exports`
 * hides "vega-datasets/package.json", so resolve the entry point and walk up
 * to the package root.
 */
export function sp500Path(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve("vega-datasets"));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "vega-datasets") {
      return join(dir, "data", "sp500-2000.csv");
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("sp500Path: could not find the vega-datasets package root");
    dir = up;
  }
}

/** The S&P 500 series as a TickSource (real data; see the module comment). */
export function sp500Source(): Promise<CsvSource> {
  return openCsv(sp500Path(), { description: SP500_DESCRIPTION });
}
