/**
 * Deployments: create (push to every capable edge with room), start, stop,
 * undeploy, look up by id or by symbol — always within one client, so another
 * client's deployment answers 404 exactly like a missing one. Each deployment
 * holds one EdgeRun per edge it was pushed to, its compiled module, and its
 * log. State changes are written to the store before they are answered;
 * counters are checkpointed on a timer.
 *
 * One running module per symbol per client: deploying with
 * start_immediately, or starting, while another of the client's deployments
 * runs on the same symbol is refused with 409 `symbol_busy` (nothing is
 * created or changed); stop or undeploy the running one first.
 */
import { randomBytes } from "node:crypto";
import { paramsOfModule } from "../../harness/params.ts";
import type { DevConfig } from "./config.ts";
import { EdgeRun, type EdgeRunEnv, type EdgeRunListener } from "./edge-run.ts";
import { edgeVenueSettings, type EdgeMap } from "./edges.ts";
import { conflict, notFound, unavailable } from "./errors.ts";
import type { LifecycleListener } from "./lifecycle.ts";
import { LogRing, UNDEPLOYED_LOG_LINES, UNDEPLOYED_WITH_LOGS, type LogEntry } from "./logs.ts";
import type { Market } from "./market.ts";
import type { WorkerFill, WorkerLog } from "./protocol.ts";
import type { DeploymentRow, Store } from "./store.ts";
import type { StreamHub } from "./stream.ts";
import { aggregateStatus } from "./views.ts";

/** Log lines and fills one edge forwards per second, at most. */
const EVENTS_PER_SECOND = 2000;
const WATCHDOG_MS = 25;

export class Deployment {
  readonly logs = new LogRing();
  module: WebAssembly.Module | undefined;
  undeployed: boolean;

  constructor(
    readonly row: DeploymentRow,
    module: WebAssembly.Module | undefined,
    readonly edges: EdgeRun[],
  ) {
    this.module = module;
    this.undeployed = row.undeployed;
  }

  /** What the edges run with: the module's sequence.params section, overridden by a strategy manifest's params (edge-worker.ts). */
  params(): Record<string, string> {
    const merged = { ...(this.module ? paramsOfModule(this.module) : {}), ...this.row.params };
    return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  }

  get id(): string {
    return this.row.id;
  }

  get client(): string {
    return this.row.client;
  }

  /** undeployed | running (any edge runs) | faulted (every edge faulted) | stopped | deployed (never started). */
  status(): string {
    return aggregateStatus(this.edges, this.undeployed);
  }

  edgesOf(symbol?: string): EdgeRun[] {
    return symbol === undefined ? this.edges : this.edges.filter((e) => e.spec.symbol === symbol);
  }
}

export interface CreateInput {
  client: string;
  name: string;
  symbols: string[];
  wasm: Uint8Array;
  module: WebAssembly.Module;
  params?: Record<string, string>;
  strategyId?: string | null;
  start: boolean;
}

export class Registry implements EdgeRunListener {
  private readonly byId = new Map<string, Deployment>();
  private checkpointTimer: NodeJS.Timeout | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** While > 0, status changes are persisted by the operation in progress, once, at its end. */
  private deferring = 0;
  /** Told of each deploy, start, stop, undeploy and fault as it happens (the `algo dev` console). */
  onLifecycle: LifecycleListener = () => {};

  constructor(
    private readonly store: Store,
    private readonly edgeMap: EdgeMap,
    private readonly market: Market,
    private readonly hub: StreamHub,
    private readonly config: DevConfig,
    private readonly workerUrl: URL,
  ) {}

  private env(venue: string): EdgeRunEnv {
    return {
      workerUrl: this.workerUrl,
      settings: edgeVenueSettings(this.config, venue),
      budgetMs: this.config.budgetMs,
      eventsPerSecond: EVENTS_PER_SECOND,
      listener: this,
    };
  }

