// A trap says where, in the author's code (issue 8). A user's project is built
// with the real `algo build` (-O2, then --debug) and backtested with the real
// `algo backtest` on a hand-written 8-record file; each kind of trap must come
// back as one line naming the author's file:line:col, the callback, and the
// event's number and time, with exit code 1 and no JavaScript stack.
import { copyFile, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../cli/run.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/trapping-algo.ts", import.meta.url));
const T0 = 1_735_689_600_000_000_000n; // 2025-01-01T00:00:00Z
const MS = 1_000_000n;

// quote, trade, quote, trade, … one millisecond apart: event n (1-based) is at T0 + (n-1) ms.
const TICKS = `ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side
${T0},quote,99.9,5,100.1,5,,,
${T0 + MS},trade,,,,,100.0,1,buy
${T0 + 2n * MS},quote,99.8,5,100.0,5,,,
${T0 + 3n * MS},trade,,,,,100.0,2,sell
${T0 + 4n * MS},quote,99.9,5,100.1,5,,,
${T0 + 5n * MS},trade,,,,,100.1,1,buy
${T0 + 6n * MS},quote,100.0,5,100.2,5,,,
${T0 + 7n * MS},trade,,,,,100.2,1,buy
`;

let root: string;
let source: string[];

/** 1-based line of the first line containing `text`, and the 1-based column of `at` (default: the first non-blank) in it. */
function where(text: string, at?: string): string {
  const i = source.findIndex((l) => l.includes(text));
  expect(i, `fixture line with ${text}`).toBeGreaterThanOrEqual(0);
  const line = source[i];
  const column = at === undefined ? line.search(/\S/) + 1 : line.indexOf(at) + 1;
  expect(column, `column of ${at} in ${line}`).toBeGreaterThan(0);
  return `assembly/algo.ts:${i + 1}:${column}`;
}

beforeAll(async () => {
  root = path.join(tempDir(), "trap-proj");
  await mkdir(path.join(root, "assembly"), { recursive: true });
  await copyFile(FIXTURE, path.join(root, "assembly", "algo.ts"));
  await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "trap-proj", private: true, sequence: { entry: "assembly/algo.ts", symbols: ["ETH-USD"] } }));
  await writeFile(path.join(root, "ticks.csv"), TICKS);
  source = (await readFile(FIXTURE, "utf8")).split("\n");
});

interface Case {
  kind: number;
  what: string;
  /**
   * The position, per build mode. -O2 inlines the runtime helper, so its call
   * site is only "near": the line is exact, the column somewhere in the
   * statement (which operand depends on the optimizer), so "near" cases give
   * the statement's start and the test checks the column falls inside it.
   */
  at: () => { speed: string; debug: string };
  context: string;
}

const iso = (ms: number, us = 0) => `2025-01-01T00:00:00.${String(ms).padStart(3, "0")}${String(us).padStart(3, "0")}000Z`;

const CASES: Case[] = [
  {
    kind: 1,
    what: "divide by zero",
    // i64 division by a zero variable: a WebAssembly trap, reported at its statement.
    at: () => ({ speed: `at ${where("t.px / zero")}`, debug: `at ${where("t.px / zero")}` }),
    context: `in onTrade, event 4 at ${iso(3)}`,
  },
  {
    kind: 2,
    what: "unreachable",
    at: () => ({ speed: `at ${where("unreachable()", "unreachable()")}`, debug: `at ${where("unreachable()", "unreachable()")}` }),
    context: `in onQuote, event 3 at ${iso(2)}`,
  },
  {
    kind: 3,
    // the market buy of the 2nd trade (event 4) fills at once: onFill runs after event 4, at its time
    what: "Index out of range",
    at: () => ({ speed: `near ${where("this.table[")}`, debug: `at ${where("this.table[", "this.table[")}` }),
    context: `in onFill, at ${iso(3)} after event 4`,
  },
  {
    kind: 4,
    // the timer set in onStart for 4.5 ms fires between events 5 and 6
    what: "mulChecked overflow: a*b does not fit in i64",
    at: () => ({ speed: `near ${where("mulChecked(Px")}`, debug: `at ${where("mulChecked(Px")}` }),
    context: `in onTimer, at ${iso(4, 500)} after event 5`,
  },
  {
    kind: 5,
    what: "refusing to start",
    at: () => ({ speed: `at ${where("refusing", "abort(")}`, debug: `at ${where("refusing", "abort(")}` }),
    context: `in onStart, at ${iso(0)} before event 1`,
  },
  {
    kind: 6,
    // the post-only buy placed on event 4 is accepted: onOrder throws
    what: "order 1 was not expected",
    at: () => ({ speed: `at ${where("was not expected", "throw")}`, debug: `at ${where("was not expected", "throw")}` }),
    context: `in onOrder, at ${iso(3)} after event 4`,
  },
  {
    kind: 7,
    // i32 division by zero in onStop, after the last of the 8 events
    what: "divide by zero",
    at: () => ({ speed: `at ${where("this.table.pop()", "this.table.pop()")}`, debug: `at ${where("this.table.pop()", "this.table.pop()")}` }),
    context: `in onStop, at ${iso(7)} after event 8`,
  },
  {
    kind: 8,
    // a failed assert in a field initialiser: while the module is made, before any event
    what: "kind 8 is refused when the algo is made",
    at: () => ({ speed: `at ${where("assert(kind")}`, debug: `at ${where("assert(kind")}` }),
    context: `in start code`,
  },
];

