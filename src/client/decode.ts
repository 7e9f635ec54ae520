/**
 * Light response validation: tiny decoders that check a parsed JSON value has
 * the documented shape and build a typed value from it. A mismatch throws
 * {@link DecodeError} naming the JSON path (`$.edges[0].fill_count`), which the
 * transport turns into a `deserialize` SequenceError carrying a body snippet.
 *
 * Object decoders keep only the declared fields.
 */
import type { JsonObject, JsonValue } from "./json.ts";

export class DecodeError extends Error {
  constructor(
    readonly at: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${at}: expected ${expected}, got ${got}`);
    this.name = "DecodeError";
  }
}

/** A decoder reads `value` found at JSON path `at`. */
export type Decoder<T> = (value: JsonValue | undefined, at: string) => T;

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return "nothing (field missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "bigint") return `integer ${value}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

export const string: Decoder<string> = (v, at) => {
  if (typeof v !== "string") throw new DecodeError(at, "a string", describe(v));
  return v;
};

export const number: Decoder<number> = (v, at) => {
  if (typeof v !== "number") throw new DecodeError(at, "a number", describe(v));
  return v;
};

/** A non-negative safe integer as `number` (counts, sizes). */
export const count: Decoder<number> = (v, at) => {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new DecodeError(at, "a non-negative integer", describe(v));
  }
  return v;
};

/** An integer read losslessly; only fields named `*_1e8`, `*_1e9`, `*_ns` arrive as bigint. */
export const bigint: Decoder<bigint> = (v, at) => {
  if (typeof v !== "bigint") throw new DecodeError(at, "an integer (bigint field)", describe(v));
  return v;
};

export const boolean: Decoder<boolean> = (v, at) => {
  if (typeof v !== "boolean") throw new DecodeError(at, "a boolean", describe(v));
  return v;
};

/** Any JSON value (free-form answers). A missing value is `null`. */
export const json: Decoder<JsonValue> = (v) => (v === undefined ? null : v);

/** Any JSON object. */
export const object: Decoder<JsonObject> = (v, at) => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new DecodeError(at, "an object", describe(v));
  return v;
};

export function array<T>(item: Decoder<T>): Decoder<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) throw new DecodeError(at, "an array", describe(v));
    return v.map((x, i) => item(x, `${at}[${i}]`));
  };
}

/** `null` when the value is missing or null, otherwise decoded. */
export function nullable<T>(inner: Decoder<T>): Decoder<T | null> {
  return (v, at) => (v === undefined || v === null ? null : inner(v, at));
}

/** A JSON object used as a map from string keys to decoded values. */
export function record<T>(inner: Decoder<T>): Decoder<Record<string, T>> {
  return (v, at) => {
    const o = object(v, at);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(o)) {
      Object.defineProperty(out, k, { value: inner(x, `${at}.${k}`), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
}

type Shape = Record<string, Decoder<unknown>>;
type Optional<S extends Shape> = { [K in keyof S]?: S[K] extends Decoder<infer T> ? T : never };
type Required<S extends Shape> = { [K in keyof S]: S[K] extends Decoder<infer T> ? T : never };

/**
 * An object with required fields `req` and optional fields `opt` (omitted from
 * the result when missing or null). Unknown fields are dropped.
 */
export function struct<R extends Shape, O extends Shape = Record<never, never>>(
  req: R,
  opt?: O,
): Decoder<Required<R> & Optional<O>> {
  return (v, at) => {
    const o = object(v, at);
    const out: Record<string, unknown> = {};
    for (const [k, d] of Object.entries(req)) out[k] = d(o[k], `${at}.${k}`);
    if (opt !== undefined) {
      for (const [k, d] of Object.entries(opt)) {
        const x = o[k];
        if (x !== undefined && x !== null) out[k] = d(x, `${at}.${k}`);
      }
    }
    return out as Required<R> & Optional<O>;
  };
}

/** Run a decoder on a whole body; the root path is `$`. */
export function decode<T>(decoder: Decoder<T>, value: JsonValue): T {
  return decoder(value, "$");
}
