/** `algo build`: compile the project's algo to build/<name>.wasm and say what it is. */
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { buildWithCache, type CachedBuild } from "../build/cache.ts";
import { formatDiagnostic } from "../build/compile.ts";
import { loadProject } from "../project.ts";
import { jsonOption } from "./options.ts";

export type BuiltAlgo = CachedBuild;

export interface BuildProjectOptions {
  dir?: string;
  entry?: string;
  debug?: boolean;
  /** Compile even when build/ is up to date (src/build/cache.ts). */
  force?: boolean;
  /** Called just before compiling, not when build/ is reused. */
  onCompile?: () => void;
}

/** Where the module of `entry` goes: `<root>/build/<entry name>.wasm`. */
export function moduleFileOf(root: string, entry: string): string {
  return path.join(root, "build", path.basename(entry).replace(/\.ts$/, "") + ".wasm");
}

/**
 * Compiles the project in `dir` (or the given entry file) and writes the
 * module, or reuses the module already there when its sources, the toolkit
 * and the options are unchanged.
 */
export async function buildProject(options: BuildProjectOptions = {}): Promise<BuiltAlgo> {
  const project = options.entry ? undefined : await loadProject(options.dir);
  const entry = project ? project.entry : path.resolve(options.entry!);
  const root = project ? project.root : path.dirname(entry);
  return buildWithCache({
    entry,
    sourceRoot: root,
    outFile: moduleFileOf(root, entry),
    options: { mode: options.debug ? "debug" : "speed" },
    force: options.force,
    onCompile: options.onCompile,
  });
}

export function register(program: Command): void {
  program
    .command("build")
    .description("compile the algo to an optimized WebAssembly module and check it against the ABI")
    .argument("[entry]", "the algo's source file (default: sequence.entry in package.json)")
    .option("--debug", "no optimization, with debug info")
    .option("--force", "compile even if build/ is up to date")
    .addOption(jsonOption("print the result as JSON"))
    .addHelpText("after", "\nExamples:\n  $ algo build\n  $ algo build assembly/algo.ts --json")
    .action(async (entry, opts) => {
      const built = await buildProject({ entry, debug: opts.debug, force: opts.force });
      const summary = {
        module: path.relative(process.cwd(), built.outFile),
        up_to_date: built.upToDate,
        size_bytes: built.sizeBytes,
        abi: `${built.abi.major}.${built.abi.minor}`,
        callbacks: built.callbacks,
        imports: built.imports,
        warnings: built.warnings.map(formatDiagnostic),
      };
      if (opts.json) return console.log(JSON.stringify(summary, null, 2));
      for (const w of summary.warnings) console.error(w);
      const verb = built.upToDate ? "up to date" : "built";
      console.log(`${verb} ${summary.module}: ${built.sizeBytes.toLocaleString("en-US")} bytes, ABI v${summary.abi}`);
      console.log(`  callbacks: ${built.callbacks.length ? built.callbacks.join(", ") : "none (the algo overrides no callback)"}`);
      console.log(`  host imports: ${built.imports.length ? built.imports.join(", ") : "none"}`);
    });
}
