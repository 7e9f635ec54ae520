/**
 * The project config's JSON Schema as committed in schema/ (for editors; see
 * docs/cli.md). Apart from project-config.ts so the CLI does not load
 * zod's JSON Schema writer.
 */
import path from "node:path";
import { TOOLKIT_ROOT } from "../paths.ts";
import * as z from "zod";
import { projectPackageSchema } from "./project-config.ts";

export const PROJECT_SCHEMA_FILE = path.join(TOOLKIT_ROOT, "schema", "project-config.schema.json");

/** The JSON Schema of a project's package.json, for editor completion. */
export function projectConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(projectPackageSchema),
    title: "package.json of a sequence-algo project",
  };
}

/** The file's text: the generated schema, two-space indented, one trailing newline. */
export function projectConfigSchemaText(): string {
  return JSON.stringify(projectConfigJsonSchema(), null, 2) + "\n";
}
