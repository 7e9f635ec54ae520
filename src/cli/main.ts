/** The `algo` command line: one file per verb, each a thin layer over the library. */
import { Command, CommanderError, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { CompileError } from "../build/compile.ts";
import { DataError } from "../../harness/data/errors.ts";
import { ModuleError } from "../../harness/module-check.ts";
import { ParamError } from "../../harness/params.ts";
import { AlgoTrap } from "../../harness/host.ts";
import { AlgoLoop } from "../../harness/algo-loop.ts";
import { isSequenceError } from "../client/errors.ts";
import { BacktestFailure, EmptyReplayError, EXIT, exitCodeForKind, NetworkError, UsageError } from "./errors.ts";
import { TOOLKIT_VERSION } from "../paths.ts";

interface Verb {
  register(program: Command): void;
}

// Each verb's module is loaded only when it runs: the deployment verbs pull in
// the HTTP/WebSocket client, `dev` SQLite, and a build or a typo should not
// pay for them. --help and an unknown verb load them all.
const LOCAL_VERBS: Record<string, () => Promise<Verb>> = {
  init: () => import("./init.ts"),
  build: () => import("./build.ts"),
  backtest: () => import("./backtest.ts"),
  results: () => import("./results.ts"),
  report: () => import("./report.ts"),
  sweep: () => import("./sweep.ts"),
  worker: () => import("./worker.ts"),
  test: () => import("./test.ts"),
  demo: () => import("./demo.ts"),
  dev: () => import("./dev.ts"),
};
const algos = () => import("./algos.ts");
const API_VERBS: Record<string, () => Promise<Verb>> = {
  deploy: () => import("./deploy.ts"),
  list: algos,
  status: algos,
  start: algos,
  stop: algos,
  undeploy: algos,
  logs: () => import("./logs.ts"),
  metrics: () => import("./metrics.ts"),
  strategy: () => import("./strategy.ts"),
  data: () => import("./data.ts"),
};

// When the reader of stdout goes away (`algo … --help | head`, `logs -f | head`), end quietly with exit 0, not a crash.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

const program = new Command("algo")
  .description("write trading algos in AssemblyScript, backtest them on real data, deploy them to Sequence edges")
  .version(TOOLKIT_VERSION)
  .exitOverride();

try {
  await registerVerbs(program, process.argv[2]);
  shortUsageErrors(program);
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = await exitCodeFor(error);
}

/** Registers the verb asked for, or every verb when none (or an unknown one) is named first. */
async function registerVerbs(program: Command, asked: string | undefined): Promise<void> {
  if (asked === "--version" || asked === "-V") return;
  if (asked !== undefined && Object.hasOwn(LOCAL_VERBS, asked)) return (await LOCAL_VERBS[asked]()).register(program);
  const { addGlobalOptions } = await import("./config.ts");
  if (asked !== undefined && Object.hasOwn(API_VERBS, asked)) {
    addGlobalOptions(program);
    return (await API_VERBS[asked]()).register(program);
  }
  for (const verb of await Promise.all(Object.values(LOCAL_VERBS).map((load) => load()))) verb.register(program);
  // Deployment verbs (they read --base-url, --profile, --verbose).
  addGlobalOptions(program);
  for (const verb of new Set(await Promise.all(Object.values(API_VERBS).map((load) => load())))) verb.register(program);
}

/**
 * A usage error is one line and a hint, like git's or wrangler's: commander's
 * "(Did you mean …?)" joins the message instead of starting a line of its own,
 * and the help screen is not printed (the hint names the command's --help).
 */
function shortUsageErrors(command: CommandUnknownOpts, path: string[] = []): void {
  const name = [...path, command.name()].join(" ");
  command.configureOutput({
    outputError: (message, write) => {
      const line = message.trim().replace(/\s*\n\s*(?=\(Did you mean)/, " ");
      write(`${line}\nrun '${name} --help' for usage\n`);
    },
  });
  for (const sub of command.commands) shortUsageErrors(sub, [...path, command.name()]);
}

async function exitCodeFor(error: unknown): Promise<number> {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const message = error instanceof Error ? error.message : String(error);
  // SequenceError kinds: api/deserialize/capability_missing → 1, validation → 2, network → 3.
  if (isSequenceError(error)) {
    const { describeSequenceError } = await import("./sequence-error-text.ts");
    console.error(describeSequenceError(error));
    return exitCodeForKind(error.kind);
  }
  if (error instanceof UsageError || error instanceof ParamError) {
    console.error(`error: ${message}`);
    return EXIT.usage;
  }
  if (error instanceof NetworkError) {
    console.error(`error: ${message}`);
    return EXIT.network;
  }
  if (error instanceof CompileError) {
    console.error(`build failed:\n${message}`);
    return EXIT.failure;
  }
  if (error instanceof DataError || error instanceof ModuleError || error instanceof AlgoTrap || error instanceof AlgoLoop || error instanceof EmptyReplayError || error instanceof BacktestFailure) {
    console.error(`error: ${message}`);
    return EXIT.failure;
  }
  // The file system said no (a read-only folder, a full disk): what and where, no stack.
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string") {
    console.error(`error: ${message}`);
    return EXIT.failure;
  }
  // A bug of the toolkit's own: one line, the stack only when asked for.
  console.error(`internal error: ${message}`);
  if (process.env.ALGO_DEBUG && error instanceof Error && error.stack) console.error(error.stack);
  else console.error("(set ALGO_DEBUG=1 to see where; please report it)");
  return EXIT.failure;
}
