/**
 * `algo deploy [SYMBOL]`: build the project unless its module is up to date (or take
 * `--wasm`), check the module against the ABI locally, then upload it with
 * `deployAlgo` and print the deployment and its per-edge state.
 *
 * A module that fails the local check is never uploaded.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command, CommandUnknownOpts } from "@commander-js/extra-typings";
import { checkModule, type ModuleInfo } from "../../harness/module-check.ts";
import { paramsOfModule, parseParamPairs } from "../../harness/params.ts";
import { withParams } from "../build/params-section.ts";
import { loadProject, type ProjectConfig } from "../project.ts";
import { looksLikeSymbol } from "./algos.ts";
import { buildProject } from "./build.ts";
import { connect } from "./config.ts";
import { UsageError } from "./errors.ts";
import { collect, jsonOption, type OptionsOf } from "./options.ts";
import { count } from "./format.ts";
import { formatDeployment } from "./deployment-text.ts";
import { helpFooter } from "./help-text.ts";
import { note, printJson, warn } from "./print.ts";

export interface ModuleSource {
  /** A built module to use instead of the project's. */
  wasm?: string;
  /** Build even when build/<entry>.wasm is up to date (src/build/cache.ts). */
  rebuild?: boolean;
  /** `--param name=value` pairs, written into the module's sequence.params section. */
  params?: string[];
}

export interface ObtainedModule {
  readonly bytes: Uint8Array;
  /** What `checkModule` found: ABI version, callbacks, imports. */
  readonly info: ModuleInfo;
  /** The module file on disk. */
  readonly file: string;
  /** The project in or above the current folder, if any. */
  readonly project?: ProjectConfig;
  /** The params the module carries (its sequence.params section), name → decimal. */
  readonly params: Record<string, string>;
}

/**
 * The module to upload: `--wasm`, or the project's build (compiled unless up to date).
 * Either way it passes `checkModule` (ABI, imports, exports, size) before this
 * returns; otherwise a `ModuleError` (exit 1) or `UsageError` is thrown.
 */
export async function obtainModule(opts: ModuleSource): Promise<ObtainedModule> {
  const given = parseParamPairs(opts.params ?? []); // a bad --param fails before a build
  const mod = await moduleAsIs(opts);
  if (Object.keys(given).length === 0) return { ...mod, params: paramsOfModule(mod.info.module) };
  const bytes = await withParams(mod.bytes, given);
  const info = await checkModule(bytes, path.basename(mod.file));
  const params = paramsOfModule(info.module);
  note(`params in the module: ${formatParams(params)}`);
  return { ...mod, bytes, info, params };
}

/** `a=1, b=0.5`. */
export function formatParams(params: Record<string, string>): string {
  const names = Object.keys(params).sort();
  return names.length ? names.map((n) => `${n}=${params[n]}`).join(", ") : "none";
}

