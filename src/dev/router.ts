/**
 * A small typed router: method + path pattern (`/v1/deployments/:id/logs`)
 * → handler. Path parameters are percent-decoded; a path that matches a
 * pattern under another method is a 405, anything else a 404.
 */
import { badRequest } from "./errors.ts";

export interface RequestContext {
  /** The authenticated client (empty for routes that need no key). */
  client: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when none was sent). */
  body: unknown;
}

export interface Reply {
  status?: number;
  body: unknown;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  auth: boolean;
  handler: Handler;
}

interface Entry extends Route {
  parts: string[];
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined;

export class Router {
  private readonly entries: Entry[] = [];

  add(method: string, pattern: string, handler: Handler, options: { auth?: boolean } = {}): this {
    this.entries.push({ method, parts: pattern.split("/").filter(Boolean), handler, auth: options.auth ?? true });
    return this;
  }

  get(pattern: string, handler: Handler, options?: { auth?: boolean }): this {
    return this.add("GET", pattern, handler, options);
  }
  post(pattern: string, handler: Handler): this {
    return this.add("POST", pattern, handler);
  }
  delete(pattern: string, handler: Handler): this {
    return this.add("DELETE", pattern, handler);
  }

  match(method: string, path: string): Match {
    const parts = path.split("/").filter(Boolean);
    const allowed: string[] = [];
    for (const e of this.entries) {
      const params = matchParts(e.parts, parts);
      if (!params) continue;
      if (e.method === method) return { route: e, params };
      allowed.push(e.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(":")) {
      let value: string;
      try {
        value = decodeURIComponent(parts[i]);
      } catch {
        throw badRequest("invalid_request", `path segment "${parts[i]}" is not valid percent-encoding`);
      }
      params[p.slice(1)] = value;
    } else if (p !== parts[i]) return undefined;
  }
  return params;
}