  /** Loads the state file; resumes what was running. Returns counts for the banner. */
  async restore(): Promise<{ deployments: number; resumed: number }> {
    let resumed = 0;
    for (const { deployment: row, edges } of this.store.loadDeployments()) {
      let module: WebAssembly.Module | undefined;
      if (!row.undeployed && row.wasm) {
        try {
          module = await WebAssembly.compile(row.wasm as BufferSource);
        } catch {
          module = undefined;
        }
      }
      const runs = edges.flatMap((e) => {
        const spec = this.edgeMap.get(e.edgeId);
        return spec ? [new EdgeRun(row.id, spec, this.market.feed(spec.edgeId), this.env(spec.venue), e)] : [];
      });
      row.wasm = null;
      const d = new Deployment(row, module, runs);
      this.byId.set(row.id, d);
      for (const e of edges) {
        if (!this.edgeMap.get(e.edgeId)) this.note(d, e.edgeId, "warn", `edge ${e.edgeId} is not in this emulator's venue map any more; its row is kept but nothing runs there`);
      }
      if (d.undeployed) continue;
      for (const run of runs) {
        if (run.status !== "running") continue;
        if (!module) {
          run.status = "faulted";
          run.faultReason = "the stored module could not be compiled on restart";
          run.dirty = true;
          continue;
        }
        run.start(module, row.params, "resumed after an emulator restart; counters restored from the last checkpoint");
        resumed++;
      }
    }
    this.checkpointTimer = setInterval(() => this.checkpoint(), this.config.checkpointMs);
    this.watchdogTimer = setInterval(() => {
      const now = Date.now();
      for (const d of this.byId.values()) for (const run of d.edges) run.checkBudget(now);
    }, WATCHDOG_MS);
    return { deployments: [...this.byId.values()].filter((d) => !d.undeployed).length, resumed };
  }

  // ---------------------------------------------------------------- lookups

  /** The client's deployment `id`; 404 for a missing one and for another client's. */
  get(client: string, id: string): Deployment {
    const d = this.byId.get(id);
    if (!d || d.client !== client) throw notFound(`no deployment "${id}"`);
    return d;
  }

  /** The client's deployments (undeployed ones only when asked). */
  list(client: string, includeUndeployed = false): Deployment[] {
    return [...this.byId.values()].filter((d) => d.client === client && (includeUndeployed || !d.undeployed));
  }

  /** The algo on `symbol`: the deployment running it, else the newest one holding it. */
  bySymbol(client: string, symbol: string): Deployment {
    const holding = this.list(client).filter((d) => d.row.symbols.includes(symbol));
    const running = holding.find((d) => d.edgesOf(symbol).some((e) => e.status === "running"));
    const d = running ?? holding[holding.length - 1];
    if (!d) throw notFound(`no algo is deployed on ${symbol}`);
    return d;
  }

  /** Symbol → the client's deployment running it (for /v1/algos). */
  algos(client: string): Array<{ symbol: string; deployment: Deployment }> {
    const out: Array<{ symbol: string; deployment: Deployment }> = [];
    const symbols = new Set(this.list(client).flatMap((d) => d.row.symbols));
    for (const symbol of [...symbols].sort()) out.push({ symbol, deployment: this.bySymbol(client, symbol) });
    return out;
  }

  /** Deployments (any client) pushed to an edge and not undeployed. */
  edgeLoad(edgeId: string): number {
    let n = 0;
    for (const d of this.byId.values()) if (!d.undeployed && d.edges.some((e) => e.edgeId === edgeId)) n++;
    return n;
  }

