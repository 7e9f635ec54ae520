// docs/runtime.md documents the whole public surface: every name
// runtime/index.ts exports appears, and every public member appears in its
// owner's section ("## name" or "### name"). The list is read from the source.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runtimePublicSurface } from "./public-surface.ts";

const docs = readFileSync(path.resolve(import.meta.dirname, "../../docs/runtime.md"), "utf8");
const lines = docs.split("\n");

/** The text under the heading "## owner" / "### owner", up to the next heading of level 2 or 3. */
function section(owner: string): string | undefined {
  const start = lines.findIndex((l) => new RegExp(`^#{2,3} ${owner}$`).test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

describe("docs/runtime.md", () => {
  const surface = runtimePublicSurface();

  it("has a section for every exported class, namespace, enum and function, and names every constant", () => {
    const missing = surface
      .filter((s) => !s.name.includes("."))
      .filter((s) => (s.kind === "const" || s.kind === "type" ? !new RegExp(`\\b${s.name}\\b`).test(docs) : false) || (["class", "namespace", "enum"].includes(s.kind) && !section(s.name)))
      .map((s) => s.name);
    expect(missing).toEqual([]);
    const functions = surface.filter((s) => s.kind === "function").map((s) => s.name);
    expect(functions.filter((f) => !new RegExp(`\`${f}\\(`).test(docs))).toEqual([]); // each with its signature
  });

  it("documents every public member in its owner's section", () => {
    const missing = surface
      .filter((s) => s.kind === "member")
      .filter((s) => {
        const [owner, member] = s.name.split(".");
        return !new RegExp(`\\b${member}\\b`).test(section(owner) ?? "");
      })
      .map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it("is linked from the README", () => {
    expect(readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8")).toContain("](docs/runtime.md)");
  });
});
