/**
 * What `algo backtest` saves (unless --no-save): opened before the replay
 * (the round trips and series are gathered while it runs), finished with the
 * report into `backtests/<time>-<hash>/`, or discarded if the run fails.
 */
import path from "node:path";
import type { RoundTrip } from "../../harness/report/round-trips.ts";
import { RunSeries } from "../../harness/report/run-series.ts";
import { loadProject } from "../project.ts";
import { RunFolder, type SavedRun } from "./run-folder.ts";

export class ResultsRecorder {
  readonly series = new RunSeries();
  private readonly folder: RunFolder;

  private constructor(root: string) {
    this.folder = new RunFolder(root);
  }

  /** A recorder in the project around the working directory; none outside a project (nowhere to keep results). */
  static async open(): Promise<ResultsRecorder | undefined> {
    let root: string;
    try {
      root = (await loadProject()).root;
    } catch {
      return undefined;
    }
    return new ResultsRecorder(root);
  }

  onRoundTrip = (trip: RoundTrip): void => this.folder.roundTrips.write(trip);

  /** Writes the folder; returns its path relative to the working directory. Nothing is left if writing fails. */
  finish(saved: Omit<SavedRun, "points">): string {
    let dir: string;
    try {
      dir = this.folder.finish({ ...saved, points: this.series.points() });
    } catch (e) {
      this.discard();
      throw e;
    }
    return path.relative(process.cwd(), dir) || ".";
  }

  discard(): void {
    this.folder.discard();
  }
}

/** Both round-trip consumers (the --trades file and the saved folder), or the one there is. */
export function bothRoundTrips(a?: (t: RoundTrip) => void, b?: (t: RoundTrip) => void): ((t: RoundTrip) => void) | undefined {
  if (a && b)
    return (t) => {
      a(t);
      b(t);
    };
  return a ?? b;
}
