/**
 * A backtest's results folder, `backtests/<UTC time>-<short run hash>/` in
 * the project: written in a hidden temporary folder while the run goes (the
 * round trips stream there) and renamed into place at the end, so a failed
 * or interrupted run leaves no half-written results.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { toExactJson } from "../../harness/report/json.ts";
import type { BacktestReport } from "../../harness/report/report.ts";
import type { RunIdentity } from "../../harness/report/run-hash.ts";
import type { SeriesPoint } from "../../harness/report/run-series.ts";
import { TradesCsvWriter } from "../../harness/report/trades-csv.ts";
import { equityCsv, fillsCsv, positionCsv } from "./csv.ts";
import { renderReportHtml } from "./html.ts";

export const RESULTS_DIR = "backtests";

/** The files of a saved run. */
export const RUN_FILES = {
  report: "report.json",
  text: "report.txt",
  html: "report.html",
  fills: "fills.csv",
  roundTrips: "round-trips.csv",
  equity: "equity.csv",
  position: "position.csv",
} as const;

/** "20261202T001500.123Z": the UTC time to the millisecond, sortable and valid in every file system. */
export function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "");
}

export interface SavedRun {
  /** The JSON report's content, as `algo backtest --json` prints it. */
  json: unknown;
  /** The terminal report. */
  text: string;
  title: string;
  report: BacktestReport;
  run: RunIdentity;
  points: readonly SeriesPoint[];
  warnings: readonly string[];
}

/** The files of a saved run, by name, but the round trips (the engine streams them while it runs). */
export function runFiles(saved: SavedRun): Record<string, string> {
  return {
    [RUN_FILES.report]: toExactJson(saved.json) + "\n",
    [RUN_FILES.text]: saved.text + "\n",
    [RUN_FILES.fills]: fillsCsv(saved.report.result.fill_log),
    [RUN_FILES.equity]: equityCsv(saved.points),
    [RUN_FILES.position]: positionCsv(saved.points),
    [RUN_FILES.html]: renderReportHtml({
      title: saved.title,
      source: saved.report.source.description,
      result: saved.report.result,
      run: saved.run,
      points: saved.points,
      fills: saved.report.result.fill_log,
      warnings: saved.warnings,
    }),
  };
}

export class RunFolder {
  private readonly temp: string;
  /** The round trips, streamed here by the engine while it runs (TradesCsvWriter). */
  readonly roundTripsFile: string;

  /** Creates the temporary folder under `<root>/backtests/`. */
  constructor(readonly root: string) {
    const parent = path.join(root, RESULTS_DIR);
    this.temp = path.join(parent, `.partial-${process.pid}-${randomBytes(4).toString("hex")}`);
    mkdirSync(this.temp, { recursive: true });
    this.roundTripsFile = path.join(this.temp, RUN_FILES.roundTrips);
  }

  /** Writes the rest and moves the folder into place; returns its path. */
  finish(saved: SavedRun, now = new Date()): string {
    if (!existsSync(this.roundTripsFile)) new TradesCsvWriter(this.roundTripsFile).close(); // no engine wrote it: the header alone
    for (const [name, text] of Object.entries(runFiles(saved))) writeFileSync(path.join(this.temp, name), text);
    const base = `${utcStamp(now)}-${saved.run.run_sha256.slice(0, 8)}`;
    for (let n = 1; ; n++) {
      const target = path.join(this.root, RESULTS_DIR, n === 1 ? base : `${base}-${n}`);
      try {
        renameSync(this.temp, target);
        return target;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== "ENOTEMPTY" && code !== "EEXIST") || n > 100) throw e;
      }
    }
  }

  /** Removes the temporary folder (the run failed). */
  discard(): void {
    rmSync(this.temp, { recursive: true, force: true });
  }
}
