// The runtime's public surface, read from its source (never hard-coded): every
// name runtime/index.ts exports, and for classes, namespaces and enums every
// public member. The every-symbol build test and the docs test use it, so a
// new export is covered (or fails them) without anyone editing a list.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const RUNTIME = path.resolve(import.meta.dirname, "../../runtime");

export interface PublicSymbol {
  /** "Ema", "Ema.push", "Px.toString", "Side.Buy". */
  name: string;
  kind: "class" | "function" | "const" | "enum" | "namespace" | "type" | "member";
  /** For members: true when reached through the owner's name (static, namespace, enum), false on an instance. */
  static?: boolean;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(path.join(RUNTIME, file), "utf8"), ts.ScriptTarget.Latest, true);
}

const has = (node: ts.Node, kind: ts.SyntaxKind) =>
  (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === kind);

/** Declarations a file exports, by name. */
function declarations(file: string): Map<string, PublicSymbol[]> {
  const out = new Map<string, PublicSymbol[]>();
  for (const stmt of parse(file).statements) {
    if (!has(stmt, ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isClassDeclaration(stmt) && stmt.name) {
      const owner = stmt.name.text;
      const symbols: PublicSymbol[] = [{ name: owner, kind: "class" }];
      for (const m of stmt.members) {
        if (ts.isConstructorDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
        if (has(m, ts.SyntaxKind.PrivateKeyword) || has(m, ts.SyntaxKind.ProtectedKeyword)) continue;
        symbols.push({ name: `${owner}.${m.name.text}`, kind: "member", static: has(m, ts.SyntaxKind.StaticKeyword) });
      }
      out.set(owner, symbols);
    } else if (ts.isFunctionDeclaration(stmt) && stmt.name) {
      out.set(stmt.name.text, [{ name: stmt.name.text, kind: "function" }]);
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations)
        if (ts.isIdentifier(d.name)) out.set(d.name.text, [{ name: d.name.text, kind: "const" }]);
    } else if (ts.isEnumDeclaration(stmt)) {
      const owner = stmt.name.text;
      out.set(owner, [
        { name: owner, kind: "enum" },
        ...stmt.members.map((m) => ({ name: `${owner}.${(m.name as ts.Identifier).text}`, kind: "member" as const, static: true })),
      ]);
    } else if (ts.isModuleDeclaration(stmt) && stmt.body && ts.isModuleBlock(stmt.body)) {
      const owner = stmt.name.text;
      const symbols: PublicSymbol[] = [{ name: owner, kind: "namespace" }];
      for (const s of stmt.body.statements)
        if (ts.isFunctionDeclaration(s) && s.name && has(s, ts.SyntaxKind.ExportKeyword))
          symbols.push({ name: `${owner}.${s.name.text}`, kind: "member", static: true });
      // a namespace merged with a type alias (Px, Qty, Usd) keeps the alias's entry
      out.set(owner, [...(out.get(owner)?.filter((s) => s.kind === "type") ?? []), ...symbols]);
    } else if (ts.isTypeAliasDeclaration(stmt)) {
      if (!out.has(stmt.name.text)) out.set(stmt.name.text, [{ name: stmt.name.text, kind: "type" }]);
    }
  }
  return out;
}

/** Everything `import { … } from "sequence-algo/runtime"` can name, with public members. */
export function runtimePublicSurface(): PublicSymbol[] {
  const symbols: PublicSymbol[] = [];
  for (const stmt of parse("index.ts").statements) {
    if (!ts.isExportDeclaration(stmt) || !stmt.moduleSpecifier) continue;
    const file = (stmt.moduleSpecifier as ts.StringLiteral).text.replace(/^\.\//, "") + ".ts";
    const decls = declarations(file);
    if (!stmt.exportClause) for (const list of decls.values()) symbols.push(...list);
    else if (ts.isNamedExports(stmt.exportClause))
      for (const el of stmt.exportClause.elements) {
        const list = decls.get((el.propertyName ?? el.name).text);
        if (!list) throw new Error(`runtime/index.ts re-exports ${el.name.text}, which ${file} does not export`);
        symbols.push(...list);
      }
  }
  return symbols;
}
