/**
 * Lossless JSON for the Sequence wire.
 *
 * Fixed-point and timestamp fields (names ending in `_1e8`, `_1e9`, `_ns`) can
 * exceed 2^53, so `JSON.parse` would silently round them. {@link parseJson}
 * reads every integer under such a key (or inside an array under such a key)
 * as a `bigint`, exactly; every other number becomes a `number`.
 * {@link stringifyJson} writes a `bigint` anywhere as a bare JSON integer.
 */
import { isLosslessNumber, parse, stringify } from "lossless-json";

/** A parsed JSON value; big-integer fields are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
/** A parsed JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Field-name suffixes whose integers are read as `bigint`. */
export const BIG_SUFFIXES = ["_1e8", "_1e9", "_ns"] as const;

/** True when a field with this name carries a big integer (`*_1e8`, `*_1e9`, `*_ns`). */
export function isBigField(key: string): boolean {
  return BIG_SUFFIXES.some((s) => key.endsWith(s));
}

const INTEGER_LITERAL = /^-?(0|[1-9][0-9]*)$/;

/**
 * Parse JSON text without losing big integers.
 *
 * An integer literal under a big field (see {@link isBigField}) becomes a
 * `bigint`; a non-integer there (e.g. `1.5`) stays a `number` so that shape
 * checks can reject it. Throws `SyntaxError` on invalid JSON.
 */
export function parseJson(text: string): JsonValue {
  return convert(parse(text), false);
}

function convert(value: unknown, big: boolean): JsonValue {
  if (isLosslessNumber(value)) {
    const literal = value.value;
    return big && INTEGER_LITERAL.test(literal) ? BigInt(literal) : Number(literal);
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, big));
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = convert(v, isBigField(k));
      // A key named "__proto__" must stay an own data property.
      Object.defineProperty(out, k, { value: converted, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value as JsonValue;
}

/**
 * Serialise to JSON text; a `bigint` is written as a bare integer
 * (`9007199254740993n` → `9007199254740993`). `undefined` properties are dropped.
 */
export function stringifyJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError("stringifyJson: value has no JSON representation");
  return text;
}