async function moduleAsIs(opts: ModuleSource): Promise<Omit<ObtainedModule, "params">> {
  if (opts.wasm !== undefined) {
    const file = path.resolve(opts.wasm);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      throw new UsageError(`--wasm ${opts.wasm}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const info = await checkModule(bytes, path.basename(file));
    const project = await loadProject().catch(() => undefined);
    return { bytes, info, file, project };
  }
  const project = await loadProject();
  const entry = path.relative(process.cwd(), project.entry) || project.entry;
  const built = await buildProject({ dir: project.root, force: opts.rebuild, onCompile: () => note(`building ${entry} …`) });
  const rel = path.relative(process.cwd(), built.outFile) || built.outFile;
  if (built.upToDate) note(`using ${rel} (up to date; --rebuild to compile again)`);
  else note(`built ${rel}: ${count(built.wasm.length)} bytes`);
  return { bytes: built.wasm, info: built, file: built.outFile, project };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** `a,b , c` → `["a","b","c"]`. */
export function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** SYMBOL and `--symbols`, else the project's `sequence.symbols`; deduplicated, in order. */
export function symbolsFor(symbol: string | undefined, extra: string | undefined, project: ProjectConfig | undefined): string[] {
  let list = [...(symbol !== undefined ? [symbol.trim()] : []), ...splitList(extra)];
  if (list.length === 0) list = project?.symbols ?? [];
  list = [...new Set(list.filter((s) => s !== ""))];
  if (list.length === 0) {
    throw new UsageError(
      'which symbol does the algo trade? Give it (algo deploy ETH-USD), or --symbols a,b, or "sequence.symbols" in package.json',
    );
  }
  for (const s of list) {
    if (!looksLikeSymbol(s)) {
      warn(`"${s}" does not look like a symbol (e.g. ETH-USD); other verbs will read it as a deployment id unless given --symbol`);
    }
  }
  return list;
}

async function deployCommand(symbol: string | undefined, opts: OptionsOf<typeof declareDeploy>, cmd: CommandUnknownOpts): Promise<void> {
  if (opts.name !== undefined && opts.name.trim() === "") throw new UsageError("--name must not be empty");
  if (symbol !== undefined && /\.wasm$/i.test(symbol)) {
    throw new UsageError(`${symbol} looks like a module file; pass it with --wasm ${symbol} and give the SYMBOL it trades`);
  }
  // Resolve the key first: a missing key fails before a build, not after.
  const client = opts.dryRun ? undefined : connect(cmd);
  const mod = await obtainModule({ wasm: opts.wasm, rebuild: opts.rebuild, params: opts.param });
  const symbols = symbolsFor(symbol, opts.symbols, mod.project);
  const name = opts.name?.trim() ?? mod.project?.name ?? path.basename(mod.file).replace(/\.wasm$/i, "");
  const abi = `${mod.info.abi.major}.${mod.info.abi.minor}`;
  const rel = path.relative(process.cwd(), mod.file) || mod.file;
  note(`${rel}: ${count(mod.bytes.length)} bytes, ABI v${abi}, callbacks: ${mod.info.callbacks.join(", ") || "none"}; checked`);

  if (client === undefined) {
    const plan = {
      dry_run: true,
      name,
      symbols,
      start_immediately: opts.start,
      module: rel,
      size_bytes: mod.bytes.length,
      sha256: sha256(mod.bytes),
      abi,
      callbacks: mod.info.callbacks,
      params: mod.params,
    };
    if (opts.json) return printJson(plan);
    console.log(`dry run: would deploy "${name}" for ${symbols.join(", ")} (${count(mod.bytes.length)} bytes, sha256 ${plan.sha256})`);
    console.log(`  params: ${formatParams(mod.params)}`);
    console.log(`  start immediately: ${opts.start ? "yes" : "no"}; nothing was sent`);
    return;
  }

  const d = await client.seq.deployAlgo(name, mod.bytes, symbols, { startImmediately: opts.start });
  if (d.capable_edges === 0) warn(`no edge can host an algo for ${symbols.join(", ")}; it is deployed but runs nowhere`);
  else if (d.pushed_to < d.capable_edges) warn(`only ${d.pushed_to} of ${d.capable_edges} capable edges accepted the push`);
  if (opts.json) return printJson(d);
  console.log(formatDeployment(d, "deployed"));
  if (!opts.start) console.log(`\nnot started (--no-start): run \`algo start ${d.deployment_id}\` when ready`);
}

function declareDeploy(program: Command) {
  return program
    .command("deploy")
    .description("check the algo's module locally, then upload it to the Sequence edges that trade SYMBOL")
    .argument("[SYMBOL]", 'the symbol the algo trades, e.g. ETH-USD (default: "sequence.symbols" in package.json)')
    .option("--name <name>", "a name for the deployment (default: the project's name)")
    .option("--symbols <list>", "more symbols, comma-separated (added to SYMBOL)")
    .option("--no-start", "upload without starting; start later with `algo start`")
    .option("--wasm <file>", "upload this built module instead of building the project")
    .option("--rebuild", "build the project even if build/ is up to date")
    .option("-p, --param <name=value>", "set an algo parameter inside the uploaded module (repeatable)", collect, [])
    .option("--dry-run", "build and check the module, print what would be sent, send nothing (no key needed)")
    .addOption(jsonOption("print the deployment as JSON (exact integers)"));
}

export function register(program: Command): void {
  declareDeploy(program)
    .addHelpText(
      "after",
      "\nThe module is checked against the ABI (imports, exports, version, 4 MiB limit) before anything is sent;" +
        "\na module that fails the check never leaves the machine.\n" +
        helpFooter(
          "algo deploy ETH-USD",
          "algo deploy ETH-USD --name mm-eth --no-start",
          "algo deploy BTC-USD --symbols ETH-USD --wasm build/algo.wasm --json",
          "algo deploy ETH-USD --dry-run",
          "algo deploy ETH-USD --param half_spread_bps=8 --param size=0.5",
        ),
    )
    .action(deployCommand);
}
