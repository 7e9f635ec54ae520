import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAlgo, CompileError, runBacktest, SyntheticSource, AlgoTrap, openSource } from "sequence-algo";

let dir: string;

async function algoFile(name: string, source: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, source);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "compile-test-"));
});

describe("compileAlgo", () => {
  it("builds an optimized module, lists its callbacks and imports only the host namespace", async () => {
    const file = await algoFile(
      "two.ts",
      `import { Algo, Quote, Fill, register } from "sequence-algo/runtime";
class Base extends Algo { onFill(f: Fill): void {} }
class Two extends Base { onQuote(q: Quote): void {} onStop(): void {} }
register(new Two());`,
    );
    const built = await compileAlgo(file);
    expect(built.abi).toEqual({ major: 1, minor: 3 });
    expect(built.callbacks).toEqual(["on_quote", "on_fill", "on_stop"]);
    expect(built.imports.every((i) => i.startsWith("sequence."))).toBe(true);
    expect(built.sizeBytes).toBe(built.wasm.length);
  });

  it("points a compile error at the author's file, line and column", async () => {
    const file = await algoFile(
      "broken.ts",
      `import { Algo, Quote, register } from "sequence-algo/runtime";
class Broken extends Algo {
  onQuote(q: Quote): void {
    this.buy(notDefined);
  }
}
register(new Broken());`,
    );
    const error = await compileAlgo(file).catch((e) => e);
    expect(error).toBeInstanceOf(CompileError);
    const d = error.diagnostics[0];
    expect(d.file).toMatch(/broken\.ts$/);
    expect(d.line).toBe(4);
    expect(d.column).toBe(14);
    expect(d.message).toMatch(/notDefined/);
  });

  it("turns a trap inside the algo into an error that says what and where", async () => {
    const file = await algoFile(
      "trap.ts",
      `import { Algo, Quote, register } from "sequence-algo/runtime";
class Trap extends Algo {
  n: i32 = 0;
  onQuote(q: Quote): void {
    if (++this.n == 3) throw new Error("inventory check failed");
  }
}
register(new Trap());`,
    );
    const built = await compileAlgo(file);
    const error = await runBacktest({ module: built.module, source: new SyntheticSource({ seed: 1, count: 100 }) }).catch((e) => e);
    expect(error).toBeInstanceOf(AlgoTrap);
    expect(error.reason).toBe("inventory check failed");
    expect(error.file).toMatch(/trap\.ts$/);
    expect(error.line).toBe(5);
  });

  it("says when no algo was registered", async () => {
    const file = await algoFile("none.ts", `import { Algo } from "sequence-algo/runtime";\nclass Nothing extends Algo {}\n`);
    const built = await compileAlgo(file);
    await expect(runBacktest({ module: built.module, source: new SyntheticSource({ seed: 1, count: 10 }) })).rejects.toThrow(
      /no algo registered: call register\(new YourAlgo\(\)\)/,
    );
  });
});

describe("the README's algo example", () => {
  it("compiles as written and logs its fill in exact decimals", async () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.includes("extends Algo"));
    expect(example).toBeDefined();
    const file = await algoFile("readme-example.ts", example!);
    const built = await compileAlgo(file);
    // the bid rests at 2978.76 and a sell prints through it at 2978.75
    const data = await algoFile(
      "readme-ticks.csv",
      "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n" +
        "1700000000000000000,quote,2978.76,3,2978.80,2,,,\n" +
        "1700000001000000000,trade,,,,,2978.75,5,sell\n",
    );
    const { result } = await runBacktest({ module: built.module, source: await openSource(data) });
    expect(result.logs.map((l) => l.message)).toEqual(["filled 1.0 @ 2978.76"]);
  });
});
