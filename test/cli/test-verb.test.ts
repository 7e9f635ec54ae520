// `algo test` hands what follows `--` to vitest, as a user runs it.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "./run.ts";

let project: string;

beforeAll(async () => {
  project = await makeProject("test-verb");
  await mkdir(path.join(project, "test"), { recursive: true });
  await writeFile(
    path.join(project, "test", "pair.test.ts"),
    `import { it, expect } from "vitest";\nit("alpha adds", () => expect(1 + 1).toBe(2));\nit("beta fails", () => expect(1).toBe(2));\n`,
  );
});

describe("algo test", () => {
  it("runs every test without arguments (and fails with the failing one)", async () => {
    const r = await runCli(["test"], { cwd: project, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Tests\s+1 failed \| 1 passed/);
  }, 150_000);

  it("passes -t after -- to vitest: only the named test runs", async () => {
    const r = await runCli(["test", "--", "-t", "alpha"], { cwd: project, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+1 passed \| 1 skipped/);
  }, 150_000);
});
