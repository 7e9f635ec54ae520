// The ABI's codes are written twice: in AssemblyScript for the module
// (runtime/*.ts) and in TypeScript for the host (harness/abi.ts). This test
// reads the runtime's sources with the TypeScript parser (AssemblyScript is
// TypeScript syntax) and checks that both sides name the same codes with the
// same values, so a reason, kind or flag added on one side only fails here.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  ABI_MAJOR,
  ABI_MINOR,
  AccountField,
  DepthFlag,
  KIND_NAMES,
  Kind,
  LIQUIDITY_NAMES,
  Liquidity,
  MAX_OPEN_ORDERS,
  OrderFlag,
  OrderStatus,
  RECORD_BYTES,
  REJECT_REASONS,
  RejectReason,
  SideCode,
  Tif,
  packVersion,
} from "../../harness/abi.ts";

type Codes = Record<string, number>;

function runtimeSource(file: string): ts.SourceFile {
  const path = fileURLToPath(new URL(`../../runtime/${file}`, import.meta.url));
  return ts.createSourceFile(file, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
}

/** The value of a constant expression of the runtime: numbers, `-`, `<<`, `|`, parentheses. */
function evaluate(e: ts.Expression): number {
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ""));
  if (ts.isParenthesizedExpression(e)) return evaluate(e.expression);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return -evaluate(e.operand);
  if (ts.isBinaryExpression(e)) {
    const a = evaluate(e.left);
    const b = evaluate(e.right);
    if (e.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken) return a << b;
    if (e.operatorToken.kind === ts.SyntaxKind.BarToken) return a | b;
  }
  throw new Error(`not a constant the test can read: ${e.getText()}`); // the runtime's constants must stay literal
}

/** The members of `enum name` in a runtime file. */
function runtimeEnum(file: string, name: string): Codes {
  const found = runtimeSource(file).statements.find((s): s is ts.EnumDeclaration => ts.isEnumDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`runtime/${file} has no enum ${name}`);
  return Object.fromEntries(found.members.map((m) => [m.name.getText(), evaluate(m.initializer!)]));
}

/** The top-level numeric constants of a runtime file whose names start with `prefix`. */
function runtimeConsts(file: string, prefix: string): Codes {
  const out: Codes = {};
  for (const s of runtimeSource(file).statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      const name = d.name.getText();
      if (name.startsWith(prefix) && d.initializer) out[name] = evaluate(d.initializer);
    }
  }
  return out;
}

/** A host enum's members, name → value (a TypeScript enum also maps values back to names: those are left out). */
function hostEnum(e: object): Codes {
  return Object.fromEntries(Object.entries(e).filter(([k]) => Number.isNaN(Number(k)))) as Codes;
}

/** PascalCase → UPPER_SNAKE, as the runtime names its constants: RealizedPnl → REALIZED_PNL. */
function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Host members renamed to the runtime's constant names: Quote → KIND_QUOTE. */
function asConsts(prefix: string, codes: Codes): Codes {
  return Object.fromEntries(Object.entries(codes).map(([k, v]) => [prefix + upperSnake(k), v]));
}

describe("the host's ABI codes (harness/abi.ts) agree with the module's (runtime/*.ts)", () => {
  it("order status", () => {
    expect(hostEnum(OrderStatus)).toEqual(runtimeEnum("events.ts", "OrderStatus"));
    expect(hostEnum(OrderStatus)).toEqual({ Accepted: 1, Rejected: 2, Cancelled: 3 });
  });

  it("reject reasons, and their names in reports", () => {
    const runtime = runtimeEnum("events.ts", "RejectReason");
    expect(hostEnum(RejectReason)).toEqual(runtime);
    // REJECT_REASONS[code] is the reason's name in snake case, for every code and no other.
    expect(REJECT_REASONS.length).toBe(Object.keys(runtime).length);
    for (const [name, code] of Object.entries(runtime)) expect(REJECT_REASONS[code]).toBe(upperSnake(name).toLowerCase());
    expect(REJECT_REASONS[15]).toBe("insufficient_funds");
  });

  it("time in force and the order flags: the runtime's one Tif enum is the host's Tif and OrderFlag", () => {
    const runtime = runtimeEnum("events.ts", "Tif");
    expect({ ...hostEnum(Tif), ...hostEnum(OrderFlag) }).toEqual(runtime);
    expect(runtime).toEqual({ GTC: 0, IOC: 1, FOK: 2, PostOnly: 3, ReduceOnly: 0x100, Market: 0x200 });
    // A flag sits above the low 8 bits, where place() reads the time in force.
    for (const flag of Object.values(hostEnum(OrderFlag))) expect(flag & 0xff).toBe(0);
  });

  it("sides and liquidity", () => {
    expect(hostEnum(SideCode)).toEqual(runtimeEnum("events.ts", "Side"));
    expect(hostEnum(Liquidity)).toEqual(runtimeEnum("events.ts", "Liquidity"));
    for (const [name, code] of Object.entries(hostEnum(Liquidity))) expect(LIQUIDITY_NAMES[code]).toBe(name.toLowerCase());
  });

  it("record kinds, with a message name for each", () => {
    const runtime = runtimeConsts("exports.ts", "KIND_");
    expect(asConsts("KIND_", hostEnum(Kind))).toEqual(runtime);
    expect(runtime).toMatchObject({ KIND_QUOTE: 1, KIND_TRADE: 2, KIND_DEPTH: 7 });
    for (const [name, code] of Object.entries(hostEnum(Kind))) expect(KIND_NAMES[code]).toBe(name.toUpperCase());
  });

  it("DEPTH flags, the record size, the version", () => {
    expect(asConsts("DEPTH_", hostEnum(DepthFlag))).toEqual(runtimeConsts("exports.ts", "DEPTH_"));
    expect(runtimeConsts("exports.ts", "RECORD_BYTES")).toEqual({ RECORD_BYTES });
    expect(runtimeConsts("exports.ts", "ABI_VERSION_PACKED")).toEqual({ ABI_VERSION_PACKED: packVersion(ABI_MAJOR, ABI_MINOR) });
    expect(packVersion(ABI_MAJOR, ABI_MINOR)).toBe(0x10003); // 1.3
  });

  it("account fields and the open-order table", () => {
    expect(asConsts("ACCOUNT_", hostEnum(AccountField))).toEqual(runtimeConsts("host.ts", "ACCOUNT_"));
    expect(runtimeConsts("orders.ts", "MAX_OPEN_ORDERS")).toEqual({ MAX_OPEN_ORDERS });
  });
});
