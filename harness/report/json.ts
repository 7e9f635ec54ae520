/**
 * JSON with bigints written as exact integers (never rounded through a
 * float, never quoted), keys in the order the report builds them, so the
 * same run gives byte-identical text.
 */
import { stringify } from "lossless-json";

export function toExactJson(value: unknown, indent = 2): string {
  const text = stringify(value, undefined, indent);
  if (text === undefined) throw new TypeError("toExactJson: value has no JSON representation");
  return text;
}
