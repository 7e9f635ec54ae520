/**
 * `algo list`, `algo status`, `algo start`, `algo stop`, `algo undeploy`:
 * deployed algos, addressed by deployment id or by symbol.
 *
 * Id or symbol is decided by shape: a target with at least one capital letter
 * and no lower-case letter (`ETH-USD`, `BTC-PERP`, `AAPL`) is a symbol;
 * anything else (`dep_1`, `3f2a…`) is a deployment id. `--id` / `--symbol`
 * force either reading.
 */
import type { Command, CommandUnknownOpts, OptionValues } from "@commander-js/extra-typings";
import {
  isSequenceError,
  SequenceError,
  type Algo,
  type Deployment,
  type Sequence,
} from "../client/index.ts";
import { connect } from "./config.ts";
import { UsageError } from "./errors.ts";
import { formatDeployment } from "./deployment-text.ts";
import { helpFooter } from "./help-text.ts";
import { note, printJson, warn } from "./print.ts";
import { objectTable } from "./wire-fields.ts";
import { renderTable } from "./table.ts";
import { count, printable } from "./format.ts";
import { fetchDeploymentView, type DeploymentView } from "./deployment-view.ts";
import { jsonOption, type JsonFlag, type OptionsOf } from "./options.ts";

/** The rule in the module comment. */
export const TARGET_HELP =
  "a deployment id (dep_…) or a symbol (ETH-USD); a target with capitals and no lower-case letters is read as a symbol";

/** `--id` / `--symbol`, as `targetOptions` declares them. */
export type TargetFlags = Partial<OptionsOf<typeof targetOptions<[], {}, {}>>>;

export type Target = { readonly kind: "id"; readonly id: string } | { readonly kind: "symbol"; readonly symbol: string };

/** True for `ETH-USD`, `BTC-PERP`, `AAPL`: capitals, digits, `-._/`, and no lower-case letter. */
export function looksLikeSymbol(text: string): boolean {
  return /^[A-Z0-9][A-Z0-9._/-]*$/.test(text) && /[A-Z]/.test(text);
}

/** Read a command-line target as a deployment id or a symbol. */
export function parseTarget(text: string, flags: TargetFlags = {}): Target {
  const t = text.trim();
  if (t === "") throw new UsageError("give a deployment id (dep_…) or a symbol (ETH-USD)");
  if (flags.id && flags.symbol) throw new UsageError("--id and --symbol contradict each other; give one");
  if (flags.id) return { kind: "id", id: t };
  if (flags.symbol || looksLikeSymbol(t)) return { kind: "symbol", symbol: t };
  return { kind: "id", id: t };
}

/** Adds `--id` / `--symbol` to a command that takes a target. */
export function targetOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  return cmd
    .option("--id", "read the target as a deployment id, whatever its shape")
    .option("--symbol", "read the target as a symbol, whatever its shape");
}

/** A 404 turned into an error that says what was looked for; other errors unchanged. */
export function explainNotFound(e: unknown, target: Target): unknown {
  if (!isSequenceError(e, "api") || e.status !== 404) return e;
  const what =
    target.kind === "symbol"
      ? `no algo is deployed on ${target.symbol} (read as a symbol; pass --id if it is a deployment id)`
      : `no deployment "${target.id}" (read as a deployment id; pass --symbol if it is a symbol; \`algo list --deployments\` lists them)`;
  return new SequenceError(
    { kind: "api", status: e.status, code: e.code, apiMessage: e.apiMessage },
    { operation: e.operation, method: e.method, path: e.path },
    `${what}: ${e.message}`,
  );
}

/** The deployment id inside an algo answer: `deployment_id`, `deployment.deployment_id`, or `id`. */
export function algoDeploymentId(algo: Algo): string | undefined {
  if (typeof algo.deployment_id === "string" && algo.deployment_id !== "") return algo.deployment_id;
  const d = algo.deployment;
  if (d !== null && typeof d === "object" && !Array.isArray(d) && typeof d.deployment_id === "string") return d.deployment_id;
  if (typeof algo.id === "string" && algo.id !== "") return algo.id;
  return undefined;
}

