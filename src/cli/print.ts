/**
 * Where the deployment verbs' output goes: results to stdout, notes and
 * warnings to stderr, so `--json` output can be piped as is.
 */
import { stringifyJson } from "../client/index.ts";

/** One JSON document on stdout; big integers stay exact. */
export function printJson(value: unknown): void {
  process.stdout.write(stringifyJson(value) + "\n");
}

/** `warning: …` on stderr. */
export function warn(message: string): void {
  console.error(`warning: ${message}`);
}

/** A progress note on stderr. */
export function note(message: string): void {
  console.error(message);
}
