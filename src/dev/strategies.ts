/**
 * Hosted strategies (`/v1/strategies`). A push carries `artifact_base64`: a
 * zip holding `manifest.json` and the module it names — the format
 * `algo strategy push` writes (src/cli/strategy.ts):
 *   {"format": 1, "name", "symbols": [...], "module": "algo.wasm",
 *    "size_bytes"?, "sha256"?, "abi_version"?, "callbacks"?, "tool"?, "params"?}
 * Everything is validated before the strategy is stored: the zip, the
 * manifest, the module (as for a deploy) and the symbols.
 *
 * Start/stop reuse the deployment machinery: the first start creates a
 * deployment named after the strategy (it shows in /v1/deployments too) and
 * starts it; stop stops it; logs are its logs; delete undeploys it and removes
 * the strategy. Status: "pushed" (never started), else the deployment's status.
 */
import { createHash, randomBytes } from "node:crypto";
import type { DevConfig } from "./config.ts";
import type { Deployment, Registry } from "./deployments.ts";
import type { EdgeMap } from "./edges.ts";
import { badRequest, notFound } from "./errors.ts";
import type { Store, StrategyRow } from "./store.ts";
import { unzipCapped, UnzipError } from "./unzip.ts";
import { MANIFEST_FILE, parseManifest } from "../schemas/strategy-manifest.ts";
import { parseRequestBody, strategyPushRequestSchema } from "../schemas/request-body.ts";
import { decodeBase64, validateModule } from "./upload.ts";

const MAX_ENTRY_BYTES = 8 * 1024 * 1024;
const MAX_TOTAL_BYTES = 16 * 1024 * 1024;
/** A push holds a manifest and a module; a few more files (a README) are tolerated. */
const MAX_ENTRIES = 16;
const MANIFEST = MANIFEST_FILE;

export class Strategies {
  private readonly byId = new Map<string, StrategyRow>();
  private readonly modules = new Map<string, WebAssembly.Module>();

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly edges: EdgeMap,
    private readonly config: DevConfig,
  ) {}

  restore(): number {
    for (const s of this.store.loadStrategies()) this.byId.set(s.id, s);
    return this.byId.size;
  }

  get(client: string, id: string): StrategyRow {
    const s = this.byId.get(id);
    if (!s || s.client !== client) throw notFound(`no strategy "${id}"`);
    return s;
  }

  list(client: string): StrategyRow[] {
    return [...this.byId.values()].filter((s) => s.client === client);
  }

  private deploymentOf(s: StrategyRow): Deployment | undefined {
    if (!s.deploymentId) return undefined;
    try {
      const d = this.registry.get(s.client, s.deploymentId);
      return d.undeployed ? undefined : d;
    } catch {
      return undefined;
    }
  }

  json(s: StrategyRow): Record<string, unknown> {
    const d = this.deploymentOf(s);
    return {
      strategy_id: s.id,
      name: s.name,
      status: d ? d.status() : "pushed",
      symbols: s.symbols,
      size_bytes: s.sizeBytes,
      created_at_ns: s.createdNs,
      deployment_id: d?.id ?? null,
      manifest: s.manifest,
    };
  }

  /** Validates and stores a pushed artifact. */
  async push(client: string, body: unknown): Promise<StrategyRow> {
    const { name, artifact_base64 } = parseRequestBody(strategyPushRequestSchema, body);
    const zip = await decodeBase64(artifact_base64, "artifact_base64");
    const bad = (message: string) => badRequest("invalid_artifact", message);
    if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b || zip[2] !== 0x03 || zip[3] !== 0x04) {
      throw bad("artifact_base64 is not a zip archive (no PK\\x03\\x04 header); `algo strategy push` builds one");
    }
    let files: Record<string, Uint8Array>;
    try {
      ({ files } = await unzipCapped(zip, { maxEntryBytes: MAX_ENTRY_BYTES, maxTotalBytes: MAX_TOTAL_BYTES, maxEntries: MAX_ENTRIES }));
    } catch (e) {
      if (e instanceof UnzipError) throw bad(`artifact_base64 refused: ${e.message}`);
      throw e;
    }
    const names = Object.keys(files);
    const manifestBytes = files[MANIFEST];
    if (!manifestBytes) throw bad(`the artifact has no ${MANIFEST} (it has: ${names.join(", ") || "nothing"})`);
    const { manifest, asPushed } = parseManifest(manifestBytes, this.edges);
    const wasm = files[manifest.module];
    if (!wasm) throw bad(`${MANIFEST} names module "${manifest.module}", but the archive has no such file (it has: ${names.join(", ")})`);
    if (manifest.size_bytes !== undefined && manifest.size_bytes !== wasm.length) {
      throw bad(`${MANIFEST}: size_bytes says ${JSON.stringify(manifest.size_bytes)} but ${manifest.module} has ${wasm.length} bytes`);
    }
    if (manifest.sha256 !== undefined && manifest.sha256 !== createHash("sha256").update(wasm).digest("hex")) {
      throw bad(`${MANIFEST}: sha256 does not match ${manifest.module}; the archive is corrupt or was edited`);
    }
    const symbols = manifest.symbols;
    const params = Object.fromEntries(Object.entries(manifest.params ?? {}).map(([k, v]) => [k, String(v)]));
    const upload = await validateModule(wasm, manifest.module, this.config.maxMemoryPages);
    const row: StrategyRow = {
      id: `strat_${randomBytes(8).toString("hex")}`,
      client,
      name,
      manifest: { ...asPushed, ...(Object.keys(params).length ? { params } : {}) },
      symbols,
      sizeBytes: wasm.length,
      wasm,
      deploymentId: null,
      createdNs: BigInt(Date.now()) * 1_000_000n,
    };
    this.store.insertStrategy(row);
    this.byId.set(row.id, row);
    this.modules.set(row.id, upload.info.module);
    return row;
  }

  private paramsOf(s: StrategyRow): Record<string, string> {
    const p = s.manifest.params;
    return p !== null && typeof p === "object" && !Array.isArray(p) ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) : {};
  }

  async start(client: string, id: string): Promise<StrategyRow> {
    const s = this.get(client, id);
    const d = this.deploymentOf(s);
    if (d) {
      this.registry.start(d);
      return s;
    }
    let module = this.modules.get(s.id);
    if (!module) {
      module = await WebAssembly.compile(s.wasm as BufferSource);
      this.modules.set(s.id, module);
    }
    const created = this.registry.create({ client, name: s.name, symbols: s.symbols, wasm: s.wasm, module, params: this.paramsOf(s), strategyId: s.id, start: true });
    s.deploymentId = created.id;
    this.store.setStrategyDeployment(s.id, created.id);
    return s;
  }

  async stop(client: string, id: string): Promise<StrategyRow> {
    const s = this.get(client, id);
    const d = this.deploymentOf(s);
    if (d) await this.registry.stop(d);
    return s;
  }

  deployment(client: string, id: string): Deployment | undefined {
    return this.deploymentOf(this.get(client, id));
  }

  async remove(client: string, id: string): Promise<void> {
    const s = this.get(client, id);
    const d = this.deploymentOf(s);
    if (d) await this.registry.undeploy(d);
    this.store.deleteStrategy(s.id);
    this.byId.delete(s.id);
    this.modules.delete(s.id);
  }
}
