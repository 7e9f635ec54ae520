/**
 * Decodes the `mappings` string of a source map (version 3): base64 VLQ
 * segments, `,` between segments, `;` between generated lines. A WebAssembly
 * source map has one generated "line"; its column is the byte offset in the
 * module. Written here rather than taken from a package: it is small, and a
 * host reads it on every trap.
 */

/** One mapping: where generated code at `generatedColumn` came from (all 0-based). */
export interface Mapping {
  generatedLine: number;
  generatedColumn: number;
  /** undefined: this code has no source position (the compiler marked it as such). */
  source?: number;
  line?: number;
  column?: number;
}

export class VlqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VlqError";
  }
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/** The signed integers of one segment, e.g. "AAgBC" → [0, 0, 16, 1]. */
export function decodeVlqSegment(text: string, start = 0, end = text.length): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? DIGIT[code] : -1;
    if (digit < 0) throw new VlqError(`invalid base64 character ${JSON.stringify(text[i])} at ${i}`);
    if (shift > 30) throw new VlqError(`VLQ value too large at ${i}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new VlqError(`segment ends inside a VLQ value at ${end}`);
  return values;
}

/**
 * Every mapping, in the order written (generated line, then column). Fields
 * are deltas from the previous segment's, the column resetting per line.
 */
export function decodeMappings(mappings: string): Mapping[] {
  const out: Mapping[] = [];
  let generatedLine = 0;
  let source = 0;
  let line = 0;
  let column = 0;
  let generatedColumn = 0;
  let start = 0;
  for (let i = 0; i <= mappings.length; i++) {
    const ch = mappings[i];
    if (i < mappings.length && ch !== "," && ch !== ";") continue;
    if (i > start) {
      const f = decodeVlqSegment(mappings, start, i);
      if (f.length !== 1 && f.length !== 4 && f.length !== 5)
        throw new VlqError(`a segment has ${f.length} fields; 1, 4 or 5 expected (at ${start})`);
      generatedColumn += f[0];
      if (f.length === 1) out.push({ generatedLine, generatedColumn });
      else {
        source += f[1];
        line += f[2];
        column += f[3];
        out.push({ generatedLine, generatedColumn, source, line, column });
      }
    }
    if (ch === ";") {
      generatedLine++;
      generatedColumn = 0;
    }
    start = i + 1;
  }
  return out;
}
