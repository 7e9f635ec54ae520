/**
 * Free-form API objects in human units, by their fields' names (`*_1e8`
 * quantities, `*_1e9` USD or prices, `*_ns` times or durations): one field,
 * a table of objects, or `key  value` lines.
 */
import { Qty, Px, stringifyJson, type JsonValue } from "../client/index.ts";
import { count, duration, signedUsd, usd } from "./format.ts";
import { renderTable, type Column } from "./table.ts";
import { isoNs } from "../../harness/data/time.ts";

/** A number of the wire as an exact bigint: a bigint, or a safe integer; anything else is not one. */
export function asBig(v: JsonValue | undefined): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

/** Nanoseconds as a duration (`850 ns`, `12.3 µs`). */
export function nsDuration(ns: bigint): string {
  return ns > 1_000_000_000_000n ? `${ns / 1_000_000_000n} s` : duration(Number(ns));
}

/** `realized_pnl_1e9` → `REALIZED PNL`. */
export function headerFor(key: string): string {
  return key.replace(/_(1e8|1e9|ns|bps)$/, "").replace(/_/g, " ").toUpperCase();
}

/**
 * A wire field in human units, by its name: `*_1e8` quantities, `*_1e9` USD
 * amounts (`pnl`, `usd`, `fee`, `notional`) or prices, `*_ns` timestamps or
 * durations. Exact: fixed point is formatted from the integer, never a float.
 */
export function formatField(key: string, value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "-";
  const big = asBig(value);
  if (big !== undefined && key.endsWith("_1e8")) return Qty.format(big);
  if (big !== undefined && key.endsWith("_1e9")) {
    if (/pnl/.test(key)) return signedUsd(big);
    if (/usd|fee|notional|equity|balance/.test(key)) return usd(big);
    return Px.format(big);
  }
  if (big !== undefined && key.endsWith("_ns")) {
    return /(^|_)(ts|at|time|timestamp|since|until|started|stopped|created|updated)(_|$)/.test(key) ? isoNs(big) : nsDuration(big);
  }
  if (typeof value === "number") return Number.isInteger(value) ? count(value) : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    return value.every((x) => typeof x === "string" || typeof x === "number") ? value.join(",") : `${value.length}`;
  }
  return stringifyJson(value);
}

/**
 * A table of free-form objects: the `preferred` keys present in any row, in
 * that order, then (when `others` is true) the remaining scalar keys.
 */
export function objectTable(rows: readonly Record<string, JsonValue>[], preferred: readonly string[], others = true): string {
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  const keys = preferred.filter((k) => present.has(k));
  if (others) {
    for (const k of present) {
      if (keys.includes(k)) continue;
      if (rows.every((r) => r[k] === undefined || r[k] === null || typeof r[k] !== "object")) keys.push(k);
    }
  }
  const numeric = (k: string) => rows.some((r) => typeof r[k] === "number" || typeof r[k] === "bigint");
  const columns: Column[] = keys.map((k) => ({ header: headerFor(k), align: numeric(k) ? "right" : "left" }));
  return renderTable(columns, rows.map((r) => keys.map((k) => formatField(k, r[k]))));
}

/** `key  value` lines for an object (nested values as JSON). */
export function describeObject(obj: Record<string, JsonValue>, indent = "  "): string {
  const keys = Object.keys(obj);
  const w = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${indent}${k.padEnd(w)}  ${formatField(k, obj[k])}`).join("\n");
}
