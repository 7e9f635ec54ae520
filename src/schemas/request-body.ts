/**
 * The emulator's request bodies (wire.md, "Level 4 endpoints"):
 * `POST /v1/deployments` `{"name", "wasm_base64", "symbols", "start_immediately"}`
 * and `POST /v1/strategies` `{"name", "artifact_base64"}`. A refusal is a 400
 * in the wire's error envelope whose code is the field's (`invalid_name`,
 * `invalid_symbols`, `unknown_symbol`, `invalid_base64`, else
 * `invalid_request`) and whose message names the field.
 */
import * as z from "zod";
import { badRequest } from "../dev/errors.ts";
import { firstProblem } from "./problem.ts";

const MAX_NAME = 128;

/** A deployment's or strategy's label: trimmed, 1..128 characters, no control characters. */
export function nameField(field = "name") {
  return z
    .string({ error: (iss) => `${field} must be a string, got ${typeof iss.input}` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(MAX_NAME, { error: (iss) => `${field} is ${(iss.input as string).length} characters; at most ${MAX_NAME}` })
    // C0, DEL and C1 (U+0080–U+009F: U+0085 is a line break, U+009B a terminal escape)
    // eslint-disable-next-line no-control-regex
    .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), { error: `${field} must not contain control characters` });
}

/** What the emulator's edges can host (src/dev/edges.ts). */
export interface SymbolHosts {
  hasSymbol(symbol: string): boolean;
  symbols(): string[];
}

/** A non-empty list of distinct symbols, each one some edge here can host. */
export function symbolListField(field: string, hosts: SymbolHosts) {
  return z
    .array(
      z
        .string({ error: (iss) => `${field} contains ${JSON.stringify(iss.input)}, which is not a symbol` })
        .refine((s) => s.trim() !== "", { error: (iss) => `${field} contains ${JSON.stringify(iss.input)}, which is not a symbol` }),
      {
        error: (iss) =>
          iss.input === undefined || iss.input === null ? `${field} is required: the symbols the algo trades, e.g. ["ETH-USD"]`
          : `${field} must be an array of symbols, e.g. ["ETH-USD"]`,
      },
    )
    .min(1, { error: `${field} is empty; an algo must trade at least one symbol` })
    .superRefine((symbols, ctx) => {
      const seen = new Set<string>();
      for (const s of symbols) {
        if (seen.has(s)) return ctx.addIssue({ code: "custom", message: `${field} lists ${s} twice` });
        if (!hosts.hasSymbol(s)) {
          return ctx.addIssue({
            code: "custom",
            message: `unknown symbol "${s}": no edge here can host it (this emulator's edges host ${hosts.symbols().join(", ")})`,
            params: { code: "unknown_symbol" },
          });
        }
        seen.add(s);
      }
    });
}

/** Base64 text, present and non-empty; its alphabet and padding are checked while decoding (src/dev/upload.ts). */
export function base64Field(field: string) {
  return z
    .unknown()
    .superRefine((v, ctx) => {
      if (v === undefined || v === null) {
        ctx.addIssue({ code: "custom", message: `${field} is required (the bytes, base64-encoded)`, params: { code: "invalid_request" } });
      }
    })
    .pipe(z.string({ error: `${field} must be a base64 string` }).min(1, { error: `${field} is empty` }));
}

const NOT_AN_OBJECT = "the request body must be a JSON object";

/** `POST /v1/deployments`; `name` may be omitted or null (the server names the deployment). */
export function deployRequestSchema(hosts: SymbolHosts) {
  return z.looseObject(
    {
      name: nameField().nullish(),
      symbols: symbolListField("symbols", hosts),
      start_immediately: z.boolean({ error: "start_immediately must be true or false" }).optional(),
      wasm_base64: base64Field("wasm_base64"),
    },
    { error: NOT_AN_OBJECT },
  );
}
export type DeployRequest = z.infer<ReturnType<typeof deployRequestSchema>>;

/** `POST /v1/strategies`: the artifact is a zip of manifest.json and the module (src/schemas/strategy-manifest.ts). */
export const strategyPushRequestSchema = z.looseObject(
  {
    name: z.unknown().superRefine((v, ctx) => {
      if (v === undefined || v === null) ctx.addIssue({ code: "custom", message: `name is required: a label for the deployment, e.g. "mm-eth"` });
    }).pipe(nameField()),
    artifact_base64: base64Field("artifact_base64"),
  },
  { error: NOT_AN_OBJECT },
);
export type StrategyPushRequest = z.infer<typeof strategyPushRequestSchema>;

/** The wire error code of a refused field, unless its issue names one. */
const FIELD_CODES: Readonly<Record<string, string>> = {
  name: "invalid_name",
  symbols: "invalid_symbols",
  wasm_base64: "invalid_base64",
  artifact_base64: "invalid_base64",
};

/** The body as the schema reads it, or a 400 `{"error": {"code", "message"}}` for its first problem. */
export function parseRequestBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problem = firstProblem(parsed.error);
  const code = problem.params?.code ?? (problem.path.length ? FIELD_CODES[String(problem.path[0])] : undefined) ?? "invalid_request";
  throw badRequest(String(code), problem.message);
}
