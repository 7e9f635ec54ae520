/**
 * Errors the emulator answers with. Every non-2xx answer carries the wire's
 * envelope `{"error": {"code": "<slug>", "message": "<text>"}}` (wire.md,
 * "Transport"); a handler throws an `HttpError` and the server writes it.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The envelope's shape. */
export interface ErrorEnvelope {
  error: { code: string; message: string };
}

export function envelope(code: string, message: string): ErrorEnvelope {
  return { error: { code, message } };
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const unauthorized = (message: string) => new HttpError(401, "unauthorized", message, { "WWW-Authenticate": 'Bearer realm="sequence"' });
/** Also used for another client's resources, so their existence does not leak. */
export const notFound = (message: string) => new HttpError(404, "not_found", message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const tooLarge = (message: string) => new HttpError(413, "payload_too_large", message);
export const unavailable = (code: string, message: string) => new HttpError(503, code, message);

/** Thrown while reading `--config` / flags: the CLI prints it as a usage error. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
