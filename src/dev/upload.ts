/**
 * Validation of what clients upload, before anything is created: the request
 * fields (declared in src/schemas/request-body.ts), the base64, and the module itself — the harness's `checkModule`
 * (WebAssembly, host-namespace imports only, ABI exports, ABI major, no start
 * function, a declared maximum memory within 16 MiB, the 4 MiB limit; none of
 * the module's code runs). Every failure is a 400 with a message that says
 * what to fix.
 */
import { MAX_MEMORY_PAGES } from "../../harness/abi.ts";
import { checkModule, ModuleError, type ModuleInfo } from "../../harness/module-check.ts";
import { paramsOfModule } from "../../harness/params.ts";
import { readWasmLayout } from "../../harness/wasm-layout.ts";
import { deployRequestSchema, parseRequestBody } from "../schemas/request-body.ts";
import type { EdgeMap } from "./edges.ts";
import { badRequest } from "./errors.ts";

const PAGE = 64 * 1024;

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

/** Characters of base64 checked and decoded between yields to the event loop (a multiple of 4). */
const BASE64_SLICE = 512 * 1024;

/**
 * Strict standard base64 (RFC 4648 §4, padded); Node's own decoder would skip
 * bad characters silently. Decoded a slice at a time, giving the event loop
 * back between slices, so a 6 MiB body does not hold up other requests.
 */
export async function decodeBase64(value: string, field: string): Promise<Uint8Array> {
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

/** One schema per emulator: the symbol check asks its edges. */
const deploySchemas = new WeakMap<EdgeMap, ReturnType<typeof deployRequestSchema>>();

/** `POST /v1/deployments` body → what to deploy; throws a 400 for the first problem found. */
export async function parseDeploy(body: unknown, edges: EdgeMap, maxPages: number): Promise<DeployInput> {
  let schema = deploySchemas.get(edges);
  if (schema === undefined) deploySchemas.set(edges, (schema = deployRequestSchema(edges)));
  const request = parseRequestBody(schema, body);
  // The reference's Deployment.name is optional: the server names an unnamed one.
  const name = request.name ?? `algo-${request.symbols[0].toLowerCase()}`;
  const bytes = await decodeBase64(request.wasm_base64, "wasm_base64");
  const upload = await validateModule(bytes, "the module", maxPages);
  return { name, symbols: request.symbols, upload, startImmediately: request.start_immediately ?? true };
}
