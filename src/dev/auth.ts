/**
 * API keys → clients. Every call but `GET /v1/health/live` needs
 * `Authorization: Bearer <key>`; each key is one client (several keys may name
 * the same client in the config file). Keys are compared by their SHA-256, so
 * a lookup's timing does not depend on how much of a wrong key matched.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { unauthorized } from "./errors.ts";

const digest = (key: string) => createHash("sha256").update(key).digest("hex");

export class Auth {
  private readonly clients = new Map<string, string>();

  constructor(keys: ReadonlyMap<string, string>) {
    for (const [key, client] of keys) this.clients.set(digest(key), client);
  }

  /** The client behind the request's key; throws a 401 (without echoing the key) otherwise. */
  client(headers: IncomingHttpHeaders): string {
    const header = headers.authorization;
    if (header === undefined || header.trim() === "") {
      throw unauthorized("missing API key: send the header Authorization: Bearer <api key> (printed by `algo dev` at startup)");
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized("malformed Authorization header: expected Bearer <api key>");
    const client = this.clients.get(digest(m[1]));
    if (client === undefined) throw unauthorized("unknown API key");
    return client;
  }
}
