/**
 * Validation of what clients upload, before anything is created: the request
 * fields, the base64, and the module itself — the harness's `checkModule`
 * (WebAssembly, host-namespace imports only, ABI exports, ABI major, no start
 * function, a declared maximum memory within 16 MiB, the 4 MiB limit; none of
 * the module's code runs). Every failure is a 400 with a message that says
 * what to fix.
 */
import { MAX_MEMORY_PAGES } from "../../harness/abi.ts";
import { checkModule, ModuleError, type ModuleInfo } from "../../harness/module-check.ts";
import { paramsOfModule } from "../../harness/params.ts";
import { readWasmLayout } from "../../harness/wasm-layout.ts";
import type { EdgeMap } from "./edges.ts";
import { badRequest } from "./errors.ts";

const PAGE = 64 * 1024;
const MAX_NAME = 128;

export interface ModuleUpload {
  bytes: Uint8Array;
  info: ModuleInfo;
}

export interface DeployInput {
  name: string;
  symbols: string[];
  upload: ModuleUpload;
  startImmediately: boolean;
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("invalid_request", "the request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

export function validateName(value: unknown, field = "name"): string {
  if (value === undefined || value === null) throw badRequest("invalid_name", `${field} is required: a label for the deployment, e.g. "mm-eth"`);
  if (typeof value !== "string") throw badRequest("invalid_name", `${field} must be a string, got ${typeof value}`);
  const name = value.trim();
  if (name === "") throw badRequest("invalid_name", `${field} must not be empty`);
  if (name.length > MAX_NAME) throw badRequest("invalid_name", `${field} is ${name.length} characters; at most ${MAX_NAME}`);
  // C0, DEL and C1 (U+0080–U+009F: U+0085 is a line break, U+009B a terminal escape)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw badRequest("invalid_name", `${field} must not contain control characters`);
  return name;
}

export function validateSymbols(value: unknown, edges: EdgeMap, field = "symbols"): string[] {
  if (value === undefined || value === null) throw badRequest("invalid_symbols", `${field} is required: the symbols the algo trades, e.g. ["ETH-USD"]`);
  if (!Array.isArray(value)) throw badRequest("invalid_symbols", `${field} must be an array of symbols, e.g. ["ETH-USD"]`);
  if (value.length === 0) throw badRequest("invalid_symbols", `${field} is empty; an algo must trade at least one symbol`);
  const seen = new Set<string>();
  for (const s of value) {
    if (typeof s !== "string" || s.trim() === "") throw badRequest("invalid_symbols", `${field} contains ${JSON.stringify(s)}, which is not a symbol`);
    if (seen.has(s)) throw badRequest("invalid_symbols", `${field} lists ${s} twice`);
    if (!edges.hasSymbol(s)) {
      throw badRequest("unknown_symbol", `unknown symbol "${s}": no edge here can host it (this emulator's edges host ${edges.symbols().join(", ")})`);
    }
    seen.add(s);
  }
  return [...seen];
}

/** Characters of base64 checked and decoded between yields to the event loop (a multiple of 4). */
const BASE64_SLICE = 512 * 1024;

/**
 * Strict standard base64 (RFC 4648 §4, padded); Node's own decoder would skip
 * bad characters silently. Decoded a slice at a time, giving the event loop
 * back between slices, so a 6 MiB body does not hold up other requests.
 */
export async function decodeBase64(value: unknown, field: string): Promise<Uint8Array> {
  if (value === undefined || value === null) throw badRequest("invalid_request", `${field} is required (the bytes, base64-encoded)`);
  if (typeof value !== "string") throw badRequest("invalid_base64", `${field} must be a base64 string`);
  if (value.length === 0) throw badRequest("invalid_base64", `${field} is empty`);
  const pad = value.indexOf("=");
  if (value.length % 4 !== 0 || (pad >= 0 && (pad < value.length - 2 || !/^=+$/.test(value.slice(pad))))) {
    // The alphabet first, so a stray character is reported as such rather than as a length problem.
    const bad = value.search(/[^A-Za-z0-9+/=]/);
    if (bad >= 0) throw notBase64(field, value, bad);
    throw badRequest("invalid_base64", `${field} is not valid base64: its length or padding is wrong`);
  }
  const out = new Uint8Array((value.length / 4) * 3 - (value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0));
  let written = 0;
  for (let at = 0; at < value.length; at += BASE64_SLICE) {
    const slice = value.slice(at, at + BASE64_SLICE);
    // Linear checks (a regex over megabytes of text could backtrack): the alphabet, slice by slice.
    const bad = slice.search(/[^A-Za-z0-9+/=]/);
    if (bad >= 0) throw notBase64(field, value, at + bad);
    const bytes = Buffer.from(slice, "base64");
    out.set(bytes, written);
    written += bytes.length;
    if (at + BASE64_SLICE < value.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

function notBase64(field: string, value: string, at: number) {
  return badRequest("invalid_base64", `${field} is not valid base64: character ${JSON.stringify(value[at])} at offset ${at} is not in the base64 alphabet`);
}

/**
 * The harness's `checkModule` (which runs none of the module's code), then the
 * emulator's own memory cap when `max_memory_pages` lowers the harness's.
 * A ModuleError becomes a 400 `invalid_module` with the harness's message.
 */
export async function validateModule(bytes: Uint8Array, label: string, maxPages: number): Promise<ModuleUpload> {
  const invalid = (message: string) => badRequest("invalid_module", message);
  let info: ModuleInfo;
  try {
    info = await checkModule(bytes, label);
  } catch (e) {
    if (e instanceof ModuleError) throw invalid(e.message);
    throw invalid(`${label} could not be checked: ${(e as Error).message}`);
  }
  try {
    paramsOfModule(info.module);
  } catch (e) {
    throw invalid(`${label}: ${(e as Error).message}`);
  }
  if (maxPages < MAX_MEMORY_PAGES) {
    const declared = readWasmLayout(bytes)?.memories[0]?.maxPages ?? Number.POSITIVE_INFINITY;
    if (declared > maxPages) {
      throw invalid(`${label} declares a maximum memory of ${declared} pages (${(declared * PAGE) / 2 ** 20} MiB); this emulator caps modules at ${maxPages} pages (${(maxPages * PAGE) / 2 ** 20} MiB)`);
    }
  }
  return { bytes, info };
}

/** `POST /v1/deployments` body → what to deploy; throws a 400 for the first problem found. */
export async function parseDeploy(body: unknown, edges: EdgeMap, maxPages: number): Promise<DeployInput> {
  const o = requireObject(body);
  const given = o.name === undefined || o.name === null ? undefined : validateName(o.name);
  const symbols = validateSymbols(o.symbols, edges);
  // The reference's Deployment.name is optional: the server names an unnamed one.
  const name = given ?? `algo-${symbols[0].toLowerCase()}`;
  const start = o.start_immediately;
  if (start !== undefined && typeof start !== "boolean") throw badRequest("invalid_request", "start_immediately must be true or false");
  const bytes = await decodeBase64(o.wasm_base64, "wasm_base64");
  const upload = await validateModule(bytes, "the module", maxPages);
  return { name, symbols, upload, startImmediately: start ?? true };
}
