/**
 * `algo strategy push|list|show|start|stop|logs|rm`: hosted strategies.
 *
 * `push` packs the checked module with a `manifest.json` into a zip and uploads
 * it as `artifact_base64` (`POST /v1/strategies`). The manifest (declared in
 * src/schemas/strategy-manifest.ts):
 *
 * ```json
 * { "format": 1, "name": "mm-eth", "symbols": ["ETH-USD"], "abi_version": "1.3",
 *   "callbacks": ["on_quote", "on_fill"], "module": "algo.wasm",
 *   "size_bytes": 12697, "sha256": "…", "tool": "sequence-algo 0.1.0" }
 * ```
 *
 * The zip is reproducible: fixed entry order and timestamps, so the same
 * module and manifest give the same bytes.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command, CommandUnknownOpts } from "@commander-js/extra-typings";
import { strToU8, zipSync } from "fflate";
import { isSequenceError, SequenceError, type JsonValue, type Sequence, type Strategy } from "../client/index.ts";
import type { ModuleInfo } from "../../harness/module-check.ts";
import { TOOLKIT_VERSION } from "../paths.ts";
import { MANIFEST_FILE, MANIFEST_FORMAT, type StrategyManifest } from "../schemas/strategy-manifest.ts";
import { connect } from "./config.ts";
import { obtainModule, sha256, splitList } from "./deploy.ts";
import { UsageError } from "./errors.ts";
import { collect, jsonOption, type JsonFlag, type OptionsOf } from "./options.ts";
import { count } from "./format.ts";
import { helpFooter } from "./help-text.ts";
import { note, printJson } from "./print.ts";
import { formatLogLine } from "./trace-text.ts";
import { describeObject, objectTable } from "./wire-fields.ts";

const TOOL = `sequence-algo ${TOOLKIT_VERSION}`;
/** Zip entry timestamps (local time; the zip format starts in 1980). */
const ZIP_MTIME = new Date(1980, 0, 2);

/** The artifact: `manifest.json` then the module, in a zip. */
export function packStrategy(
  name: string,
  symbols: readonly string[],
  wasm: Uint8Array,
  info: Pick<ModuleInfo, "abi" | "callbacks">,
  moduleName: string,
): { zip: Uint8Array; manifest: StrategyManifest } {
  const manifest: StrategyManifest = {
    format: MANIFEST_FORMAT,
    name,
    symbols: [...symbols],
    abi_version: `${info.abi.major}.${info.abi.minor}`,
    callbacks: [...info.callbacks],
    module: moduleName,
    size_bytes: wasm.length,
    sha256: sha256(wasm),
    tool: TOOL,
  };
  const zip = zipSync(
    { [MANIFEST_FILE]: strToU8(JSON.stringify(manifest, null, 2) + "\n"), [moduleName]: wasm },
    { level: 9, mtime: ZIP_MTIME },
  );
  return { zip, manifest };
}

/** `strategy_id`, else `id`, of a free-form strategy. */
function strategyId(s: JsonValue): string | undefined {
  if (s === null || typeof s !== "object" || Array.isArray(s)) return undefined;
  if (typeof s.strategy_id === "string") return s.strategy_id;
  if (typeof s.id === "string") return s.id;
  return undefined;
}

function statusOf(s: JsonValue): string | undefined {
  return s !== null && typeof s === "object" && !Array.isArray(s) && typeof s.status === "string" ? s.status : undefined;
}

/** A 404 that says which strategy was missing. */
function explain(e: unknown, id: string): unknown {
  if (!isSequenceError(e, "api") || e.status !== 404) return e;
  return new SequenceError(
    { kind: "api", status: e.status, code: e.code, apiMessage: e.apiMessage },
    { operation: e.operation, method: e.method, path: e.path },
    `no strategy "${id}" (\`algo strategy list\` lists them): ${e.message}`,
  );
}

async function call<T>(id: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw explain(e, id);
  }
}

async function push(opts: OptionsOf<typeof declarePush>, cmd: CommandUnknownOpts): Promise<void> {
  if (opts.name !== undefined && opts.name.trim() === "") throw new UsageError("--name must not be empty");
  const client = opts.dryRun ? undefined : connect(cmd);
  const mod = await obtainModule({ wasm: opts.wasm, rebuild: opts.rebuild, params: opts.param });
  const symbols = splitList(opts.symbols).length ? [...new Set(splitList(opts.symbols))] : (mod.project?.symbols ?? []);
  if (symbols.length === 0) {
    throw new UsageError('which symbols does the strategy trade? Give --symbols ETH-USD,BTC-USD or "sequence.symbols" in package.json');
  }
  const name = opts.name?.trim() ?? mod.project?.name ?? path.basename(mod.file).replace(/\.wasm$/i, "");
  const { zip, manifest } = packStrategy(name, symbols, mod.bytes, mod.info, path.basename(mod.file));
  note(`packed ${manifest.module} (${count(manifest.size_bytes)} bytes, sha256 ${manifest.sha256}) with manifest.json: ${count(zip.length)} bytes`);
  if (opts.out !== undefined) {
    await writeFile(opts.out, zip);
    note(`wrote ${opts.out}`);
  }
  if (client === undefined) {
    if (opts.json) return printJson({ dry_run: true, manifest, artifact_bytes: zip.length });
    console.log(`dry run: would push strategy "${name}" for ${symbols.join(", ")}; nothing was sent`);
    return;
  }
  const strategy = await client.seq.strategyPush(name, zip);
  if (opts.json) return printJson(strategy);
  const id = strategyId(strategy);
  console.log(`pushed strategy ${id ?? "(no id in the answer)"} "${name}" for ${symbols.join(", ")}`);
  console.log(describeObject(strategy));
}

