/** The project config's JSON Schema as committed in schema/ (for editors; see docs/cli.md). */
import path from "node:path";
import { TOOLKIT_ROOT } from "../paths.ts";
import { projectConfigJsonSchema } from "./project-config.ts";

export const PROJECT_SCHEMA_FILE = path.join(TOOLKIT_ROOT, "schema", "project-config.schema.json");

/** The file's text: the generated schema, two-space indented, one trailing newline. */
export function projectConfigSchemaText(): string {
  return JSON.stringify(projectConfigJsonSchema(), null, 2) + "\n";
}
