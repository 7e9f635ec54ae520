/** The `algo` command line: one file per verb, each a thin layer over the library. */
import { Command, CommanderError } from "commander";
import { CompileError } from "../build/compile.ts";
import { DataError } from "../../harness/data/errors.ts";
import { ModuleError } from "../../harness/module-check.ts";
import { ParamError } from "../../harness/params.ts";
import { AlgoTrap } from "../../harness/host.ts";
import { EXIT, UsageError } from "./errors.ts";
import * as build from "./build.ts";
import * as backtest from "./backtest.ts";
import * as init from "./init.ts";
import * as demo from "./demo.ts";
import * as test from "./test.ts";
import { isSequenceError } from "../client/index.ts";
import { addGlobalOptions } from "./config.ts";
import { describeSequenceError } from "./output.ts";
import { exitCodeForKind } from "./errors.ts";
import * as deploy from "./deploy.ts";
import * as algos from "./algos.ts";
import * as logs from "./logs.ts";
import * as metrics from "./metrics.ts";
import * as strategy from "./strategy.ts";
import * as data from "./data.ts";
import * as dev from "./dev.ts";
import { TOOLKIT_VERSION } from "../paths.ts";

const program = new Command("algo")
  .description("write trading algos in AssemblyScript, backtest them on real data, deploy them to Sequence edges")
  .version(TOOLKIT_VERSION)
  .exitOverride();

for (const verb of [init, build, backtest, test, demo, dev]) verb.register(program);
// Deployment verbs (they read --base-url, --profile, --verbose).
addGlobalOptions(program);
for (const verb of [deploy, algos, logs, metrics, strategy, data]) verb.register(program);
shortUsageErrors(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/**
 * A usage error is one line and a hint, like git's or wrangler's: commander's
 * "(Did you mean …?)" joins the message instead of starting a line of its own,
 * and the help screen is not printed (the hint names the command's --help).
 */
function shortUsageErrors(command: Command, path: string[] = []): void {
  const name = [...path, command.name()].join(" ");
  command.configureOutput({
    outputError: (message, write) => {
      const line = message.trim().replace(/\s*\n\s*(?=\(Did you mean)/, " ");
      write(`${line}\nrun '${name} --help' for usage\n`);
    },
  });
  for (const sub of command.commands) shortUsageErrors(sub, [...path, command.name()]);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const message = error instanceof Error ? error.message : String(error);
  // SequenceError kinds: api/deserialize/capability_missing → 1, validation → 2, network → 3.
  if (isSequenceError(error)) {
    console.error(describeSequenceError(error));
    return exitCodeForKind(error.kind);
  }
  if (error instanceof UsageError || error instanceof ParamError) {
    console.error(`error: ${message}`);
    return EXIT.usage;
  }
  if (error instanceof CompileError) {
    console.error(`build failed:\n${message}`);
    return EXIT.failure;
  }
  if (error instanceof DataError || error instanceof ModuleError || error instanceof AlgoTrap || error instanceof backtest.EmptyReplayError) {
    console.error(`error: ${message}`);
    return EXIT.failure;
  }
  // A bug of the toolkit's own: one line, the stack only when asked for.
  console.error(`internal error: ${message}`);
  if (process.env.ALGO_DEBUG && error instanceof Error && error.stack) console.error(error.stack);
  else console.error("(set ALGO_DEBUG=1 to see where; please report it)");
  return EXIT.failure;
}