  private assertSymbolsFree(client: string, symbols: readonly string[], except?: Deployment): void {
    for (const symbol of symbols) {
      for (const other of this.list(client)) {
        if (other === except) continue;
        if (other.edgesOf(symbol).some((e) => e.status === "running")) {
          throw conflict(
            "symbol_busy",
            `${symbol} already runs deployment ${other.id} ("${other.row.name}"): one running module per symbol per client — stop or undeploy it first`,
          );
        }
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Pushes a validated module to every capable edge with room; durable before it returns. */
  create(input: CreateInput): Deployment {
    if (this.closed) throw unavailable("shutting_down", "the emulator is shutting down");
    if (input.start) this.assertSymbolsFree(input.client, input.symbols);
    const capable = input.symbols.flatMap((s) => this.edgeMap.edgesFor(s));
    const accepted = capable.filter((spec) => this.edgeLoad(spec.edgeId) < this.config.edgeCapacity);
    if (accepted.length === 0) {
      throw unavailable("no_capacity", `every edge that can host ${input.symbols.join(", ")} is full (${this.config.edgeCapacity} deployments per edge); undeploy something first`);
    }
    const id = `dep_${randomBytes(8).toString("hex")}`;
    const row: DeploymentRow = {
      id,
      client: input.client,
      name: input.name,
      symbols: input.symbols,
      sizeBytes: input.wasm.length,
      wasm: input.wasm,
      params: input.params ?? {},
      strategyId: input.strategyId ?? null,
      capableEdges: capable.length,
      undeployed: false,
      createdNs: BigInt(Date.now()) * 1_000_000n,
    };
    const runs = accepted.map((spec) => new EdgeRun(id, spec, this.market.feed(spec.edgeId), this.env(spec.venue)));
    this.store.insertDeployment(row, runs.map((r) => r.row()));
    row.wasm = null; // durable now; the compiled module is what runs
    const d = new Deployment(row, input.module, runs);
    this.byId.set(id, d);
    for (const run of runs) this.note(d, run.edgeId, "info", `pushed to ${run.edgeId} (${run.spec.venue})`);
    const full = capable.filter((s) => !accepted.includes(s)).map((s) => s.edgeId);
    if (full.length > 0) this.note(d, "", "warn", `not pushed to ${full.join(", ")}: full (${this.config.edgeCapacity} deployments per edge)`);
    this.onLifecycle({ kind: "deploy", deployment: d, started: input.start, notPushed: full });
    if (input.start) this.deferred(runs, () => runs.forEach((run) => run.start(input.module, row.params, "deployed with start_immediately")));
    return d;
  }

  /** Runs `f`, then persists `runs` once (instead of once per status change). */
  private deferred<T>(runs: EdgeRun[], f: () => T): T {
    this.deferring++;
    try {
      return f();
    } finally {
      this.deferring--;
      this.persist(runs);
    }
  }

  /** Starts the deployment's edges (those of `symbol` only, when given); faulted and stopped edges start fresh. */
  start(d: Deployment, symbol?: string): void {
    if (d.undeployed) throw conflict("undeployed", `deployment ${d.id} was undeployed; deploy it again`);
    if (!d.module) throw conflict("module_unavailable", `deployment ${d.id} has no usable module (it could not be compiled on restart)`);
    this.assertSymbolsFree(d.client, symbol === undefined ? d.row.symbols : [symbol], d);
    const module = d.module;
    const runs = d.edgesOf(symbol).filter((e) => !e.active);
    if (runs.length > 0) this.onLifecycle({ kind: "start", deployment: d, edges: runs });
    this.deferred(runs, () => runs.forEach((run) => run.start(module, d.row.params, "start requested")));
  }

  /** Stops the deployment's edges (of `symbol` only, when given): on_stop runs; resting orders are left resting. */
  async stop(d: Deployment, symbol?: string): Promise<void> {
    if (d.undeployed) return;
    const runs = d.edgesOf(symbol);
    await Promise.all(runs.map((r) => r.stop()));
    this.persist(runs);
    this.onLifecycle({ kind: "stop", deployment: d, edges: runs });
  }

  /** Stops every edge, cancels what was left resting, frees the edges; idempotent. */
  async undeploy(d: Deployment): Promise<void> {
    if (d.undeployed) return;
    await Promise.all(d.edges.filter((r) => r.active).map((r) => r.stop()));
    let cancelledAll = 0;
    for (const run of d.edges) {
      const cancelled = run.undeploy();
      cancelledAll += cancelled;
      this.note(d, run.edgeId, "info", cancelled > 0 ? `undeployed: ${cancelled} resting order(s) cancelled` : "undeployed");
      this.trace(d, run, { type: "status", status: "undeployed" });
    }
    d.undeployed = true;
    d.module = undefined;
    this.trimUndeployedLogs(d);
    this.store.markUndeployed(d.id);
    this.persist(d.edges);
    this.hub.forget(`traces:${d.id}`);
    this.onLifecycle({ kind: "undeploy", deployment: d, cancelled: cancelledAll });
  }

  /** Bounds what undeployed deployments keep (logs.ts): a short tail, and only for the client's newest few. */
  private trimUndeployedLogs(d: Deployment): void {
    d.logs.shrink(UNDEPLOYED_LOG_LINES);
    const undeployed = this.list(d.client, true).filter((x) => x.undeployed && x.logs.size > 0);
    // byId keeps insertion order: the oldest undeployed deployments come first
    for (const old of undeployed.slice(0, Math.max(0, undeployed.length - UNDEPLOYED_WITH_LOGS))) old.logs.shrink(0);
  }

  // ---------------------------------------------------------------- events

  private deploymentOf(run: EdgeRun): Deployment | undefined {
    return this.byId.get(run.deploymentId);
  }

  private note(d: Deployment, edgeId: string, level: string, message: string): void {
    const feed = edgeId ? this.market.allFeeds().find((f) => f.spec.edgeId === edgeId) : undefined;
    const entry: LogEntry = { ts_ns: feed?.clock ?? BigInt(Date.now()) * 1_000_000n, edge_id: edgeId, level, message };
    d.logs.push(entry);
    this.hub.publish(`traces:${d.id}`, { type: "log", ...entry, source: "emulator" });
  }

  private trace(d: Deployment, run: EdgeRun, data: Record<string, unknown>): void {
    this.hub.publish(`traces:${d.id}`, { ...data, edge_id: run.edgeId, venue: run.spec.venue, ts_ns: run.feed.clock });
  }

  onEvents(run: EdgeRun, logs: WorkerLog[], fills: WorkerFill[], droppedLogs: number, droppedFills: number): void {
    const d = this.deploymentOf(run);
    if (!d) return;
    const channel = `traces:${d.id}`;
    const tracing = this.hub.hasSubscribers(channel);
    for (const l of logs) {
      const entry: LogEntry = { ts_ns: l.ts_ns, edge_id: run.edgeId, level: l.level, message: l.message };
      d.logs.push(entry);
      if (tracing) this.hub.publish(channel, { type: "log", ...entry, source: "algo" });
    }
    if (droppedLogs > 0 || droppedFills > 0) {
      this.note(d, run.edgeId, "warn", `rate limit: ${droppedLogs} log line(s) and ${droppedFills} fill event(s) not forwarded (${EVENTS_PER_SECOND}/s per edge); counters still include every fill`);
    }
    const fillsWanted = this.hub.hasSubscribers("fills", d.client);
    for (const f of fills) {
      const data = { type: "fill", edge_id: run.edgeId, venue: run.spec.venue, symbol: run.spec.symbol, ...f };
      if (tracing) this.hub.publish(channel, data);
      if (fillsWanted) this.hub.publish("fills", { deployment_id: d.id, ...data }, d.client);
    }
  }

  onStatus(run: EdgeRun, note: string, level: "info" | "warn" | "error"): void {
    const d = this.deploymentOf(run);
    if (!d) return;
    this.note(d, run.edgeId, level, note);
    this.trace(d, run, { type: "status", status: run.status, ...(run.faultReason ? { reason: run.faultReason } : {}) });
    // Faults are the only "error" notes (edge-run.ts).
    if (level === "error" && run.status === "faulted") this.onLifecycle({ kind: "fault", deployment: d, edge: run, reason: run.faultReason ?? note });
    if (!this.closed && this.deferring === 0) this.persist([run]);
  }

  // ---------------------------------------------------------------- persistence

  private persist(runs: EdgeRun[]): void {
    this.store.saveEdges(runs.map((r) => r.row()));
    for (const r of runs) r.dirty = false;
  }

  /** Writes every edge whose counters changed, and the market clocks. */
  checkpoint(): void {
    const dirty: EdgeRun[] = [];
    for (const d of this.byId.values()) for (const r of d.edges) if (r.dirty) dirty.push(r);
    this.store.saveEdges(dirty.map((r) => r.row()), this.market.clocks());
    for (const r of dirty) r.dirty = false;
  }

  /** Stops every engine (on_stop runs) without changing what the state file says is running, then checkpoints. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkpointTimer);
    clearInterval(this.watchdogTimer);
    const watchdog = setInterval(() => {
      const now = Date.now();
      for (const d of this.byId.values()) for (const run of d.edges) run.checkBudget(now);
    }, WATCHDOG_MS);
    const all = [...this.byId.values()].flatMap((d) => d.edges);
    await Promise.all(all.map((r) => (r.active ? r.stop(true) : Promise.resolve())));
    clearInterval(watchdog);
    this.store.saveEdges(all.map((r) => r.row()), this.market.clocks());
  }
}
