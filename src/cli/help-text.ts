/** The `--help` text the API verbs share: examples, then the exit codes. */

/** Exit codes, for every API verb's `--help`. */
export const EXIT_HELP =
  "Exit codes: 0 ok, 1 API error (or a module refused locally), 2 usage (bad flag, missing API key), 3 network";

/** The `--help` footer: examples, then the exit codes. */
export function helpFooter(...examples: string[]): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n\n${EXIT_HELP}`;
}