/** The algo running on `symbol` (`GET /v1/algos/{symbol}`), with a clear 404. */
export async function algoOn(seq: Sequence, symbol: string): Promise<Algo> {
  try {
    return await seq.algo(symbol);
  } catch (e) {
    throw explainNotFound(e, { kind: "symbol", symbol });
  }
}

/** The deployment id a target names; a symbol is looked up with `GET /v1/algos/{symbol}`. */
export async function deploymentIdOf(seq: Sequence, target: Target): Promise<string> {
  if (target.kind === "id") return target.id;
  const algo = await algoOn(seq, target.symbol);
  const id = algoDeploymentId(algo);
  if (id === undefined) {
    const path = `/v1/algos/${encodeURIComponent(target.symbol)}`;
    throw new SequenceError(
      { kind: "deserialize", snippet: Object.keys(algo).join(",") },
      { operation: "algo", method: "GET", path },
      `algo: GET ${path} answered without a deployment id (looked for "deployment_id", "deployment.deployment_id", "id"; fields: ${Object.keys(algo).join(", ") || "none"})`,
    );
  }
  return id;
}

/** The deployment a target names (`GET /v1/deployments/{id}`, with fees from `…/metrics`), with a clear 404. */
export async function fetchDeployment(seq: Sequence, target: Target): Promise<DeploymentView> {
  const id = await deploymentIdOf(seq, target);
  try {
    return await fetchDeploymentView(seq, id);
  } catch (e) {
    throw explainNotFound(e, target.kind === "id" ? target : { kind: "id", id });
  }
}

/** `{…, status}` or `{deployment: {status}}` of a free-form algo. */
function algoStatusText(algo: Algo): string | undefined {
  if (typeof algo.status === "string") return algo.status;
  const d = algo.deployment;
  if (d !== null && typeof d === "object" && !Array.isArray(d) && typeof d.status === "string") return d.status;
  return undefined;
}

/** The reference: "algo_stop does not cancel the algo's resting orders". */
export const STOP_WARNING =
  "stopping does not cancel the algo's resting orders: they stay on the venues and can still fill. " +
  "Cancel them in the algo's onStop callback, or cancel each order.";

async function listCommand(opts: JsonFlag & { edges?: boolean; deployments?: boolean }, cmd: CommandUnknownOpts): Promise<void> {
  if (opts.edges && opts.deployments) throw new UsageError("--edges and --deployments are different listings; give one");
  const { seq } = connect(cmd);
  if (opts.deployments) {
    const deployments = await seq.deployments();
    if (opts.json) return printJson({ deployments });
    if (deployments.length === 0) return note("no deployments");
    const rows = deployments.map((d) => [
      d.deployment_id,
      d.name === undefined || d.name === null ? "-" : printable(d.name),
      d.symbols.join(","),
      d.status,
      `${d.pushed_to}/${d.capable_edges}`,
      count(d.size_bytes),
    ]);
    console.log(
      renderTable(
        [{ header: "DEPLOYMENT" }, { header: "NAME" }, { header: "SYMBOLS" }, { header: "STATUS" }, { header: "EDGES", align: "right" }, { header: "BYTES", align: "right" }],
        rows,
      ),
    );
    return;
  }
  const algos = opts.edges ? await seq.algosPerEdge() : await seq.algos();
  if (opts.json) return printJson({ algos });
  if (algos.length === 0) return note("no algos deployed (deploy one with `algo deploy <SYMBOL>`)");
  const preferred = opts.edges
    ? ["symbol", "deployment_id", "name", "edge_id", "venue", "status", "position_1e8", "realized_pnl_1e9", "unrealized_pnl_1e9", "fees_1e9", "net_pnl_1e9", "fill_count", "callback_latency_ns"]
    : ["symbol", "deployment_id", "name", "status", "pushed_to", "capable_edges", "edges"];
  console.log(objectTable(algos, preferred));
}

