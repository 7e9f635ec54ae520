/** `algo report [run]`: a saved backtest again, as text, JSON, or report.html in the browser. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { loadProject } from "../project.ts";
import { RESULTS_DIR, RUN_FILES } from "../results/run-folder.ts";
import { findRun, isRunFolder, readReportIn } from "../results/runs.ts";
import { UsageError } from "./errors.ts";
import { jsonOption } from "./options.ts";

export async function reportCommand(name: string | undefined, opts: { json?: boolean; open?: boolean }): Promise<void> {
  if (opts.json && opts.open) throw new UsageError("--json and --open: give one of them");
  const { run, dir } = await runFolderOf(name);
  if (opts.open) {
    const html = path.join(dir, RUN_FILES.html);
    await openInBrowser(html);
    console.log(path.relative(process.cwd(), html));
    return;
  }
  if (opts.json) {
    process.stdout.write(readReportIn(dir).text);
    return;
  }
  console.log(`${run}\n`);
  process.stdout.write(readFileSync(path.join(dir, RUN_FILES.text), "utf8"));
}

/** A run folder given by its path (a sweep's `runs/<n>-<hash>/`, or any copy), else a run of the project's backtests/. */
async function runFolderOf(name: string | undefined): Promise<{ run: string; dir: string }> {
  if (name !== undefined && isRunFolder(name)) return { run: path.relative(process.cwd(), path.resolve(name)) || ".", dir: path.resolve(name) };
  const { root } = await loadProject();
  const run = findRun(root, name);
  return { run, dir: path.join(root, RESULTS_DIR, run) };
}

/** The system's opener (open, xdg-open, start), detached: the command returns while the browser stays. */
function openInBrowser(file: string): Promise<void> {
  const [cmd, args] =
    process.platform === "darwin" ? ["open", [file]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", file]] : ["xdg-open", [file]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args as string[], { detached: true, stdio: "ignore" });
    // A system error (it keeps `syscall`): main.ts prints the one line and exits 1.
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(Object.assign(new Error(`cannot open ${path.relative(process.cwd(), file)} (${cmd}: ${e.code ?? e.message}): open the file in a browser yourself`), { code: e.code, syscall: e.syscall ?? "spawn" })),
    );
    child.on("spawn", () => {
      child.unref();
      resolve();
    });
  });
}

export function register(program: Command): void {
  program
    .command("report [run]")
    .description("print a saved backtest's report (default: the newest; a run is its folder name in backtests/, a unique prefix, or the path of a run folder such as a sweep's runs/<n>-<hash>/)")
    .addOption(jsonOption("print the saved JSON report (exact integers)"))
    .option("--open", "open the run's report.html (charts, statistics, settings) in the browser")
    .addHelpText("after", "\nExamples:\n  $ algo report\n  $ algo report 20261202T0015 --json\n  $ algo report --open")
    .action(async (run, opts) => {
      await reportCommand(run, opts);
    });
}
