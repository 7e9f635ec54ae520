// The shared option definitions (src/cli/options.ts): whole numbers with a
// range, choices, --json; a bad value names the flag, the value and what was
// expected, and the action's types come from the declaration.
import { Command, CommanderError, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { describe, expect, expectTypeOf, it } from "vitest";
import { UsageError } from "../../src/cli/errors.ts";
import { choiceOption, jsonOption, wholeNumber, wholeOption, wholeText, wholeTextOption } from "../../src/cli/options.ts";

/** A command that throws instead of exiting, and writes nothing. */
function quiet<C extends CommandUnknownOpts>(command: C): C {
  return command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
}

describe("wholeNumber", () => {
  it("takes digits within the range, ends included", () => {
    const lines = wholeNumber({ min: 1, max: 10_000 });
    expect([lines("1"), lines("10000"), lines("0250")]).toEqual([1, 10_000, 250]);
  });

  it("refuses a value outside the range, a sign, a fraction or a blank, saying the range", () => {
    const lines = wholeNumber({ min: 1, max: 10_000 });
    for (const bad of ["0", "10001", "-1", "+5", "1.5", "1e3", "", " 5"]) expect(() => lines(bad), bad).toThrow("expected a whole number from 1 to 10000");
    expect(() => wholeNumber({ min: 1 })("0")).toThrow(/^expected a whole number ≥ 1$/);
    expect(() => wholeNumber()("x")).toThrow(/^expected a whole number$/);
  });

  it("keeps to numbers a double holds exactly: 2^53 − 1 is the largest", () => {
    expect(wholeNumber()("9007199254740991")).toBe(9_007_199_254_740_991);
    expect(() => wholeNumber()("9007199254740992")).toThrow(/^expected a whole number$/);
  });

  it("wholeText keeps any length as typed (a seed, nanoseconds)", () => {
    expect(wholeText()("123456789012345678901234567890")).toBe("123456789012345678901234567890");
    expect(() => wholeText({ example: "250" })("1.5")).toThrow(/^expected a whole number, e\.g\. 250$/);
  });

  it("says the wording it is given, then the example", () => {
    expect(() => wholeNumber({ min: 1, expected: "a whole number of at least 1", example: "1000" })("0")).toThrow(/^expected a whole number of at least 1, e\.g\. 1000$/);
  });
});

describe("wholeOption", () => {
  const declare = () => quiet(new Command("sweep").addOption(wholeOption("-j, --jobs <n>", "threads", { min: 1 }).default(4)).addOption(wholeTextOption("--seed <n>", "seed")));

  it("gives the action a number, or the default", () => {
    const opts = declare().parse(["-j", "3", "--seed", "18446744073709551617"], { from: "user" }).opts();
    expectTypeOf(opts.jobs).toEqualTypeOf<number>();
    expectTypeOf(opts.seed).toEqualTypeOf<string | undefined>();
    expect(opts).toEqual({ jobs: 3, seed: "18446744073709551617" });
    expect(declare().parse([], { from: "user" }).opts()).toEqual({ jobs: 4 });
  });

  it("names the flag as its short form, the value and the range in a UsageError (exit 2, one line)", () => {
    expect(() => declare().parse(["--jobs", "0"], { from: "user" })).toThrow(new UsageError("-j 0: expected a whole number ≥ 1"));
    expect(() => declare().parse(["--seed", "x"], { from: "user" })).toThrow(new UsageError("--seed x: expected a whole number"));
  });
});

describe("choiceOption", () => {
  const declare = () => quiet(new Command("backtest").addOption(choiceOption("--queue <model>", "queue model", ["through", "risk-averse", "prob"] as const).default("through")));

  it("gives the action the union of the choices", () => {
    const opts = declare().parse(["--queue", "prob"], { from: "user" }).opts();
    expectTypeOf(opts.queue).toEqualTypeOf<"through" | "risk-averse" | "prob">();
    expect(opts.queue).toBe("prob");
  });

  it("refuses another value, naming the flag, the value and every choice", () => {
    let thrown: unknown;
    try {
      declare().parse(["--queue", "fifo"], { from: "user" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CommanderError);
    expect((thrown as CommanderError).message).toBe("error: option '--queue <model>' argument 'fifo' is invalid. expected one of through, risk-averse, prob");
  });

  it("lists the choices in --help", () => {
    const help = declare().helpInformation().replace(/\s+/g, " "); // commander wraps the line to the terminal's width
    expect(help).toContain('--queue <model> queue model (choices: "through", "risk-averse", "prob", default: "through")');
  });
});

it("jsonOption is a boolean --json", () => {
  const opts = quiet(new Command("x").addOption(jsonOption("print it as JSON"))).parse(["--json"], { from: "user" }).opts();
  expectTypeOf(opts.json).toEqualTypeOf<true | undefined>();
  expect(opts).toEqual({ json: true });
});
