/** A deployed algo's log lines and `traces:{id}` events (logs, fills, status changes, trace events) as text lines. */
import { Qty, Px, stringifyJson, type JsonValue } from "../client/index.ts";
import { usd } from "./format.ts";
import { isoNs } from "../../harness/data/time.ts";
import { asBig } from "./wire-fields.ts";

/** One log line: `2024-01-16T11:20:00.000000001Z  edge-fra-1  INFO   message`. */
export function formatLogLine(line: { ts_ns?: bigint; edge_id?: string; level?: string; message: string }): string {
  const ts = line.ts_ns === undefined ? "-" : isoNs(line.ts_ns);
  return `${ts}  ${line.edge_id ?? "-"}  ${(line.level ?? "info").toUpperCase().padEnd(5)}  ${line.message}`;
}

const str = (v: JsonValue | undefined) => (typeof v === "string" ? v : undefined);

/** `2024-01-16T12:00:00.000000001Z  edge-1  KIND   text`, like a log line. */
function eventLine(ts: bigint | undefined, where: string, kind: string, text: string): string {
  return `${ts === undefined ? "-" : isoNs(ts)}  ${where}  ${kind.padEnd(5)}  ${text}`;
}

/**
 * A fill in human units: `buy 1.5 ETH-USD @ 2978.76  fee $0.45  maker  order 17`
 * (price and quantity exact, the fee to the cent; a negative fee is a rebate).
 */
function fillText(data: Record<string, JsonValue>): string | undefined {
  const px = asBig(data.price_1e9);
  const qty = asBig(data.qty_1e8);
  const side = str(data.side);
  if (px === undefined || qty === undefined || side === undefined) return undefined;
  const fee = asBig(data.fee_1e9);
  const parts = [`${side} ${Qty.format(qty)}${str(data.symbol) ? ` ${str(data.symbol)}` : ""} @ ${Px.format(px)}`];
  if (fee !== undefined) parts.push(fee < 0n ? `rebate ${usd(-fee)}` : `fee ${usd(fee)}`);
  if (str(data.liquidity)) parts.push(str(data.liquidity)!);
  const order = asBig(data.order_id);
  if (order !== undefined) parts.push(`order ${order}`);
  return parts.join("  ");
}

/**
 * An event from a `traces:{id}` channel, in human units: a log line
 * (`message`), a fill (`type: "fill"`), a status change (`type: "status"`,
 * with the fault reason), a trace event (`event_type`), or anything else as JSON.
 */
export function formatTrace(data: JsonValue): string {
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    const ts = asBig(data.ts_ns) ?? asBig(data.timestamp_ns);
    const where = str(data.edge_id) ?? str(data.venue) ?? "-";
    if (typeof data.message === "string") {
      return formatLogLine({ ts_ns: ts, edge_id: str(data.edge_id), level: str(data.level), message: data.message });
    }
    if (data.type === "fill") {
      const text = fillText(data);
      if (text !== undefined) return eventLine(ts, where, "FILL", text);
    }
    if (data.type === "status" && typeof data.status === "string") {
      const reason = str(data.reason);
      return eventLine(ts, where, "STATUS", `${data.status}${reason ? `: ${reason}` : ""}`);
    }
    if (typeof data.event_type === "string") {
      const detail = str(data.detail);
      return eventLine(ts, where, "TRACE", `${data.event_type}${detail ? `: ${detail}` : ""}`);
    }
  }
  return stringifyJson(data);
}
