/**
 * The one place a failed zod parse becomes a sentence: the first issue, where
 * it is (a key path) and what was expected. Each caller wraps the sentence in
 * its own error type (UsageError, ConfigError, an HTTP 400) and names the
 * file or request in front of it.
 */
import type * as z from "zod";

export interface SchemaProblem {
  /** Keys from the document's root to the value at fault (an unknown key included). */
  readonly path: readonly PropertyKey[];
  /** What was expected there, as the schema words it. */
  readonly message: string;
  /** `params` of a custom issue (e.g. an HTTP error code), when the schema set any. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The first issue of a failed parse (zod lists them in the order of the declaration). */
export function firstProblem(error: z.ZodError): SchemaProblem {
  const issue = error.issues[0];
  if (issue === undefined) return { path: [], message: "invalid" };
  switch (issue.code) {
    case "unrecognized_keys": // the path names the object; the first unknown key is the culprit
      return { path: [...issue.path, issue.keys[0]], message: issue.message };
    case "invalid_key": // the message is the key schema's own
      return { path: issue.path, message: issue.issues[0]?.message ?? issue.message };
    case "custom":
      return { path: issue.path, message: issue.message, params: issue.params };
    default:
      return { path: issue.path, message: issue.message };
  }
}

/**
 * A key path as the project's messages quote it: `"sequence.backtest.capital"`
 * (all of it quoted), or `"fees".coinbase.maker_bps` (the file's own key
 * quoted, the names under it not).
 */
export function keyPath(path: readonly PropertyKey[], quote: "whole" | "head"): string {
  if (path.length === 0) return "";
  const rest = path.slice(1).map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("");
  return quote === "whole" ? `"${String(path[0])}${rest}"` : `"${String(path[0])}"${rest}`;
}

/** `"where": message`, or the message alone at the root. */
export function describeProblem(problem: SchemaProblem, quote: "whole" | "head"): string {
  return problem.path.length === 0 ? problem.message : `${keyPath(problem.path, quote)}: ${problem.message}`;
}
