/**
 * What `algo backtest` saves (unless --no-save): opened before the replay
 * (the round trips and series are gathered while it runs), finished with the
 * report into `backtests/<time>-<hash>/`, or discarded if the run fails.
 */
import path from "node:path";
import { loadProject } from "../project.ts";
import { RunFolder, type SavedRun } from "./run-folder.ts";

export class ResultsRecorder {
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

  /** Where the engine (in its worker) streams the round trips while it runs. */
  get roundTripsFile(): string {
    return this.folder.roundTripsFile;
  }

  /** Writes the folder; returns its path relative to the working directory. Nothing is left if writing fails. */
  finish(saved: SavedRun): string {
    let dir: string;
    try {
      dir = this.folder.finish(saved);
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
