/** Plain-text tables for terminal output: padded columns, numbers right-aligned, no colours. */

export interface Column {
  readonly header: string;
  /** `right` for numbers (default `left`). */
  readonly align?: "left" | "right";
}

/** Display width of a cell (code points; good enough for µ, →, $). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, to - width(text)));
  return align === "right" ? fill + text : text + fill;
}

/**
 * Render `rows` under `columns`, two spaces between columns, each line
 * prefixed by `indent`. Trailing spaces are trimmed.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], indent = "  "): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    indent + columns.map((c, i) => pad(cells[i] ?? "", widths[i] ?? 0, c.align ?? "left")).join("  ").trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n");
}
