/**
 * What happens to deployments, as it happens: deploy, start, stop, undeploy,
 * and an edge's fault with its reason. The registry (deployments.ts) tells a
 * listener; `algo dev` prints one line per event on its console:
 *
 *   21:34:17  deploy    dep_1f… "mm-eth"  ETH-USD on edge-coinbase-1, edge-binance-1; started
 *   21:34:25  fault     dep_1f… "mm-eth"  edge-binance-1: <the edge's fault reason>
 */
import type { Deployment } from "./deployments.ts";
import type { EdgeRun } from "./edge-run.ts";

export type LifecycleEvent =
  | { readonly kind: "deploy"; readonly deployment: Deployment; readonly started: boolean; readonly notPushed: readonly string[] }
  | { readonly kind: "start" | "stop"; readonly deployment: Deployment; readonly edges: readonly EdgeRun[] }
  | { readonly kind: "undeploy"; readonly deployment: Deployment; readonly cancelled: number }
  | { readonly kind: "fault"; readonly deployment: Deployment; readonly edge: EdgeRun; readonly reason: string };

export type LifecycleListener = (event: LifecycleEvent) => void;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The event's text, without the time. */
export function describeLifecycle(e: LifecycleEvent): string {
  const d = e.deployment;
  const who = `${d.id} "${d.row.name}"`;
  const edgeIds = (runs: readonly EdgeRun[]) => runs.map((r) => r.edgeId).join(", ");
  switch (e.kind) {
    case "deploy": {
      const skipped = e.notPushed.length ? `; not pushed to ${e.notPushed.join(", ")} (full)` : "";
      return `deploy    ${who}  ${d.row.symbols.join(", ")} on ${edgeIds(d.edges)}; ${e.started ? "started" : "not started"}${skipped}`;
    }
    case "start":
    case "stop":
      return `${e.kind.padEnd(8)}  ${who}  ${edgeIds(e.edges)}`;
    case "undeploy":
      return `undeploy  ${who}${e.cancelled > 0 ? `  (${plural(e.cancelled, "resting order")} cancelled)` : ""}`;
    case "fault":
      return `fault     ${who}  ${e.edge.edgeId}: ${e.reason}`;
  }
}

/** One console line: UTC time of day, then the event. */
export function lifecycleLine(e: LifecycleEvent, at: Date = new Date()): string {
  return `${at.toISOString().slice(11, 19)}  ${describeLifecycle(e)}`;
}
