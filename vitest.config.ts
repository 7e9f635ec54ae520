import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: { "sequence-algo": fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts", "templates/*/test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The prepared compiler (scripts/compiler.mjs) is loaded by Node itself, as `algo build` loads it.
    server: { deps: { external: [/\/dist\/compiler\//] } },
  },
});
