/** `algo test`: run the project's vitest tests with the toolkit's vitest; arguments after `--` go to vitest. */
import { spawn } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import type { Command } from "@commander-js/extra-typings";
import { loadProject } from "../project.ts";
import { TOOLKIT_ROOT } from "../paths.ts";

export function register(program: Command): void {
  program
    .command("test")
    .description("run the project's tests (test/**/*.test.ts) with vitest")
    .argument("[vitest-args...]", "passed to vitest, after -- (e.g. -t name, --reporter verbose)")
    .allowUnknownOption()
    .addHelpText("after", "\nExamples:\n  $ algo test\n  $ algo test -- -t \"gets filled\"\n  $ algo test -- --reporter verbose")
    .action(async (vitestArgs) => {
      const project = await loadProject();
      // vitest's exports map hides its bin file: find it next to its package.json.
      const vitestPackage = createRequire(path.join(TOOLKIT_ROOT, "package.json")).resolve("vitest/package.json");
      const vitest = path.join(path.dirname(vitestPackage), "vitest.mjs");
      const args = [vitest, "run", "--root", project.root, "--config", path.join(TOOLKIT_ROOT, "vitest.project.config.ts"), ...vitestArgs];
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, args, { stdio: "inherit" });
        child.on("exit", (c) => resolve(c ?? 1));
      });
      process.exitCode = code;
    });
}
