// The project config (package.json → "sequence") is one zod declaration
// (src/schemas/project-config.ts): its checks and messages, and the JSON
// Schema committed for editors, which must be what the declaration generates.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { register } from "../../src/cli/backtest.ts";
import { loadProject } from "../../src/project.ts";
import { PROJECT_SCHEMA_FILE, projectConfigSchemaText } from "../../src/schemas/project-config-json.ts";
import { PROJECT_SETTABLE_FLAGS } from "../../src/schemas/project-config.ts";
import { tempDir } from "./run.ts";

function project(pkg: unknown): { dir: string; file: string } {
  const dir = tempDir();
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg));
  return { dir, file: path.join(dir, "package.json") };
}

describe("schema/project-config.schema.json", () => {
  it("is what the zod declaration generates now (run `npm run schema` after changing it)", () => {
    expect(readFileSync(PROJECT_SCHEMA_FILE, "utf8")).toBe(projectConfigSchemaText());
  });

  it("offers every settable backtest flag, true/false exactly for the flags that take no value", () => {
    const schema = JSON.parse(readFileSync(PROJECT_SCHEMA_FILE, "utf8"));
    const backtest = schema.properties.sequence.properties.backtest;
    expect(backtest.additionalProperties).toBe(false);
    expect(Object.keys(backtest.properties)).toEqual([...PROJECT_SETTABLE_FLAGS, "params"]);
    const program = new Command();
    register(program);
    const options = program.commands.find((c) => c.name() === "backtest")!.options;
    for (const flag of PROJECT_SETTABLE_FLAGS) {
      const isSwitch = options.find((o) => o.long === `--${flag}`)!.isBoolean();
      expect([flag, backtest.properties[flag].type]).toEqual([flag, isSwitch ? "boolean" : ["string", "number"]]);
    }
  });
});

describe("loadProject checks the sequence block against the declaration", () => {
  it("reads a valid block, resolving the entry and defaulting name and symbols", async () => {
    const { dir, file } = project({ sequence: { entry: "assembly/algo.ts", data: "sp500", backtest: { "maker-bps": 0.07, params: { size: 2 } } } });
    expect(await loadProject(dir)).toEqual({
      root: dir,
      file,
      name: path.basename(dir),
      entry: path.join(dir, "assembly", "algo.ts"),
      symbols: [],
      data: "sp500",
      backtest: { "maker-bps": 0.07, params: { size: 2 } },
    });
  });

  it.each([
    [{ entry: 7 }, `"sequence.entry": expected the algo's source file, e.g. "assembly/algo.ts"`],
    [{ entry: "a.ts", symbols: "ETH-USD" }, `"sequence.symbols": expected a list of symbols, e.g. ["ETH-USD"]`],
    [{ entry: "a.ts", symbols: ["ETH-USD", 3] }, `"sequence.symbols[1]": expected a symbol, e.g. "ETH-USD"`],
    [{ entry: "a.ts", backtest: ["maker-bps"] }, `"sequence.backtest": expected an object of backtest settings, e.g. {"maker-bps": "-1", "capital": "10000"}`],
    [{ entry: "a.ts", backtest: { "refuse-stale": "yes" } }, `"sequence.backtest.refuse-stale": expected true or false, got "yes"`],
    [{ entry: "a.ts", backtest: { capital: null } }, `"sequence.backtest.capital": expected a string or a number, got null`],
    [{ entry: "a.ts", backtest: { params: { size: [1] } } }, `"sequence.backtest.params.size": expected a decimal number or true/false`],
    [{ entry: "a.ts", backtest: { makerBps: 1 } }, `"sequence.backtest.makerBps": not a backtest setting; expected one of ${[...PROJECT_SETTABLE_FLAGS, "params"].join(", ")}`],
  ])("refuses %j, naming the file and the key", async (sequence, message) => {
    const { dir, file } = project({ name: "p", sequence });
    await expect(loadProject(dir)).rejects.toThrow(`${file}: ${message}`);
  });
});
