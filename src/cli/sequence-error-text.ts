import type { SequenceError } from "../client/index.ts";
import { activeConnection } from "./config.ts";

/**
 * The text printed for a `SequenceError`: its message (which names the
 * operation, request and the server's code and message), the API URL in use and
 * where it came from, and a hint for the common cases. Never the key.
 */
export function describeSequenceError(e: SequenceError): string {
  const conn = activeConnection();
  const lines = [`error: ${e.message}`];
  if (conn !== undefined) {
    lines.push(`  API: ${conn.baseUrl} (from ${conn.baseUrlSource})`);
    if (e.kind === "network") {
      lines.push("  is the API reachable? For the local emulator run `algo dev` and use --base-url http://localhost:50052");
    } else if (e.kind === "api" && (e.status === 401 || e.status === 403)) {
      lines.push(`  the API refused the key from ${conn.keySource}; check it (seq_live_… or seq_test_…)`);
    }
  }
  const text = lines.join("\n");
  return conn === undefined ? text : conn.redact(text);
}
