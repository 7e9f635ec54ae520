// Bundles the CLI (and the library entry) into dist/ with esbuild. Runs on
// `npm ci` (prepare) and before benchmarks; tests bundle it in global setup.
import { build } from "esbuild";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepareCompiler } from "./compiler.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
// Packages stay in node_modules, but zod is bundled: loaded from there it is
// ~100 ES modules (every locale) on each start of a verb that reads a config.
const BUNDLED = new Set(["zod"]);
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);
const result = await build({
  absWorkingDir: root,
  entryPoints: { algo: "src/cli/main.ts", index: "src/index.ts", client: "src/client/index.ts", bench: "bench/replay.ts", "bench-build": "bench/build.ts", "edge-worker": "src/dev/edge-worker.ts", "sweep-worker": "src/sweep/sweep-worker.ts", "bench-sweep": "bench/sweep.ts", "backtest-worker": "src/cli/backtest-worker.ts", "bench-emulator": "bench/emulator.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Shared code in chunks, so the CLI loads a verb's dependencies only when that verb runs.
  splitting: true,
  external,
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
});

// Chunk names carry a content hash: remove the ones this build no longer uses.
const outputs = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file)));
for (const name of readdirSync(path.join(root, "dist"))) {
  const file = path.join(root, "dist", name);
  if (!outputs.has(file) && statSync(file).isFile()) rmSync(file, { force: true });
}

// The compiler, with binaryen's module as a file and its JavaScript as one script (see compiler.mjs).
const note = await prepareCompiler(root, path.join(root, "dist", "compiler"));
if (note.startsWith("note:")) console.warn(note);
