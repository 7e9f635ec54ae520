// Writes schema/project-config.schema.json from the project config's zod
// declaration (`npm run schema`); test/cli/project-schema.test.ts checks the
// committed file is what the declaration generates now.
import { writeFileSync } from "node:fs";
import { PROJECT_SCHEMA_FILE, projectConfigSchemaText } from "../src/schemas/project-config-json.ts";

writeFileSync(PROJECT_SCHEMA_FILE, projectConfigSchemaText());
console.log(`wrote ${PROJECT_SCHEMA_FILE}`);
