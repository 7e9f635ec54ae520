// Bundles the CLI (and the library entry) into dist/ with esbuild. Runs on
// `npm ci` (prepare) and before benchmarks; tests bundle it in global setup.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: { algo: "src/cli/main.ts", index: "src/index.ts", client: "src/client/index.ts", bench: "bench/replay.ts", "bench-build": "bench/build.ts", "edge-worker": "src/dev/edge-worker.ts", "bench-emulator": "bench/emulator.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
