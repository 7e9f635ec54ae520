// An algo that sends a refused order again at once is refused again at the
// same instant, for ever: the run stops with a failure that says what the
// algo kept doing, when, and why the venue refused (exit 1, one message, no
// "internal error" and no stack), not a hang or a toolkit bug report.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./run.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/resend-on-reject-algo.ts", import.meta.url));
let root: string;

beforeAll(async () => {
  root = path.join(tempDir(), "loop-proj");
  await mkdir(path.join(root, "assembly"), { recursive: true });
  await copyFile(FIXTURE, path.join(root, "assembly", "algo.ts"));
  await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "loop-proj", private: true, sequence: { entry: "assembly/algo.ts", symbols: ["ETH-USD"] } }));
  await writeFile(
    path.join(root, "ticks.csv"),
    "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n1735689600000000000,quote,99.9,5,100.1,5,,,\n1735689601000000000,quote,99.8,5,100.0,5,,,\n",
  );
});

describe("an algo that answers a refusal with the same order", () => {
  it("is stopped with what it kept doing, when and why, exit 1", async () => {
    const r = await runCli(["backtest", "--data", "ticks.csv", "--capital", "50", "--no-save"], { cwd: root, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim()).toBe(
      "error: the algo kept sending orders in answer to its own order updates and fills at 2025-01-01T00:00:00.000000000Z: " +
        "stopped after 100001 rounds at one instant; the venue kept refusing them (insufficient_funds). " +
        "An order sent again as soon as it is refused is refused again at the same time: wait for the next quote or a timer before sending it again",
    );
  }, 150_000);

  it("runs through when the capital pays for the order", async () => {
    const r = await runCli(["backtest", "--data", "ticks.csv", "--capital", "1000", "--no-save", "--json"], { cwd: root, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.fills.count).toBe(1);
  }, 150_000);
});
