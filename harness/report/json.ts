/**
 * JSON with bigints written as exact integers (never rounded through a
 * float, never quoted), keys in the order the report builds them, so the
 * same run gives byte-identical text.
 */
export function toExactJson(value: unknown, indent = 2): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v === "bigint") {
        marks.push(v.toString());
        return `\u0000${marks.length - 1}\u0000`;
      }
      return v;
    },
    indent,
  );
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]);
}
