// Names come from a server: control characters must not reach the terminal raw
// (U+009B is a CSI to many terminals; an ESC starts a sequence).
import { describe, expect, it } from "vitest";
import { printable } from "../../src/cli/format.ts";
import { formatDeployment } from "../../src/cli/deployment-text.ts";

describe("printable", () => {
  it("shows C0, DEL and C1 control characters as escapes and leaves other text alone", () => {
    expect(printable("eth\u009b31mred")).toBe("eth\\u{9b}31mred");
    expect(printable("a\u0085b\u001b[2Jc\u007f")).toBe("a\\u{85}b\\u{1b}[2Jc\\u{7f}");
    expect(printable("mm-éth 東京 ✓")).toBe("mm-éth 東京 ✓");
  });

  it("is what a deployment's heading shows for a stored name", () => {
    const d = { deployment_id: "dep_1", name: "x\u009by", symbols: ["ETH-USD"], status: "running", size_bytes: 100, pushed_to: 0, capable_edges: 0, edges: [] } as never;
    expect(formatDeployment(d).split("\n")[0]).toBe('deployment dep_1 "x\\u{9b}y"');
  });
});
