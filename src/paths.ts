/** Where the toolkit's own files are, whether running from src/ (tests) or from the dist/ bundle. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "sequence-algo") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("sequence-algo: cannot find the toolkit's package.json above " + import.meta.url);
    dir = parent;
  }
}

export const TOOLKIT_ROOT = findRoot();
/** The toolkit's version, from its package.json (`algo --version`, build cache keys, strategy manifests). */
export const TOOLKIT_VERSION: string = JSON.parse(readFileSync(path.join(TOOLKIT_ROOT, "package.json"), "utf8")).version;
export const RUNTIME_DIR = path.join(TOOLKIT_ROOT, "runtime");
export const TEMPLATES_DIR = path.join(TOOLKIT_ROOT, "templates");
