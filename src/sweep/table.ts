/** The ranked table a sweep prints: the best runs, their params and the figures that decided. */
import { formatFixed } from "../../harness/data/decimal.ts";
import { divRound } from "../../harness/fixed.ts";
import { renderTable, type Column } from "../cli/table.ts";
import { METRICS } from "./metrics.ts";
import { units } from "./decimal.ts";
import type { RankedRow } from "./rank.ts";
import type { SweepManifest } from "./folder.ts";

const HEADLINE = ["net_pnl", "fees", "fills", "max_drawdown"];

export function sweepTable(manifest: SweepManifest, ranked: readonly RankedRow[], top: number): string {
  const constraintMetrics = manifest.constraints.map((c) => /^[a-z0-9_]+/i.exec(c)![0]);
  const figures = [...new Set([manifest.target, ...constraintMetrics, ...HEADLINE])];
  const columns: Column[] = [
    { header: "rank", align: "right" },
    { header: "run", align: "right" },
    ...manifest.axes.map((a) => ({ header: a.name, align: "right" as const })),
    ...figures.map((f) => ({ header: f === manifest.target ? `${f} ▼` : f, align: "right" as const })),
  ];
  const ranked_ = ranked.filter((r) => r.rank !== null);
  const rows = ranked_.slice(0, top).map((r) => [
    String(r.rank),
    r.folder ?? String(r.run), // its results folder in runs/: `algo report <sweep>/runs/<it>`
    ...manifest.axes.map((a) => r.params[a.name]),
    ...figures.map((f) => (r.metrics?.[f] === undefined ? "-" : showMetric(f, r.metrics[f]))),
  ]);
  const misses = ranked.filter((r) => r.rank === null && r.error === undefined).length;
  const failed = ranked.filter((r) => r.error !== undefined);
  const lines = [
    `${ranked.length} run${ranked.length === 1 ? "" : "s"} by ${manifest.target} (${METRICS[manifest.target].better} is better)` +
      (manifest.constraints.length ? `, constraints ${manifest.constraints.join(", ")}` : ""),
    "",
    rows.length ? renderTable(columns, rows) : "  no run meets the constraints",
  ];
  if (ranked_.length > top) lines.push(`  … ${ranked_.length - top} more ranked runs in results.csv`);
  if (misses) lines.push(`  ${misses} run${misses === 1 ? "" : "s"} missed a constraint`);
  for (const f of failed.slice(0, 5)) lines.push(`  run ${f.run} failed: ${f.error}`);
  if (failed.length > 5) lines.push(`  … ${failed.length - 5} more failed runs in results.csv`);
  return lines.join("\n");
}

/** Exact decimal text → what a person reads: USD to the cent, ratios to 4 places (half-even). */
export function showMetric(name: string, value: string): string {
  switch (METRICS[name]?.show) {
    case "usd":
      return round(value, 2);
    case "ratio":
      return round(value, 4);
    default:
      return value;
  }
}

function round(value: string, places: number): string {
  const dot = value.indexOf(".");
  const have = dot < 0 ? 0 : value.length - dot - 1;
  if (have <= places) return formatFixed(units(value, have), have, places);
  const rounded = divRound(units(value, have), 10n ** BigInt(have - places), "half-even");
  return formatFixed(rounded, places, places);
}
