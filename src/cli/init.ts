/** `algo init <dir> --template <name>`: a standalone algo project from a template. */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { TEMPLATES_DIR } from "../paths.ts";
import { UsageError } from "./errors.ts";
import { jsonOption } from "./options.ts";

/**
 * What git should not keep: build output, the emulator's state, installed packages, saved backtests.
 * Written by code, not shipped as a template file, because npm drops
 * `.gitignore` files from packed packages.
 */
export const PROJECT_GITIGNORE = ["build/", ".algo/", "node_modules/", "backtests/", ""].join("\n");

export async function listTemplates(): Promise<string[]> {
  const entries = await readdir(TEMPLATES_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && existsSync(path.join(TEMPLATES_DIR, e.name, "package.json"))).map((e) => e.name).sort();
}

/**
 * Copies a template into `dir`. The project names no path of this machine:
 * `algo` (on PATH, see the README) compiles against its own runtime/ and runs
 * the tests with its own vitest, so the folder can be moved, zipped or cloned
 * by a teammate and keeps working.
 */
export async function initProject(dir: string, template: string): Promise<string> {
  const templates = await listTemplates();
  if (!templates.includes(template))
    throw new UsageError(`unknown template "${template}"; choose one of: ${templates.join(", ")}`);
  const target = path.resolve(dir);
  if (existsSync(target) && (await readdir(target)).length > 0)
    throw new UsageError(`${target} exists and is not empty; choose a new folder`);
  await cp(path.join(TEMPLATES_DIR, template), target, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|build)([\\/]|$)/.test(src),
  });

  const pkgFile = path.join(target, "package.json");
  const pkg = JSON.parse(await readFile(pkgFile, "utf8"));
  pkg.name = path.basename(target).toLowerCase().replace(/[^a-z0-9._-]/g, "-");
  // A template in the toolkit's repository may name the toolkit as `file:../..`;
  // in a project of its own that path would point nowhere, so it goes.
  for (const field of ["dependencies", "devDependencies"]) {
    if (!pkg[field]) continue;
    delete pkg[field]["sequence-algo"];
    if (Object.keys(pkg[field]).length === 0) delete pkg[field];
  }
  await writeFile(pkgFile, JSON.stringify(pkg, null, 2) + "\n");
  const gitignore = path.join(target, ".gitignore");
  if (!existsSync(gitignore)) await writeFile(gitignore, PROJECT_GITIGNORE);
  return target;
}

export function register(program: Command): void {
  program
    .command("init")
    .description("create a standalone algo project from a template")
    .argument("<dir>", "folder to create")
    .option("-t, --template <name>", "template to copy", "market-maker")
    .addOption(jsonOption("print what was created as JSON"))
    .addHelpText("after", "\nExamples:\n  $ algo init my-mm --template market-maker\n  $ algo init my-mr --template mean-reversion")
    .action(async (dir, opts) => {
      const target = await initProject(dir, opts.template);
      if (opts.json) return console.log(JSON.stringify({ project: target, template: opts.template }, null, 2));
      const rel = path.relative(process.cwd(), target) || ".";
      console.log(`created ${rel} from the ${opts.template} template\n`);
      console.log(`  cd ${rel}`);
      console.log("  algo build          # compile to build/algo.wasm");
      console.log("  algo backtest       # replay the template's data (or --data <file>)");
      console.log("  algo test           # run the template's tests");
    });
}
