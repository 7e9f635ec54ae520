/**
 * `SequenceError`: the one error type every client method rejects with.
 *
 * It is a real `Error` subclass (so `instanceof` and stack traces work) whose
 * type is a discriminated union on `kind`:
 *
 * ```ts
 * try { await seq.algoStatus(id) } catch (e) {
 *   if (e instanceof SequenceError && e.kind === "api" && e.status === 404) …
 * }
 * ```
 *
 * | kind                 | when                                                          |
 * |----------------------|---------------------------------------------------------------|
 * | `api`                | non-2xx answer; `status`, `code`, `apiMessage` from the envelope |
 * | `network`            | connect / TLS / timeout / dropped connection (`cause`)         |
 * | `deserialize`        | the body is not JSON or not the documented shape (`snippet`)   |
 * | `validation`         | client-side pre-flight failed; nothing was sent                |
 * | `capability_missing` | the verb is not available for that venue (`verb`, `venue`, `reason`) |
 */

/** The five kinds, as in the reference's `SequenceError` enum. */
export type SequenceErrorKind = "api" | "network" | "deserialize" | "validation" | "capability_missing";

/** Where the error happened: the client method, and the HTTP request when there was one. */
export interface ErrorContext {
  /** Client method that failed, e.g. `"deployAlgo"`. */
  readonly operation: string;
  /** HTTP method, when a request was (to be) made. */
  readonly method?: string;
  /** Request path (with query), when a request was (to be) made. */
  readonly path?: string;
}

export interface ApiErrorDetail {
  readonly kind: "api";
  /** HTTP status code. */
  readonly status: number;
  /** Machine-readable slug from the envelope, or `http_<status>` when the body was not an envelope. */
  readonly code: string;
  /** Human text from the envelope (or a short excerpt of a non-envelope body). */
  readonly apiMessage: string;
  /** Milliseconds the server asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterMs?: number;
}

export interface NetworkErrorDetail {
  readonly kind: "network";
  /**
   * True when the request may have reached the server and been applied
   * (a non-GET whose connection dropped or timed out after it was sent).
   * Such requests are never repeated by the client.
   */
  readonly mayHaveBeenApplied: boolean;
  /** True when the per-request timeout fired. */
  readonly timedOut: boolean;
}

export interface DeserializeErrorDetail {
  readonly kind: "deserialize";
  /** Up to ~200 characters of the body that could not be read. */
  readonly snippet: string;
}

export interface ValidationErrorDetail {
  readonly kind: "validation";
}

export interface CapabilityMissingErrorDetail {
  readonly kind: "capability_missing";
  readonly verb: string;
  readonly venue: string;
  readonly reason: string;
}

export type SequenceErrorDetail =
  | ApiErrorDetail
  | NetworkErrorDetail
  | DeserializeErrorDetail
  | ValidationErrorDetail
  | CapabilityMissingErrorDetail;

/** Maximum length of a body snippet carried by `deserialize` (and non-envelope `api`) errors. */
export const SNIPPET_MAX = 200;

/** Cut `text` to at most {@link SNIPPET_MAX} characters, marking the cut. */
export function snippetOf(text: string): string {
  return text.length <= SNIPPET_MAX ? text : `${text.slice(0, SNIPPET_MAX)}…`;
}

class SequenceErrorImpl extends Error {
  readonly operation: string;
  readonly method?: string;
  readonly path?: string;

  constructor(detail: SequenceErrorDetail, context: ErrorContext, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SequenceError";
    this.operation = context.operation;
    if (context.method !== undefined) this.method = context.method;
    if (context.path !== undefined) this.path = context.path;
    Object.assign(this, detail);
  }
}

/** The error every client method rejects with; narrow it with `kind`. */
export type SequenceError = SequenceErrorImpl & SequenceErrorDetail;

interface SequenceErrorConstructor {
  new (
    detail: SequenceErrorDetail,
    context: ErrorContext,
    message: string,
    options?: { cause?: unknown },
  ): SequenceError;
  readonly prototype: SequenceError;
}

/**
 * Construct with `new SequenceError(detail, context, message)`; most code only
 * needs `instanceof SequenceError` and a `switch (e.kind)`.
 */
export const SequenceError: SequenceErrorConstructor = SequenceErrorImpl as unknown as SequenceErrorConstructor;

/** True when `e` is a {@link SequenceError} (optionally of the given kind). */
export function isSequenceError<K extends SequenceErrorKind>(
  e: unknown,
  kind?: K,
): e is SequenceError & { readonly kind: K } {
  return e instanceof SequenceErrorImpl && (kind === undefined || (e as SequenceError).kind === kind);
}

/** Shorthand for a client-side pre-flight failure; nothing is sent. */
export function validationError(operation: string, problem: string): SequenceError {
  return new SequenceError({ kind: "validation" }, { operation }, `${operation}: ${problem}`);
}
