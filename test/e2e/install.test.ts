// A quant's first minutes (issue 8): install the toolkit the way the README
// says (`npm install -g .` from the clone; here into a private npm prefix),
// then, in a folder outside the repository, with nothing but that prefix's
// bin/ on PATH: `algo init` → `build` → `test` → `backtest`. Then move the
// project folder and run them again: the project pins no path of the place
// it was made, so it works anywhere (and on a teammate's machine).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const REPO = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const STEP_MS = 180_000;

let root: string; // the user's own folder, outside the repository
let prefix: string; // npm's global folder for this test
let env: NodeJS.ProcessEnv;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command as a user's shell would: found on PATH, no repo on it. */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: STEP_MS, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const algo = (args: string[], cwd: string) => run("algo", args, cwd);

async function ok(result: Promise<Run>): Promise<Run> {
  const r = await result;
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/** Every file and symlink under `dir`, with what it holds or points to. */
async function walk(dir: string): Promise<{ file: string; text: string; link: boolean }[]> {
  const out: { file: string; text: string; link: boolean }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) out.push({ file, text: await readlink(file), link: true });
    else if (entry.isDirectory()) out.push(...(await walk(file)));
    else out.push({ file, text: (await readFile(file)).toString("latin1"), link: false });
  }
  return out;
}

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), "algo-install-")));
  prefix = path.join(root, "npm-global");
  // A user's environment: the toolkit only through npm's global bin folder.
  env = {
    PATH: [path.join(prefix, "bin"), path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
    HOME: root,
    TMPDIR: tmpdir(),
    NO_COLOR: "1",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
  // The README's `npm install -g .`, offline. --ignore-scripts skips `prepare`,
  // which `npm ci` already ran: bundling dist/ again would race the other tests.
  await ok(run("npm", ["install", "-g", "--prefix", prefix, "--offline", "--ignore-scripts", REPO], root));
}, STEP_MS);

describe("installed with npm install -g, used in a folder of the user's own", () => {
  let project: string;
  let firstReport: string;

  it("puts `algo` on PATH as a link to the toolkit", async () => {
    const bin = path.join(prefix, "bin", "algo");
    expect((await lstat(bin)).isSymbolicLink()).toBe(true);
    expect(await realpath(bin)).toBe(await realpath(path.join(REPO, "bin", "algo.mjs")));
    const version = await ok(algo(["--version"], root));
    const pkg = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  }, STEP_MS);

  it("init writes a project that names no path of this machine", async () => {
    const init = await ok(algo(["init", "my-mm", "--template", "market-maker"], root));
    expect(init.stdout).toMatch(/^ {2}algo build/m);
    expect(init.stdout).not.toMatch(/npx/);
    project = path.join(root, "my-mm");

    const pkg = JSON.parse(await readFile(path.join(project, "package.json"), "utf8"));
    expect(pkg.name).toBe("my-mm");
    expect(pkg.dependencies?.["sequence-algo"]).toBeUndefined();
    expect(pkg.scripts.build).toBe("algo build");
    expect(existsSync(path.join(project, "node_modules"))).toBe(false);
    expect((await readFile(path.join(project, ".gitignore"), "utf8")).split("\n")).toEqual(expect.arrayContaining(["build/", ".algo/", "node_modules/"]));
  }, STEP_MS);

  it("builds, tests and backtests", async () => {
    const build = await ok(algo(["build"], project));
    expect(build.stdout).toMatch(/built build\/algo\.wasm: [\d,]+ bytes, ABI v1\.3/);
    const test = await ok(algo(["test"], project));
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/);
    firstReport = (await ok(algo(["backtest", "--data", "synthetic:7:20000", "--json"], project))).stdout;
    expect(JSON.parse(firstReport).result.data.ticks).toBe(20_000);
  }, 3 * STEP_MS);

  it("keeps no absolute path of where it was made, in any file or symlink", async () => {
    const files = await walk(project);
    expect(files.map((f) => path.relative(project, f.file))).toContain(path.join("build", "algo.wasm"));
    for (const { file, text, link } of files) {
      expect(link, `${file} is a symlink to ${text}`).toBe(false);
      expect(text.includes(project), `${file} holds ${project}`).toBe(false);
      expect(text.includes(REPO), `${file} holds the toolkit's path ${REPO}`).toBe(false);
    }
  });

  it("commits to git without its build output", async () => {
    await ok(run("git", ["init", "-q"], project));
    await ok(run("git", ["add", "-A"], project));
    const tracked = (await ok(run("git", ["ls-files"], project))).stdout.trim().split("\n").sort();
    expect(tracked).toEqual(expect.arrayContaining([".gitignore", "assembly/algo.ts", "package.json", "test/algo.test.ts"]));
    expect(tracked.filter((f) => /^(build|node_modules|\.algo)\//.test(f))).toEqual([]);
  });

  it("still builds, tests and backtests after the folder is moved, with the same report", async () => {
    const moved = path.join(root, "elsewhere", "renamed-mm");
    await mkdir(path.dirname(moved), { recursive: true });
    await rename(project, moved);
    // npm run build: the project's scripts find `algo` on PATH too.
    expect((await ok(run("npm", ["run", "build"], moved))).stdout).toMatch(/(built|up to date) build\/algo\.wasm/);
    // and compiles from the new place, not only from the cache
    expect((await ok(algo(["build", "--force"], moved))).stdout).toMatch(/built build\/algo\.wasm/);
    expect((await ok(algo(["test"], moved))).stdout).toMatch(/Tests\s+\d+ passed/);
    const again = await ok(algo(["backtest", "--data", "synthetic:7:20000", "--json"], moved));
    expect(again.stdout).toBe(firstReport);
  }, 3 * STEP_MS);
});
