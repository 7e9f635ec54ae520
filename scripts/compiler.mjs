// Prepares dist/compiler/: assemblyscript's compiler with binaryen's
// WebAssembly in its own file. The binaryen package ships its 8.9 MB module as
// a 13 MB string inside index.js; parsing that string and turning it back into
// bytes costs ~230 ms of every cold `algo build` (npm run bench, 2026-12-01).
// Here the module is written out once and the loader reads it from disk.
//
// The files are copies of the pinned packages with their imports pointed at
// each other; nothing else changes. If a future package no longer has the
// expected shape, nothing is written and the build uses the packages as they
// are (slower, never wrong).
//
// The three modules are then bundled into one classic script, compiler.script.js
// (see compilerScript): Node 20 can keep V8's compiled code of a script
// between runs (vm.Script cachedData), not of an ES module, and the
// compiler's JavaScript is compiled anew by every cold `algo build`
// otherwise. src/build/compiler-loader.ts loads it and keeps that cache.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { build } from "esbuild";

/** The classic script's file name in dist/compiler/ (src/build/compiler-loader.ts reads it). */
export const COMPILER_SCRIPT = "compiler.script.js";

/** Writes `<outDir>`; returns a note of what was done, or why not. */
export async function prepareCompiler(root, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  try {
    const files = compilerFiles(root);
    mkdirSync(outDir, { recursive: true });
    for (const [name, contents] of Object.entries(files)) writeFileSync(path.join(outDir, name), contents);
    writeFileSync(path.join(outDir, COMPILER_SCRIPT), await compilerScript(path.join(outDir, "asc.js")));
    return "compiler prepared";
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    return `note: using the assemblyscript compiler as installed (${error.message}); cold builds are ~0.2 s slower`;
  }
}

function compilerFiles(root) {
  const require = createRequire(path.join(root, "package.json"));
  const ascDir = path.dirname(require.resolve("assemblyscript/package.json"));
  // binaryen is assemblyscript's dependency: resolve it from there.
  const binaryenEntry = createRequire(path.join(ascDir, "package.json")).resolve("binaryen");
  const { loader, wasm } = splitBinaryen(readFileSync(binaryenEntry, "latin1"));
  return {
    "binaryen.js": Buffer.from(loader, "latin1"),
    "binaryen.wasm": wasm,
    "assemblyscript.js": relink(readFileSync(path.join(ascDir, "dist", "assemblyscript.js"), "utf8"), { binaryen: "./binaryen.js" }),
    "asc.js": relink(readFileSync(path.join(ascDir, "dist", "asc.js"), "utf8"), { binaryen: "./binaryen.js", assemblyscript: "./assemblyscript.js" }),
  };
}

/**
 * binaryen's loader holds its module as `L6(`…`)`: a template literal of
 * latin1 characters decoded by a small function. The literal is evaluated
 * here exactly as the engine would, decoded the same way, checked to be valid
 * WebAssembly, and replaced by a read of the file beside the loader.
 */
function splitBinaryen(source) {
  const call = /([A-Za-z_$][\w$]*)\(`\\0asm/.exec(source);
  if (!call) throw new Error("binaryen's embedded module was not found");
  const open = call.index + call[1].length + 1;
  let end = open + 1;
  for (;;) {
    const c = source[end];
    if (c === undefined) throw new Error("binaryen's embedded module has no end");
    if (c === "\\") end += 2;
    else if (c === "`") break;
    else if (c === "$" && source[end + 1] === "{") throw new Error("binaryen's embedded module is not a plain literal");
    else end++;
  }
  const text = new Function(`return ${source.slice(open, end + 1)}`)();
  const decoder = new RegExp(`function ${call[1].replace(/\$/g, "\\$")}\\((\\w+)\\)\\{for\\(var \\w+=0,\\w+=\\1\\.length,\\w+=new Uint8Array\\(\\w+\\),\\w+;\\w+<\\w+;\\+\\+\\w+\\)\\w+=\\1\\.charCodeAt\\(\\w+\\),\\w+\\[\\w+\\]=~\\w+>>8&\\w+;return \\w+\\}`);
  if (!decoder.test(source)) throw new Error(`binaryen's decoder ${call[1]} is not the expected one`);
  const wasm = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const n = text.charCodeAt(i);
    wasm[i] = (~n >> 8) & n; // the decoder's own formula
  }
  if (!WebAssembly.validate(wasm)) throw new Error("binaryen's embedded module did not decode to valid WebAssembly");
  const loader =
    `import { readFileSync as readBinaryenWasm } from "node:fs";\n` +
    source.slice(0, call.index) +
    `readBinaryenWasm(new URL("./binaryen.wasm", import.meta.url))` +
    source.slice(end + 2);
  return { loader, wasm };
}

/**
 * asc.js and what it imports as one classic script whose value is
 *   async function (require, compilerUrl) → the module's exports
 * Node's built-in modules come from `require`; `import.meta.url` is
 * `compilerUrl` (binaryen's loader finds binaryen.wasm beside it); dynamic
 * `import()`s become `require`s. The code is esbuild's bundle of the same
 * modules, unminified apart from whitespace.
 */
async function compilerScript(ascFile) {
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const result = await build({
    entryPoints: [ascFile],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    supported: { "dynamic-import": false },
    define: { "import.meta.url": "__compilerUrl" },
    legalComments: "inline",
    minifyWhitespace: true,
    logLevel: "silent",
    plugins: [
      {
        name: "node-builtins-from-require",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (a) => (!builtins.has(a.path) ? undefined : a.namespace === "builtin" ? { path: a.path, external: true } : { path: a.path, namespace: "builtin" }));
          b.onLoad({ filter: /.*/, namespace: "builtin" }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: "js" }));
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  const exports = /export\s*\{([^}]*)\};?\s*$/.exec(code);
  if (!exports) throw new Error("the compiler bundle has no export list at its end");
  const names = exports[1].split(",").map((entry) => {
    const [local, exported = local] = entry.trim().split(/\s+as\s+/);
    return `${JSON.stringify(exported)}: ${local}`;
  });
  const script = `(async function (require, __compilerUrl) {\n${code.slice(0, exports.index)}\nreturn { ${names.join(", ")} };\n})\n`;
  new vm.Script(script); // a syntax error (ES module syntax left over) throws here, not in a user's build
  return script;
}

/** Points bare `from"pkg"` imports at sibling files; every named package must be found. */
function relink(source, targets) {
  let out = source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  for (const [pkg, file] of Object.entries(targets)) {
    const pattern = new RegExp(`from\\s*"${pkg}"`, "g");
    if (!pattern.test(out)) throw new Error(`no import of ${pkg} found to relink`);
    out = out.replace(pattern, `from"${file}"`);
  }
  return out;
}

