/**
 * What the first run of a sweep shows before the others start: a swept
 * param the algo never reads (a typo: every run would be the same), or a
 * figure the ranking needs that the report does not carry.
 */
import { UsageError } from "../cli/errors.ts";
import { MissingMetricError } from "./metrics.ts";

export interface FigureNeed {
  metric: string;
  /** The flag that asked for it, for the message. */
  flag: string;
}

export function checkFirstRun(params: Record<string, string>, outcome: { unused: string[]; metrics: Record<string, string> }, needs: readonly FigureNeed[]): void {
  const unread = Object.keys(params).filter((name) => outcome.unused.includes(name));
  if (unread.length) throw new UsageError(`--param ${unread.join(", ")}: the algo never reads ${unread.length === 1 ? "it" : "them"} (a typo?); nothing was swept`);
  for (const need of needs) if (outcome.metrics[need.metric] === undefined) throw new MissingMetricError(need.metric, need.flag, Object.keys(outcome.metrics));
}
