// `algo data synth` writes to a temporary file and renames it when complete:
// stopped half-way (Ctrl-C), it leaves neither the target nor the temporary file.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { poll } from "../dev/emulator.ts";
import { runCli, startCli, tempDir } from "./run.ts";

describe("algo data synth", () => {
  it("leaves nothing behind when interrupted, and the whole file when it completes", async () => {
    const dir = tempDir();
    const run = startCli(["data", "synth", "--count", "50000000", "-o", "big.csv"], { cwd: dir, timeoutMs: 120_000 });
    await poll(async () => readdirSync(dir), (names) => names.some((n) => n.startsWith("big.csv.tmp-")), "the temporary file");
    expect(existsSync(path.join(dir, "big.csv"))).toBe(false);
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);

    const ok = await runCli(["data", "synth", "--count", "10", "-o", "small.csv"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(readdirSync(dir)).toEqual(["small.csv"]);
  }, 120_000);
});
