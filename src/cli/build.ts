/** `algo build`: compile the project's algo to build/<name>.wasm and say what it is. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { compileAlgo, formatDiagnostic, type CompiledAlgo } from "../build/compile.ts";
import { loadProject } from "../project.ts";

export interface BuiltAlgo extends CompiledAlgo {
  outFile: string;
}

/** Compiles the project in `dir` (or the given entry file) and writes the module. */
export async function buildProject(options: { dir?: string; entry?: string; debug?: boolean } = {}): Promise<BuiltAlgo> {
  const project = options.entry ? undefined : await loadProject(options.dir);
  const entry = project ? project.entry : path.resolve(options.entry!);
  const root = project ? project.root : path.dirname(entry);
  const compiled = await compileAlgo(entry, { mode: options.debug ? "debug" : "speed" });
  const outFile = path.join(root, "build", path.basename(entry).replace(/\.ts$/, "") + ".wasm");
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, compiled.wasm);
  return { ...compiled, outFile };
}

export function register(program: Command): void {
  program
    .command("build")
    .description("compile the algo to an optimized WebAssembly module and check it against the ABI")
    .argument("[entry]", "the algo's source file (default: sequence.entry in package.json)")
    .option("--debug", "no optimization, with debug info")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExamples:\n  $ algo build\n  $ algo build assembly/algo.ts --json")
    .action(async (entry: string | undefined, opts: { debug?: boolean; json?: boolean }) => {
      const built = await buildProject({ entry, debug: opts.debug });
      const summary = {
        module: path.relative(process.cwd(), built.outFile),
        size_bytes: built.sizeBytes,
        abi: `${built.abi.major}.${built.abi.minor}`,
        callbacks: built.callbacks,
        imports: built.imports,
        warnings: built.warnings.map(formatDiagnostic),
      };
      if (opts.json) return console.log(JSON.stringify(summary, null, 2));
      for (const w of summary.warnings) console.error(w);
      console.log(`built ${summary.module}: ${built.sizeBytes.toLocaleString("en-US")} bytes, ABI v${summary.abi}`);
      console.log(`  callbacks: ${built.callbacks.length ? built.callbacks.join(", ") : "none (the algo overrides no callback)"}`);
      console.log(`  host imports: ${built.imports.length ? built.imports.join(", ") : "none"}`);
    });
}
