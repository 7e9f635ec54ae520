/** `algo test`: run the project's vitest tests with the toolkit's vitest. */
import { spawn } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import type { Command } from "commander";
import { loadProject } from "../project.ts";
import { TOOLKIT_ROOT } from "../paths.ts";

export function register(program: Command): void {
  program
    .command("test")
    .description("run the project's tests (test/**/*.test.ts) with vitest")
    .action(async () => {
      const project = await loadProject();
      // vitest's exports map hides its bin file: find it next to its package.json.
      const vitestPackage = createRequire(path.join(TOOLKIT_ROOT, "package.json")).resolve("vitest/package.json");
      const vitest = path.join(path.dirname(vitestPackage), "vitest.mjs");
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [vitest, "run", "--root", project.root, "--config", path.join(TOOLKIT_ROOT, "vitest.project.config.ts")], {
          stdio: "inherit",
        });
        child.on("exit", (c) => resolve(c ?? 1));
      });
      process.exitCode = code;
    });
}