async function statusCommand(text: string, opts: JsonFlag & TargetFlags, cmd: CommandUnknownOpts): Promise<void> {
  const target = parseTarget(text, opts);
  const { seq } = connect(cmd);
  const d = await fetchDeployment(seq, target);
  if (opts.json) return printJson(d);
  console.log(formatDeployment(d));
}

async function lifecycle(verb: "start" | "stop", text: string, opts: JsonFlag & TargetFlags, cmd: CommandUnknownOpts): Promise<void> {
  const target = parseTarget(text, opts);
  const { seq } = connect(cmd);
  if (verb === "stop") warn(STOP_WARNING);
  const past = verb === "start" ? "started" : "stopped";
  if (target.kind === "id") {
    let d: Deployment;
    try {
      d = verb === "start" ? await seq.algoStart(target.id) : await seq.algoStop(target.id);
    } catch (e) {
      throw explainNotFound(e, target);
    }
    if (opts.json) return printJson(d);
    console.log(formatDeployment(d, past));
    return;
  }
  let algo: Algo;
  try {
    algo = verb === "start" ? await seq.algoStartBySymbol(target.symbol) : await seq.algoStopBySymbol(target.symbol);
  } catch (e) {
    throw explainNotFound(e, target);
  }
  if (opts.json) return printJson(algo);
  const id = algoDeploymentId(algo);
  const status = algoStatusText(algo);
  console.log(`${past} the algo on ${target.symbol}${id ? ` (deployment ${id})` : ""}${status ? `: status ${status}` : ""}`);
}

async function undeployCommand(text: string, opts: JsonFlag & TargetFlags, cmd: CommandUnknownOpts): Promise<void> {
  const target = parseTarget(text, opts);
  const { seq } = connect(cmd);
  const id = await deploymentIdOf(seq, target);
  warn("undeploy removes the algo from its edges; the API does not say it cancels resting orders — check the account's open orders");
  let result: { deployment_id: string; status: string };
  try {
    result = await seq.algoUndeploy(id);
  } catch (e) {
    throw explainNotFound(e, { kind: "id", id });
  }
  if (opts.json) return printJson(result);
  console.log(`undeployed ${result.deployment_id}${target.kind === "symbol" ? ` (the algo on ${target.symbol})` : ""}: ${result.status}`);
}

export function register(program: Command): void {
  program
    .command("list")
    .description("list deployed algos by symbol (or per edge, or the raw deployments)")
    .option("--edges", "one row per algo per edge: position, PnL, fills, latency")
    .option("--deployments", "list deployments (GET /v1/deployments) instead of algos by symbol")
    .addOption(jsonOption("print the API's answer as JSON (exact integers)"))
    .addHelpText("after", helpFooter("algo list", "algo list --edges", "algo list --deployments --json"))
    .action(listCommand);

  targetOptions(
    program
      .command("status")
      .description("show a deployment: status, edges, and per-edge position and PnL")
      .argument("<target>", TARGET_HELP),
  )
    .addOption(jsonOption("print the deployment as JSON (exact integers)"))
    .addHelpText("after", helpFooter("algo status ETH-USD", "algo status dep_1 --json"))
    .action(statusCommand);

  targetOptions(
    program.command("start").description("start a deployed algo on its edges").argument("<target>", TARGET_HELP),
  )
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo start ETH-USD", "algo start dep_1"))
    .action((t, o, c) => lifecycle("start", t, o, c));

  targetOptions(
    program
      .command("stop")
      .description("stop a deployed algo (it stays deployed; its resting orders are NOT cancelled)")
      .argument("<target>", TARGET_HELP),
  )
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText(
      "after",
      `\nStopping does not cancel the algo's resting orders; cancel them in onStop or one by one.${helpFooter("algo stop ETH-USD", "algo stop dep_1")}`,
    )
    .action((t, o, c) => lifecycle("stop", t, o, c));

  targetOptions(
    program.command("undeploy").description("remove a deployed algo from its edges").argument("<target>", TARGET_HELP),
  )
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo undeploy ETH-USD", "algo undeploy dep_1"))
    .action(undeployCommand);
}
