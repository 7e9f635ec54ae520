// The report reads a run's recorder and the parts of the engine it describes, never the engine itself:
// nothing report.ts imports, directly or through others, is harness/engine.ts (the old cycle).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "../..");

/** Every project file `file` imports, directly or through others (relative imports, type-only ones included). */
function importClosure(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    const src = readFileSync(path.join(ROOT, f), "utf8");
    for (const m of src.matchAll(/^\s*(?:import|export)\b[^"';]*?from\s+["'](\.{1,2}\/[^"']+)["']/gm)) visit(path.join(path.dirname(f), m[1]));
  };
  visit(file);
  seen.delete(file);
  return seen;
}

describe("the report's imports", () => {
  it("reach the recorder, not the engine", () => {
    const closure = importClosure("harness/report/report.ts");
    expect(closure).toContain(path.join("harness", "recorder.ts"));
    expect(closure).not.toContain(path.join("harness", "engine.ts"));
  });

  it("the recorder and the timer queue stand without the engine", () => {
    for (const file of ["harness/recorder.ts", "harness/timers.ts"]) expect(importClosure(file)).not.toContain(path.join("harness", "engine.ts"));
  });
});
