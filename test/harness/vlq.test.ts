// The source-map decoder a host uses on every trap, against values worked by hand
// from the spec (base64 digit: 5 value bits + continuation bit 32; lowest bit of
// the value is the sign).
import { describe, expect, it } from "vitest";
import { decodeMappings, decodeVlqSegment, VlqError } from "../../harness/vlq.ts";

describe("decodeVlqSegment", () => {
  it("decodes single digits with their sign bit", () => {
    // A=0, C=2 → +1, D=3 → -1, E=4 → +2, F=5 → -2, e=30 → +15, f=31 → -15
    expect(decodeVlqSegment("ACDEFef")).toEqual([0, 1, -1, 2, -2, 15, -15]);
  });

  it("decodes continuation digits, least significant first", () => {
    // "gB": g=32 (continue, bits 0), B=1 → 1<<5 = 32 → +16.  "hB": 33 → 1 + 32 = 33 → -16.
    expect(decodeVlqSegment("gB")).toEqual([16]);
    expect(decodeVlqSegment("hB")).toEqual([-16]);
    // 5354 = 2677*2 → digits of 5354: 5354 & 31 = 10 (+32 → 42 'q'), 5354>>5 = 167: 167&31 = 7 (+32 → 39 'n'), 167>>5 = 5 'F'
    expect(decodeVlqSegment("qnF")).toEqual([2677]);
  });

  it("refuses what is not base64 VLQ", () => {
    expect(() => decodeVlqSegment("A*")).toThrow(VlqError);
    expect(() => decodeVlqSegment("g")).toThrow(/inside a VLQ value/);
  });
});

describe("decodeMappings", () => {
  it("accumulates fields across segments and lines, the column resetting per line", () => {
    // seg1: col 2, src 0, line 3, col 4 → "EAGI"; seg2: col +1 (3), src +1, line -1 (2), col +0 → "CCDA"; seg3: col +2, no source → "E"
    // line 2: col 5 (reset), src +0 (1), line +10 (12), col +1 (5) → "KAUC"
    expect(decodeMappings("EAGI,CCDA,E;KAUC")).toEqual([
      { generatedLine: 0, generatedColumn: 2, source: 0, line: 3, column: 4 },
      { generatedLine: 0, generatedColumn: 3, source: 1, line: 2, column: 4 },
      { generatedLine: 0, generatedColumn: 5 },
      { generatedLine: 1, generatedColumn: 5, source: 1, line: 12, column: 5 },
    ]);
  });

  it("skips empty segments and refuses a segment with 2 or 3 fields", () => {
    expect(decodeMappings(";;")).toEqual([]);
    expect(() => decodeMappings("AA")).toThrow(/2 fields/);
  });
});
