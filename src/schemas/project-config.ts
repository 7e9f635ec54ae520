/**
 * The project config: the `"sequence"` block of an algo project's
 * package.json. This declaration gives the types, the checks and their
 * messages (src/project.ts), and the JSON Schema editors complete from
 * (schema/project-config.schema.json, written by scripts/write-schema.ts).
 */
import * as z from "zod";

/**
 * The backtest flags a project may set under `sequence.backtest`: the run's
 * settings, not how it is printed or where the module comes from. Each value
 * still goes through its flag's own parser (src/cli/backtest-config.ts).
 */
export const PROJECT_SETTABLE_FLAGS = [
  "from", "to", "maker-bps", "taker-bps", "feed-latency", "entry-latency", "response-latency", "seed", "latency-ns",
  "queue", "capital", "market-remainder", "instrument", "stale-ns", "refuse-stale", "callback-budget-ms",
  "sample", "periods-per-year", "risk-free", "exact-latency",
] as const;

/** The settable flags that take no value (`--refuse-stale`): true or false in the file. */
const SWITCHES: ReadonlySet<string> = new Set(["refuse-stale", "exact-latency"]);

const got = (input: unknown) => (input === undefined ? "nothing" : JSON.stringify(input));

const flagValue = (flag: string) =>
  SWITCHES.has(flag)
    ? z.boolean({ error: (iss) => `expected true or false, got ${got(iss.input)}` })
    : z.union([z.string(), z.number()], { error: (iss) => `expected a string or a number, got ${got(iss.input)}` });

const paramValue = z.union([z.string(), z.number(), z.boolean()], { error: "expected a decimal number or true/false" });

export const backtestSettingsSchema = z
  .strictObject(
    {
      ...Object.fromEntries(PROJECT_SETTABLE_FLAGS.map((flag) => [flag, flagValue(flag).optional()])),
      params: z
        .record(z.string(), paramValue, { error: 'expected an object of params, e.g. {"half_spread_bps": "8"}' })
        .optional()
        .meta({ description: "algo params by name, as with --param name=value" }),
    } as Record<(typeof PROJECT_SETTABLE_FLAGS)[number], z.ZodOptional<z.ZodString | z.ZodNumber | z.ZodBoolean>> & {
      params: z.ZodOptional<z.ZodRecord<z.ZodString, typeof paramValue>>;
    },
    {
      error: (iss) =>
        iss.code === "unrecognized_keys" ? `not a backtest setting; expected one of ${[...PROJECT_SETTABLE_FLAGS, "params"].join(", ")}`
        : iss.code === "invalid_type" ? 'expected an object of backtest settings, e.g. {"maker-bps": "-1", "capital": "10000"}'
        : undefined,
    },
  )
  .meta({ description: "backtest settings by flag name (a flag given on the command line wins)" });

export type BacktestSettings = z.infer<typeof backtestSettingsSchema>;

export const sequenceBlockSchema = z
  .looseObject(
    {
      entry: z
        .string({ error: `expected the algo's source file, e.g. "assembly/algo.ts"` })
        .meta({ description: "the algo's source file, relative to package.json" }),
      symbols: z
        .array(z.string({ error: 'expected a symbol, e.g. "ETH-USD"' }), { error: 'expected a list of symbols, e.g. ["ETH-USD"]' })
        .optional()
        .meta({ description: "the symbols the algo trades (algo deploy and strategy push default to them)" }),
      data: z
        .string({ error: 'expected the default data of `algo backtest`, e.g. "sp500" or "ticks.csv"' })
        .optional()
        .meta({ description: "the default --data of algo backtest" }),
      backtest: backtestSettingsSchema.optional(),
    },
    { error: 'expected an object such as {"entry": "assembly/algo.ts", "symbols": ["ETH-USD"]}' },
  )
  .meta({ description: "sequence-algo project settings" });

/** What the toolkit reads of a project's package.json (npm's own keys pass through unchecked). */
export const projectPackageSchema = z.looseObject({
  name: z.string({ error: "expected the package name, a string" }).optional(),
  sequence: sequenceBlockSchema.optional(),
});

export type SequenceBlock = z.infer<typeof sequenceBlockSchema>;
