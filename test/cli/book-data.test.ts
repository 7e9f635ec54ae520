// L2 book data as a user meets it, through bin/algo.mjs: `algo data synth
// --book` writes a file, `algo backtest --data book.jsonl` detects it and
// the algo's onBook runs once per book line; a bad line fails with the file
// and line, exit code 1, no stack.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./run.ts";

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });

beforeAll(async () => {
  project = path.join(tempDir(), "book-proj");
  await mkdir(path.join(project, "assembly"), { recursive: true });
  await copyFile(fileURLToPath(new URL("../fixtures/book-algo.ts", import.meta.url)), path.join(project, "assembly", "algo.ts"));
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "book-proj", private: true, sequence: { entry: "assembly/algo.ts", symbols: ["ETH-USD"] } }));
});

describe("L2 book data", () => {
  it("is written by algo data synth --book and replayed into onBook by algo backtest", async () => {
    const synth = await algo(["data", "synth", "--book", "--count", "300", "--levels", "5", "--seed", "4", "-o", "book.jsonl"]);
    expect(synth.code, synth.stderr).toBe(0);
    expect(synth.stdout).toBe("wrote book.jsonl: 300 synthetic L2 book lines (seed 4)\n");
    const lines = (await readFile(path.join(project, "book.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(301); // the banner and 300 lines
    const bookLines = lines.filter((l) => /"type":"(snapshot|delta)"/.test(l)).length;

    const bt = await algo(["backtest", "--data", "book.jsonl", "--json"]);
    expect(bt.code, bt.stderr).toBe(0);
    const { result, source } = JSON.parse(bt.stdout);
    expect(source.description).toMatch(/^L2 book JSONL .*book\.jsonl \(SYNTHETIC L2 book, not market data/);
    const messages: string[] = result.logs.map((l: { message: string }) => l.message);
    // one onBook per book line; every book line of this generator sets at least one level
    expect(messages.filter((m) => m.startsWith("book "))).toHaveLength(bookLines);
    expect(messages.find((m) => m.startsWith("book "))).toMatch(/^book \d+ bids 5: .* asks 5: /);
  }, 120_000);

  it("fails on a bad line with the file and line, exit code 1", async () => {
    await writeFile(path.join(project, "bad.jsonl"), '{"ts_ns": 1, "type": "delta", "bids": [["100", "1"]]}\n');
    const bt = await algo(["backtest", "--data", "bad.jsonl"]);
    expect(bt.code).toBe(1);
    expect(bt.stderr).toContain("bad.jsonl:1: expected a snapshot before the first delta");
    expect(bt.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
