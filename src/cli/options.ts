/**
 * The option definitions the verbs share, and the parsers of option values.
 *
 * commander runs a parser while it reads the command line, so a bad value is
 * a one-line usage error (exit 2) before any work starts (no compile, no data
 * read, no request). With @commander-js/extra-typings a parser's return type
 * is the option's type in the verb's action: the declaration is the type.
 *
 * A parser throws `InvalidArgumentError("expected …")`; commander names the
 * flag and the value (`option '--seed <n>' argument 'x' is invalid. expected
 * a whole number`), and backtest-config.ts names the package.json key when
 * the same parser reads a project setting. A verb's own whole-number options
 * (`wholeOption`) are reported the shorter way the deployment and data verbs
 * print usage errors: `-j 0: expected a whole number ≥ 1`.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { BPS_EXPECTED, parseBps } from "../../harness/venue/fees.ts";
import { DelaySpecError, parseDelay } from "../../harness/venue/latency.ts";
import { parseFixed } from "../../harness/data/decimal.ts";
import { parseTimeBound } from "../../harness/data/time-range.ts";
import { UsageError } from "./errors.ts";

/** `--json`: machine-readable output on stdout (what it prints is the verb's to say). */
export function jsonOption(description: string) {
  return new Option("--json", description);
}

/** The accepted range of a whole number; `expected` replaces the generated wording ("a whole number from 1 to 10000"). */
export interface WholeRange {
  readonly min?: number;
  readonly max?: number;
  readonly expected?: string;
  /** Shown after the wording: ", e.g. 250". */
  readonly example?: string;
}

function expectedWhole({ min = 0, max, expected, example }: WholeRange): string {
  const words = expected ?? (max !== undefined ? `a whole number from ${min} to ${max}` : min > 0 ? `a whole number ≥ ${min}` : "a whole number");
  return example === undefined ? words : `${words}, e.g. ${example}`;
}

/** Digits only, within the range (checked as a bigint: any length is compared exactly). */
function checkWhole(value: string, range: WholeRange): void {
  const ok = /^\d+$/.test(value) && BigInt(value) >= BigInt(range.min ?? 0) && (range.max === undefined || BigInt(value) <= BigInt(range.max));
  if (!ok) throw new InvalidArgumentError(`expected ${expectedWhole(range)}`);
}

/** A whole number in `range` (at most 2^53 − 1 unless narrower), as a number. */
export function wholeNumber(range: WholeRange = {}): (value: string) => number {
  const checked: WholeRange = { min: range.min, max: range.max ?? Number.MAX_SAFE_INTEGER, expected: expectedWhole(range) };
  return (value) => {
    checkWhole(value, checked);
    return Number(value);
  };
}

/** A whole number in `range`, kept as text (any size: a seed, nanoseconds); callers turn it into a bigint. */
export function wholeText(range: WholeRange = {}): (value: string) => string {
  return (value) => {
    checkWhole(value, range);
    return value;
  };
}

/** A verb's whole-number option: a bad value is `error: -n abc: expected a whole number of lines from 1 to 10000`. */
export function wholeOption<const Flags extends string>(flags: Flags, description: string, range: WholeRange = {}) {
  const option = new Option(flags, description);
  return option.argParser(namingTheFlag(option.short ?? option.long ?? flags, wholeNumber(range)));
}

/** `wholeOption` whose value stays text (a seed: any length, printed as typed). */
export function wholeTextOption<const Flags extends string>(flags: Flags, description: string, range: WholeRange = {}) {
  const option = new Option(flags, description);
  return option.argParser(namingTheFlag(option.short ?? option.long ?? flags, wholeText(range)));
}

/** A parser whose complaint names the flag and the value itself (`<flag> <value>: expected …`), as a UsageError. */
function namingTheFlag<T>(flag: string, parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw new UsageError(`${flag} ${value}: ${e.message}`);
      throw e;
    }
  };
}

