/**
 * Parsers for option values, run by commander while it reads the command
 * line: a bad value is a one-line usage error (exit 2) before any work starts
 * (no compile, no data read, no request).
 */
import { statSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError } from "commander";
import { BpsFees } from "../../harness/venue/fees.ts";
import { DelaySpecError, parseDelay } from "../../harness/venue/latency.ts";
import { parseFixed } from "../../harness/data/decimal.ts";
import { parseTimeBound } from "../../harness/data/time-range.ts";
import { UsageError } from "./errors.ts";

/** Basis points with at most 4 decimals, negative allowed (a rebate): the fee models' own check. */
export function bps(value: string): string {
  try {
    new BpsFees(value, 0);
  } catch {
    throw new InvalidArgumentError("expected basis points with at most 4 decimals, e.g. 2.5 or -1");
  }
  return value;
}

/** A whole number ≥ 0, kept as text (callers turn it into a bigint or a number). */
export function whole(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number, e.g. 250");
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

/** A whole number ≥ 1, kept as text. */
export function positiveWhole(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number of at least 1, e.g. 1000");
  return value;
}

/** One of `choices`. */
export function oneOf(choices: readonly string[]): (value: string) => string {
  return (value) => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(", ")}`);
    return value;
  };
}

/** Repeatable option: every value, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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

/** `--from`/`--to`: a UTC date, an instant or ns since 1970 (data/time-range.ts), kept as text. */
export function timeBound(value: string): string {
  try {
    parseTimeBound(value, false);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return value;
}
