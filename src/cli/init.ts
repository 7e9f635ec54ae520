/** `algo init <dir> --template <name>`: a standalone algo project from a template. */
import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { TEMPLATES_DIR, TOOLKIT_ROOT } from "../paths.ts";
import { UsageError } from "./errors.ts";

export async function listTemplates(): Promise<string[]> {
  const entries = await readdir(TEMPLATES_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && existsSync(path.join(TEMPLATES_DIR, e.name, "package.json"))).map((e) => e.name).sort();
}

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
  pkg.dependencies = { ...pkg.dependencies, "sequence-algo": `file:${TOOLKIT_ROOT}` };
  await writeFile(pkgFile, JSON.stringify(pkg, null, 2) + "\n");

  // Link the toolkit the way `npm install` would for a file: dependency, so
  // `npx algo` and `import ... from "sequence-algo/runtime"` work at once, offline.
  const modules = path.join(target, "node_modules");
  await mkdir(path.join(modules, ".bin"), { recursive: true });
  await symlink(TOOLKIT_ROOT, path.join(modules, "sequence-algo"), "dir");
  await symlink(path.join(TOOLKIT_ROOT, "bin", "algo.mjs"), path.join(modules, ".bin", "algo"));
  return target;
}

export function register(program: Command): void {
  program
    .command("init")
    .description("create a standalone algo project from a template")
    .argument("<dir>", "folder to create")
    .option("-t, --template <name>", "template to copy", "market-maker")
    .option("--json", "print what was created as JSON")
    .addHelpText("after", "\nExamples:\n  $ algo init my-mm --template market-maker\n  $ algo init my-mr --template mean-reversion")
    .action(async (dir: string, opts: { template: string; json?: boolean }) => {
      const target = await initProject(dir, opts.template);
      if (opts.json) return console.log(JSON.stringify({ project: target, template: opts.template }, null, 2));
      const rel = path.relative(process.cwd(), target) || ".";
      console.log(`created ${rel} from the ${opts.template} template\n`);
      console.log(`  cd ${rel}`);
      console.log("  npx algo build          # compile to build/algo.wasm");
      console.log("  npx algo backtest       # replay the template's data (or --data <file>)");
      console.log("  npx algo test           # run the template's tests");
    });
}
