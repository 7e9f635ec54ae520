#!/usr/bin/env node
// The `algo` command. The CLI is bundled into dist/ by `npm ci` (prepare) or `npm run build`.
import { existsSync } from "node:fs";
const entry = new URL("../dist/algo.mjs", import.meta.url);
if (!existsSync(entry)) {
  console.error("sequence-algo is not built yet: run `npm run build` in " + new URL("..", import.meta.url).pathname);
  process.exit(2);
}
await import(entry.href);
