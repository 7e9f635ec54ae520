/**
 * The strategy manifest: `manifest.json` in the zip `algo strategy push`
 * uploads (src/cli/strategy.ts writes it, src/dev/strategies.ts reads it).
 *
 * ```json
 * { "format": 1, "name": "mm-eth", "symbols": ["ETH-USD"], "abi_version": "1.3",
 *   "callbacks": ["on_quote", "on_fill"], "module": "algo.wasm",
 *   "size_bytes": 12697, "sha256": "…", "tool": "sequence-algo 0.1.0" }
 * ```
 * Only format, symbols and module are required of a reader; keys it does not
 * know are kept (the emulator echoes the manifest back).
 */
import * as z from "zod";
import { badRequest } from "../dev/errors.ts";
import { describeProblem, firstProblem } from "./problem.ts";
import { symbolListField, type SymbolHosts } from "./request-body.ts";

export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_FORMAT = 1;

const shape = {
  format: z.literal(MANIFEST_FORMAT, { error: (iss) => `expected ${MANIFEST_FORMAT}, got ${JSON.stringify(iss.input) ?? "nothing"}` }),
  name: z.string({ error: "expected the strategy's name" }).optional(),
  symbols: z.array(z.string()),
  module: z.string({ error: 'expected the module file in the archive, e.g. "algo.wasm"' }).min(1, { error: 'expected the module file in the archive, e.g. "algo.wasm"' }),
  size_bytes: z.int({ error: "expected the module's size in bytes" }).nonnegative({ error: "expected the module's size in bytes" }).optional(),
  sha256: z.string({ error: "expected the module's SHA-256 in hex" }).optional(),
  abi_version: z.string({ error: 'expected the ABI version, e.g. "1.3"' }).optional(),
  callbacks: z.array(z.string(), { error: 'expected the callbacks the module exports, e.g. ["on_quote"]' }).optional(),
  tool: z.string({ error: "expected the tool that packed it" }).optional(),
  params: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: "expected a string, number or boolean" }), {
      error: "expected an object of name → value",
    })
    .optional(),
};

export const strategyManifestSchema = z.looseObject(shape);

/** What `algo strategy push` writes: every field but params. */
export type StrategyManifest = Required<Omit<z.infer<z.ZodObject<typeof shape>>, "params">>;

/**
 * A pushed manifest's bytes → the manifest, its symbols checked against what
 * the edges here host (and the object as pushed). A refusal is a 400: `invalid_artifact` naming the key,
 * or the symbol list's own code (`invalid_symbols`, `unknown_symbol`).
 */
export function parseManifest(bytes: Uint8Array, hosts: SymbolHosts): { manifest: z.infer<typeof strategyManifestSchema>; asPushed: Record<string, unknown> } {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw badRequest("invalid_artifact", `${MANIFEST_FILE} is not a JSON object (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw badRequest("invalid_artifact", `${MANIFEST_FILE} is not a JSON object (the request body must be a JSON object)`);
  }
  const parsed = strategyManifestSchema.extend({ symbols: symbolListField(`${MANIFEST_FILE} symbols`, hosts) }).safeParse(raw);
  // asPushed keeps the pusher's key order for the answers that echo the manifest.
  if (parsed.success) return { manifest: parsed.data, asPushed: raw as Record<string, unknown> };
  const problem = firstProblem(parsed.error);
  if (problem.path[0] === "symbols") throw badRequest(String(problem.params?.code ?? "invalid_symbols"), problem.message);
  throw badRequest("invalid_artifact", `${MANIFEST_FILE}: ${describeProblem(problem, "whole")}`);
}
