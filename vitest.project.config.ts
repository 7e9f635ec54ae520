// Used by `algo test` inside an algo project: the project's tests import
// "sequence-algo", served from this toolkit's sources.
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: { "sequence-algo": fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  // A template's beforeAll compiles and backtests its algo: slow on a busy machine.
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
});
