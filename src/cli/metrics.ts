/**
 * `algo metrics <id|symbol> [--watch] [--interval ms]`: the per-edge table of a
 * deployment in human units (venue, status, position, realized and unrealized
 * PnL, fees, net PnL, fills, callback latency), from `GET /v1/deployments/{id}`
 * and the fees from its metrics (deployment-view.ts).
 *
 * `--watch` refreshes it every `--interval` ms until Ctrl-C, or until the
 * deployment is undeployed (exit 0 both): in place when stdout is a terminal
 * (cursor up + clear), as repeated blocks otherwise (one JSON document per
 * refresh with `--json`). `--raw` prints the server's free-form
 * `GET /v1/deployments/{id}/metrics` answer instead.
 */
import type { Command, CommandUnknownOpts } from "@commander-js/extra-typings";
import { isSequenceError, stringifyJson, type Sequence } from "../client/index.ts";
import { deploymentIdOf, explainNotFound, parseTarget, TARGET_HELP, targetOptions } from "./algos.ts";
import { connect } from "./config.ts";
import { UsageError } from "./errors.ts";
import { edgeTable } from "./deployment-text.ts";
import { helpFooter } from "./help-text.ts";
import { note } from "./print.ts";
import { fetchDeploymentView, type DeploymentView } from "./deployment-view.ts";
import { jsonOption, wholeOption, type OptionsOf } from "./options.ts";

export const DEFAULT_INTERVAL_MS = 2000;
const MIN_INTERVAL_MS = 100;

type MetricsCliOptions = OptionsOf<typeof declareMetrics>;

/** The block printed for one refresh. */
export function metricsBlock(d: DeploymentView, at: Date = new Date()): string {
  const head = `${d.deployment_id}${d.name ? ` "${d.name}"` : ""}  ${d.symbols.join(", ")}  ${d.status}  ` +
    `(${d.pushed_to}/${d.capable_edges} edges)  at ${at.toISOString().replace(/\.\d{3}Z$/, "Z")}`;
  return `${head}\n${d.edges.length ? edgeTable(d.edges, d.symbols, true) : "  (no edge hosts it)"}`;
}

/** Terminal rows a block takes, counting wrapped lines. */
function rowsOf(block: string): number {
  const cols = process.stdout.columns || 80;
  return block.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil([...line].length / cols)), 0);
}

async function status(seq: Sequence, id: string): Promise<DeploymentView> {
  try {
    return await fetchDeploymentView(seq, id);
  } catch (e) {
    throw explainNotFound(e, { kind: "id", id });
  }
}

async function metricsCommand(text: string, opts: MetricsCliOptions, cmd: CommandUnknownOpts): Promise<void> {
  const target = parseTarget(text, opts);
  const interval = opts.interval;
  if (opts.raw && opts.json) throw new UsageError("--raw already prints JSON; drop --json");
  const { seq } = connect(cmd);
  const id = await deploymentIdOf(seq, target);

  /** One refresh: the text to print, and whether the deployment is gone (undeployed). */
  const once = async (): Promise<{ text: string; undeployed: boolean }> => {
    if (opts.raw) {
      try {
        const m = await seq.algoMetrics(id);
        const gone = m !== null && typeof m === "object" && !Array.isArray(m) && m.status === "undeployed";
        return { text: stringifyJson(m), undeployed: gone };
      } catch (e) {
        throw explainNotFound(e, { kind: "id", id });
      }
    }
    const d = await status(seq, id);
    return { text: opts.json ? stringifyJson(d) : metricsBlock(d), undeployed: d.status === "undeployed" };
  };

  if (!opts.watch) {
    console.log((await once()).text);
    return;
  }
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    // A second signal (a second Ctrl-C, or `timeout` signalling the process and then its group) ends it at once.
    if (stopped) process.exit(0);
    stopped = true;
    clearTimeout(timer);
    wake?.();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const inPlace = Boolean(process.stdout.isTTY) && !opts.json && !opts.raw;
  let shown = "";
  let shownRows = 0;
  try {
    for (let i = 0; !stopped; i++) {
      let block: string;
      let failed = false;
      let gone = false;
      try {
        ({ text: block, undeployed: gone } = await once());
      } catch (e) {
        if (i > 0 && isSequenceError(e, "api") && e.status === 404) {
          // Some APIs forget an undeployed deployment: it ended, like an "undeployed" status.
          note(`${id} is gone (undeployed); stopped watching`);
          return;
        }
        // A dropped connection is shown and retried; any other error ends the watch.
        if (i === 0 || !isSequenceError(e, "network")) throw e;
        failed = true;
        block = `${shown}\n  refresh failed: ${e.message}; retrying every ${interval} ms`;
      }
      if (stopped) break;
      if (inPlace && shownRows > 0) process.stdout.write(`\x1b[${shownRows}A\r\x1b[J`);
      else if (i > 0 && !opts.json && !opts.raw) process.stdout.write("\n");
      process.stdout.write(block + "\n");
      if (!failed) shown = block;
      shownRows = rowsOf(block);
      if (gone) {
        note(`${id} was undeployed; stopped watching`);
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, interval);
      });
    }
  } finally {
    clearTimeout(timer);
    // Stopped by a signal: exit now. Left to wind down, Node drops its signal handlers before the
    // process ends, and a second signal in that moment (`timeout` signals the process, then its
    // group) would kill it instead of ending it with 0.
    if (stopped) process.exit(0);
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function declareMetrics(program: Command) {
  return targetOptions(
    program
      .command("metrics")
      .description("per-edge position, PnL, fees, net PnL, fills and callback latency of a deployed algo, in human units")
      .argument("<target>", TARGET_HELP),
  )
    .option("-w, --watch", "refresh until Ctrl-C (in place on a terminal)")
    .addOption(
      wholeOption("--interval <ms>", "refresh period for --watch, in milliseconds", {
        min: MIN_INTERVAL_MS,
        expected: `whole milliseconds, at least ${MIN_INTERVAL_MS}`,
      }).default(DEFAULT_INTERVAL_MS),
    )
    .addOption(jsonOption("print the deployment with its edges as JSON (exact integers); one document per refresh"))
    .option("--raw", "print the server's free-form metrics (GET /v1/deployments/{id}/metrics) as JSON");
}

export function register(program: Command): void {
  declareMetrics(program)
    .addHelpText(
      "after",
      `\nWith --watch, Ctrl-C ends the command with exit code 0, and so does the deployment being undeployed.${helpFooter("algo metrics ETH-USD", "algo metrics dep_1 --watch --interval 1000", "algo metrics ETH-USD --json")}`,
    )
    .action(metricsCommand);
}
