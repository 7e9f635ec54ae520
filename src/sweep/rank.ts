/**
 * Ranks a sweep's runs: those that meet every constraint by the target,
 * best first, ties by run number; then those that miss a constraint, then
 * those that failed, each by run number. A pure function of the rows, so
 * shards merged rank exactly as one machine's run.
 */
import { compareDecimal } from "./decimal.ts";
import { meets, METRICS, MissingMetricError, type Constraint } from "./metrics.ts";

export interface RunRow {
  /** Position in the sweep's run list. */
  run: number;
  params: Record<string, string>;
  /** Content address (settings.ts runKey). */
  key: string;
  metrics?: Record<string, string>;
  error?: string;
  /** The run's results folder under runs/ (folder.ts runFolderName); none when it failed. */
  folder?: string;
}

export interface RankedRow extends RunRow {
  /** 1-based among the runs that meet the constraints; null for the others. */
  rank: number | null;
  /** The constraints this run misses, as typed. */
  misses: string[];
}

export function rankRows(rows: readonly RunRow[], target: string, constraints: readonly Constraint[]): RankedRow[] {
  const higherFirst = METRICS[target].better === "higher";
  const judged = rows.map((row): RankedRow => {
    if (!row.metrics) return { ...row, rank: null, misses: [] };
    if (row.metrics[target] === undefined) throw new MissingMetricError(target, "--target", Object.keys(row.metrics));
    return { ...row, rank: null, misses: constraints.filter((c) => !meets(row.metrics!, c)).map((c) => c.text) };
  });
  const group = (r: RankedRow) => (r.error !== undefined ? 2 : r.misses.length > 0 ? 1 : 0);
  judged.sort((a, b) => {
    const g = group(a) - group(b);
    if (g !== 0) return g;
    if (group(a) === 0) {
      const c = compareDecimal(a.metrics![target], b.metrics![target]);
      if (c !== 0) return higherFirst ? -c : c;
    }
    return a.run - b.run;
  });
  let rank = 0;
  for (const r of judged) if (group(r) === 0) r.rank = ++rank;
  return judged;
}
