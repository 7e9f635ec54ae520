/**
 * The emulator's durable state, in SQLite (better-sqlite3, WAL journal,
 * synchronous=FULL): deployments with their module bytes, each edge's status,
 * fault reason, carried counters and left-resting orders, strategies, and
 * each edge's market clock. A deploy is committed (and fsynced) before the
 * API answers it, so an acknowledged deploy survives `kill -9`. Counters are
 * checkpointed every `checkpoint_ms` and on every status change.
 *
 * The file is opened in exclusive locking mode: a second emulator on the
 * same state file is refused with a clear message.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "./errors.ts";
import type { RestingOrder } from "./protocol.ts";
import { totalsFromJson, totalsToJson, type Totals } from "./totals.ts";

const SCHEMA_VERSION = "1";

export type EdgeStatus = "deployed" | "running" | "stopped" | "faulted" | "undeployed";

export interface DeploymentRow {
  id: string;
  client: string;
  name: string;
  symbols: string[];
  sizeBytes: number;
  wasm: Uint8Array | null;
  params: Record<string, string>;
  strategyId: string | null;
  capableEdges: number;
  undeployed: boolean;
  createdNs: bigint;
}

export interface EdgeRow {
  deploymentId: string;
  edgeId: string;
  symbol: string;
  venue: string;
  status: EdgeStatus;
  faultReason: string | null;
  totals: Totals;
  resting: RestingOrder[];
}

export interface StrategyRow {
  id: string;
  client: string;
  name: string;
  manifest: Record<string, unknown>;
  symbols: string[];
  sizeBytes: number;
  wasm: Uint8Array;
  deploymentId: string | null;
  createdNs: bigint;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deployments (
  id TEXT PRIMARY KEY,
  client TEXT NOT NULL,
  name TEXT NOT NULL,
  symbols TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  wasm BLOB,
  params TEXT NOT NULL,
  strategy_id TEXT,
  capable_edges INTEGER NOT NULL,
  undeployed INTEGER NOT NULL DEFAULT 0,
  created_ns TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deployment_edges (
  deployment_id TEXT NOT NULL,
  edge_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  venue TEXT NOT NULL,
  status TEXT NOT NULL,
  fault_reason TEXT,
  totals TEXT NOT NULL,
  resting TEXT NOT NULL,
  PRIMARY KEY (deployment_id, edge_id)
);
CREATE TABLE IF NOT EXISTS strategies (
  id TEXT PRIMARY KEY,
  client TEXT NOT NULL,
  name TEXT NOT NULL,
  manifest TEXT NOT NULL,
  symbols TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  wasm BLOB NOT NULL,
  deployment_id TEXT,
  created_ns TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edge_clocks (edge_id TEXT PRIMARY KEY, ts_ns TEXT NOT NULL);
`;

const restingToJson = (r: RestingOrder[]) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
function restingFromJson(text: string): RestingOrder[] {
  const raw = JSON.parse(text) as Array<Record<string, string>>;
  return raw.map((o) => ({ order_id: BigInt(o.order_id), side: o.side === "sell" ? "sell" : "buy", price_1e9: BigInt(o.price_1e9), qty_1e8: BigInt(o.qty_1e8) }));
}

interface RawDeployment {
  id: string;
  client: string;
  name: string;
  symbols: string;
  size_bytes: number;
  wasm: Buffer | null;
  params: string;
  strategy_id: string | null;
  capable_edges: number;
  undeployed: number;
  created_ns: string;
}

interface RawEdge {
  deployment_id: string;
  edge_id: string;
  symbol: string;
  venue: string;
  status: string;
  fault_reason: string | null;
  totals: string;
  resting: string;
}

interface RawStrategy {
  id: string;
  client: string;
  name: string;
  manifest: string;
  symbols: string;
  size_bytes: number;
  wasm: Buffer;
  deployment_id: string | null;
  created_ns: string;
}

export class Store {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.db = new Database(file, { timeout: 1000 });
      this.db.pragma("locking_mode = EXCLUSIVE");
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      this.db.exec(SCHEMA);
      // A write takes the exclusive lock, held until close (or the process dies).
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('opened_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(new Date().toISOString());
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
        throw new ConfigError(`--state ${file}: the state file is in use by another \`algo dev\`; stop it or give another --state`);
      }
      throw new ConfigError(`--state ${file}: cannot open the state file (${(e as Error).message})`);
    }
    const version = this.meta("schema_version");
    if (version === undefined) this.setMeta("schema_version", SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) {
      throw new ConfigError(`--state ${file}: written by another version of the emulator (schema ${version}, this one reads ${SCHEMA_VERSION}); give another --state`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  // ---------------------------------------------------------------- deployments

  /** One transaction: the deployment and all its edges; committed and fsynced when this returns. */
  insertDeployment(d: DeploymentRow, edges: EdgeRow[]): void {
    const insertD = this.db.prepare(
      "INSERT INTO deployments (id, client, name, symbols, size_bytes, wasm, params, strategy_id, capable_edges, undeployed, created_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
    );
    this.db.transaction(() => {
      insertD.run(d.id, d.client, d.name, JSON.stringify(d.symbols), d.sizeBytes, d.wasm, JSON.stringify(d.params), d.strategyId, d.capableEdges, d.createdNs.toString());
      for (const e of edges) this.upsertEdgeStmt().run(...edgeArgs(e));
    })();
  }

  markUndeployed(id: string): void {
    this.db.prepare("UPDATE deployments SET undeployed = 1, wasm = NULL WHERE id = ?").run(id);
  }

  private upsertEdge?: Database.Statement;
  private upsertEdgeStmt(): Database.Statement {
    return (this.upsertEdge ??= this.db.prepare(
      `INSERT INTO deployment_edges (deployment_id, edge_id, symbol, venue, status, fault_reason, totals, resting) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(deployment_id, edge_id) DO UPDATE SET status = excluded.status, fault_reason = excluded.fault_reason, totals = excluded.totals, resting = excluded.resting`,
    ));
  }

  /** Writes edges (and the edges' market clocks) in one transaction. */
  saveEdges(edges: EdgeRow[], clocks?: ReadonlyMap<string, bigint>): void {
    if (edges.length === 0 && (!clocks || clocks.size === 0)) return;
    const upsert = this.upsertEdgeStmt();
    const clock = this.db.prepare("INSERT INTO edge_clocks (edge_id, ts_ns) VALUES (?, ?) ON CONFLICT(edge_id) DO UPDATE SET ts_ns = excluded.ts_ns");
    this.db.transaction(() => {
      for (const e of edges) upsert.run(...edgeArgs(e));
      for (const [id, ts] of clocks ?? []) clock.run(id, ts.toString());
    })();
  }

  loadDeployments(): { deployment: DeploymentRow; edges: EdgeRow[] }[] {
    const ds = this.db.prepare("SELECT * FROM deployments ORDER BY created_ns, id").all() as RawDeployment[];
    const es = this.db.prepare("SELECT * FROM deployment_edges").all() as RawEdge[];
    const byDep = new Map<string, EdgeRow[]>();
    for (const e of es) {
      const row: EdgeRow = {
        deploymentId: e.deployment_id,
        edgeId: e.edge_id,
        symbol: e.symbol,
        venue: e.venue,
        status: e.status as EdgeStatus,
        faultReason: e.fault_reason,
        totals: totalsFromJson(e.totals),
        resting: restingFromJson(e.resting),
      };
      const list = byDep.get(e.deployment_id) ?? [];
      list.push(row);
      byDep.set(e.deployment_id, list);
    }
    return ds.map((d) => ({
      deployment: {
        id: d.id,
        client: d.client,
        name: d.name,
        symbols: JSON.parse(d.symbols) as string[],
        sizeBytes: d.size_bytes,
        wasm: d.wasm ? new Uint8Array(d.wasm) : null,
        params: JSON.parse(d.params) as Record<string, string>,
        strategyId: d.strategy_id,
        capableEdges: d.capable_edges,
        undeployed: d.undeployed === 1,
        createdNs: BigInt(d.created_ns),
      },
      edges: byDep.get(d.id) ?? [],
    }));
  }

  loadClocks(): Map<string, bigint> {
    const rows = this.db.prepare("SELECT edge_id, ts_ns FROM edge_clocks").all() as Array<{ edge_id: string; ts_ns: string }>;
    return new Map(rows.map((r) => [r.edge_id, BigInt(r.ts_ns)]));
  }

  // ---------------------------------------------------------------- strategies

  insertStrategy(s: StrategyRow): void {
    this.db
      .prepare("INSERT INTO strategies (id, client, name, manifest, symbols, size_bytes, wasm, deployment_id, created_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(s.id, s.client, s.name, JSON.stringify(s.manifest), JSON.stringify(s.symbols), s.sizeBytes, s.wasm, s.deploymentId, s.createdNs.toString());
  }

  setStrategyDeployment(id: string, deploymentId: string | null): void {
    this.db.prepare("UPDATE strategies SET deployment_id = ? WHERE id = ?").run(deploymentId, id);
  }

  deleteStrategy(id: string): void {
    this.db.prepare("DELETE FROM strategies WHERE id = ?").run(id);
  }

  loadStrategies(): StrategyRow[] {
    const rows = this.db.prepare("SELECT * FROM strategies ORDER BY created_ns, id").all() as RawStrategy[];
    return rows.map((r) => ({
      id: r.id,
      client: r.client,
      name: r.name,
      manifest: JSON.parse(r.manifest) as Record<string, unknown>,
      symbols: JSON.parse(r.symbols) as string[],
      sizeBytes: r.size_bytes,
      wasm: new Uint8Array(r.wasm),
      deploymentId: r.deployment_id,
      createdNs: BigInt(r.created_ns),
    }));
  }
}

function edgeArgs(e: EdgeRow): unknown[] {
  return [e.deploymentId, e.edgeId, e.symbol, e.venue, e.status, e.faultReason, totalsToJson(e.totals), restingToJson(e.resting)];
}