/** One of `choices`: "expected one of a, b, c". */
export function oneOf<const T extends readonly string[]>(choices: T): (value: string) => T[number] {
  return (value) => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(", ")}`);
    return value;
  };
}

/** An option that takes one of `choices`: `--help` lists them, a typo is "expected one of …", the action sees the union type. */
export function choiceOption<const Flags extends string, const T extends readonly string[]>(flags: Flags, description: string, choices: T) {
  return new Option(flags, description).choices(choices).argParser(oneOf(choices));
}

/** Repeatable option: every value, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Basis points with at most 4 decimals, negative allowed (a rebate): the fee models' own check. */
export function bps(value: string): string {
  try {
    parseBps(value);
  } catch {
    throw new InvalidArgumentError(BPS_EXPECTED);
  }
  return value;
}

/** A latency: whole ns or a seeded distribution (venue/latency.ts parseDelay), kept as text. */
export function delay(value: string): string {
  try {
    parseDelay(value);
  } catch (e) {
    if (!(e instanceof DelaySpecError)) throw e;
    throw new InvalidArgumentError(e.message.replace(/^"[^"]*": /, "")); // commander names the flag and the value
  }
  return value;
}

/** An amount of USD > 0 with at most 9 decimals, kept as text (parseFixed(value, 9) gives USD 1e9). */
export function usdAmount(value: string): string {
  let v: bigint;
  try {
    v = parseFixed(value, 9);
  } catch {
    throw new InvalidArgumentError("expected an amount of USD with at most 9 decimals, e.g. 10000 or 2500.50");
  }
  if (v <= 0n) throw new InvalidArgumentError("expected an amount of USD greater than 0");
  return value;
}

/** `--from`/`--to`: a UTC date, an instant or ns since 1970 (data/time-range.ts), kept as text. */
export function timeBound(value: string): string {
  try {
    parseTimeBound(value, false);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return value;
}

/** Runs a harness parser as an option parser: its RangeError becomes a one-line usage error; the value is kept as text. */
export function checkedBy(parse: (text: string) => unknown): (value: string) => string {
  return (value) => {
    try {
      parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
    return value;
  };
}

const UNIT_NS: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** `--sample`: "1d", "4h", "15m", "30s", "500ms" → the interval in ns, as text. */
export function samplingInterval(value: string): string {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m || BigInt(m[1]) === 0n) throw new InvalidArgumentError("expected a positive whole number and a unit (ms, s, m, h, d), e.g. 1d, 4h or 15m");
  return String(BigInt(m[1]) * UNIT_NS[m[2]]);
}

/** `--periods-per-year`: a positive number, e.g. 252 or 365, kept as text. */
export function periodsPerYear(value: string): string {
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(Number(value) > 0)) throw new InvalidArgumentError("expected a positive number, e.g. 252 (trading days) or 365");
  return value;
}

/** `--risk-free`: an annual rate in percent, e.g. 4.5 or -0.5, kept as text. */
export function annualPct(value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value.trim()) || Math.abs(Number(value)) >= 100) throw new InvalidArgumentError("expected an annual rate in percent between -100 and 100, e.g. 4.5");
  return value;
}

/**
 * A file the command will write (`-o`): its folder must exist and it must not
 * be a folder itself. Returns the absolute path. Called from actions (not as a
 * commander parser) so that the default value is checked too.
 */
export function outputFile(flag: string, value: string): string {
  const file = path.resolve(value);
  const fail = (why: string) => new UsageError(`${flag} ${value}: ${why}`);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw fail(`is a directory; give a file name, e.g. ${path.join(value, "out.csv")}`);
  const dir = path.dirname(file);
  const parent = statSync(dir, { throwIfNoEntry: false });
  if (!parent) throw fail(`the folder ${dir} does not exist; create it first`);
  if (!parent.isDirectory()) throw fail(`${dir} is not a folder`);
  return file;
}

/** The options an action gets from a command that a `declare…(program)` function returns: the declaration is the type. */
export type OptionsOf<Declare extends (...args: never[]) => { opts(): unknown }> = ReturnType<ReturnType<Declare>["opts"]>;

/** What `jsonOption` gives an action. */
export interface JsonFlag {
  readonly json?: boolean;
}