async function list(opts: JsonFlag, cmd: CommandUnknownOpts): Promise<void> {
  const { seq } = connect(cmd);
  const strategies = await seq.strategies();
  if (opts.json) return printJson({ strategies });
  if (strategies.length === 0) return note("no strategies (push one with `algo strategy push`)");
  console.log(objectTable(strategies, ["strategy_id", "id", "name", "status", "symbols"]));
}

async function show(id: string, opts: JsonFlag, cmd: CommandUnknownOpts): Promise<void> {
  const { seq } = connect(cmd);
  const s: Strategy = await call(id, () => seq.strategy(id));
  if (opts.json) return printJson(s);
  console.log(`strategy ${strategyId(s) ?? id}`);
  console.log(describeObject(s));
}

async function lifecycle(
  id: string,
  opts: JsonFlag,
  cmd: CommandUnknownOpts,
  past: string,
  f: (seq: Sequence, id: string) => Promise<JsonValue>,
): Promise<void> {
  const { seq } = connect(cmd);
  const answer = await call(id, () => f(seq, id));
  if (opts.json) return printJson(answer);
  const status = statusOf(answer);
  console.log(`${past} strategy ${id}${status ? `: status ${status}` : ""}`);
}

function logLike(v: JsonValue): v is { message: string } & Record<string, JsonValue> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.message === "string";
}

async function logs(id: string, opts: JsonFlag, cmd: CommandUnknownOpts): Promise<void> {
  const { seq } = connect(cmd);
  const answer = await call(id, () => seq.strategyLogs(id));
  if (opts.json) return printJson(answer);
  const lines =
    Array.isArray(answer) ? answer
    : answer !== null && typeof answer === "object" && Array.isArray(answer.logs) ? answer.logs
    : undefined;
  if (lines === undefined) return printJson(answer);
  if (lines.length === 0) return note(`no log lines yet for strategy ${id}`);
  for (const l of lines) {
    if (!logLike(l)) {
      printJson(l);
      continue;
    }
    const ts = typeof l.ts_ns === "bigint" ? l.ts_ns : undefined;
    const str = (v: JsonValue | undefined) => (typeof v === "string" ? v : undefined);
    console.log(formatLogLine({ ts_ns: ts, edge_id: str(l.edge_id), level: str(l.level), message: l.message }));
  }
}

function declarePush(strategy: Command) {
  return strategy
    .command("push")
    .description("pack the checked module and a manifest.json into a zip and upload it")
    .option("--name <name>", "the strategy's name (default: the project's name)")
    .option("--wasm <file>", "push this built module instead of building the project")
    .option("--symbols <list>", 'symbols it trades, comma-separated (default: "sequence.symbols" in package.json)')
    .option("--rebuild", "build the project even if build/ is up to date")
    .option("-p, --param <name=value>", "set an algo parameter inside the packed module (repeatable)", collect, [])
    .option("--out <file>", "also write the zip to this file")
    .option("--dry-run", "pack (and --out) but send nothing; no key needed")
    .addOption(jsonOption("print the API's answer as JSON"));
}

export function register(program: Command): void {
  const strategy = program
    .command("strategy")
    .description("hosted strategies: push a packaged algo, list, show, start, stop, logs, rm")
    .addHelpText(
      "after",
      helpFooter("algo strategy push --name mm-eth", "algo strategy list", "algo strategy start strat_abc", "algo strategy logs strat_abc"),
    );

  declarePush(strategy)
    .addHelpText(
      "after",
      `\nThe zip holds manifest.json (name, symbols, abi_version, callbacks, module, size_bytes, sha256) and the module.` +
        helpFooter("algo strategy push", "algo strategy push --name mm-eth --wasm build/algo.wasm --symbols ETH-USD", "algo strategy push --dry-run --out strategy.zip"),
    )
    .action(push);

  strategy
    .command("list")
    .description("list hosted strategies")
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo strategy list", "algo strategy list --json"))
    .action(list);

  strategy
    .command("show")
    .description("show one strategy")
    .argument("<id>", "the strategy id")
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo strategy show strat_abc"))
    .action(show);

  strategy
    .command("start")
    .description("start a strategy")
    .argument("<id>", "the strategy id")
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo strategy start strat_abc"))
    .action((id, o, c) => lifecycle(id, o, c, "started", (s, i) => s.strategyStart(i)));

  strategy
    .command("stop")
    .description("stop a strategy")
    .argument("<id>", "the strategy id")
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo strategy stop strat_abc"))
    .action((id, o, c) => lifecycle(id, o, c, "stopped", (s, i) => s.strategyStop(i)));

  strategy
    .command("logs")
    .description("print a strategy's log lines")
    .argument("<id>", "the strategy id")
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo strategy logs strat_abc"))
    .action(logs);

  strategy
    .command("rm")
    .description("delete a strategy")
    .argument("<id>", "the strategy id")
    .addOption(jsonOption("print the API's answer as JSON"))
    .addHelpText("after", helpFooter("algo strategy rm strat_abc"))
    .action((id, o, c) => lifecycle(id, o, c, "deleted", (s, i) => s.strategyDelete(i)));
}