describe.each(["speed", "debug"] as const)("a trap, %s build", (mode) => {
  beforeAll(async () => {
    const built = await runCli(["build", ...(mode === "debug" ? ["--debug"] : [])], { cwd: root, timeoutMs: 120_000 });
    expect(built.code, built.stderr).toBe(0);
  }, 180_000);

  it("the module carries its source map: paths relative to the project, no source text, no dangling URL section", async () => {
    const module = new WebAssembly.Module(await readFile(path.join(root, "build", "algo.wasm")));
    const [section] = WebAssembly.Module.customSections(module, "sequence.sourcemap");
    const map = JSON.parse(new TextDecoder().decode(section));
    expect(map.version).toBe(3);
    expect(map.sources).toContain("assembly/algo.ts");
    expect(map.sources.filter((s: string) => !s.startsWith("~lib/"))).toEqual(["assembly/algo.ts"]);
    expect(map.x_sequence_entry_dir).toBe("assembly");
    expect(map).not.toHaveProperty("sourcesContent");
    expect(JSON.stringify(map)).not.toContain(root);
    expect(WebAssembly.Module.customSections(module, "sourceMappingURL")).toHaveLength(0);
  });

  it.each(CASES)("kind $kind: $what", async (c) => {
    const run = await runCli(["backtest", "--wasm", "build/algo.wasm", "--data", "ticks.csv", "--param", `kind=${c.kind}`, "--no-progress"], { cwd: root });
    expect(run.code).toBe(1);
    // one line: what, where (file:line:col), which callback, which event and when
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    const expected = c.at()[mode];
    if (expected.startsWith("near ")) {
      const [file, line, column] = expected.slice(5).split(":");
      const got = new RegExp(`^error: algo trapped: (.+) \\(near ${file}:${line}:(\\d+) (.+)\\)$`).exec(lines[0]);
      expect(got, lines[0]).not.toBeNull();
      expect([got![1], got![3]]).toEqual([c.what, c.context]);
      expect(Number(got![2])).toBeGreaterThanOrEqual(Number(column));
      expect(Number(got![2])).toBeLessThanOrEqual(source[Number(line) - 1].length);
    } else {
      expect(lines).toEqual([`error: algo trapped: ${c.what} (${expected} ${c.context})`]);
    }
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/~lib|wasm-function|0x[0-9a-f]+/);
  });

  it("kind 9: running out of memory says so, with the limit (the module declares 256 pages)", async () => {
    const run = await runCli(["backtest", "--wasm", "build/algo.wasm", "--data", "ticks.csv", "--param", "kind=9", "--no-progress"], { cwd: root });
    expect(run.code).toBe(1);
    const line = run.stderr.trim();
    expect(line).toMatch(new RegExp(`^error: algo trapped: out of memory \\(limit 16 MiB\\) \\((at|near) assembly/algo\\.ts:\\d+:\\d+ in onQuote, event 5 at ${iso(4).replace(/\./g, "\\.")}\\)$`));
  });
});
