/**
 * Which callbacks an algo implements, read from its source at compile time:
 * the methods that classes extending `Algo` (directly or through other
 * classes of the author's) declare. `algo build` prints them and writes them
 * into the module's `sequence.meta` section so hosts can show them.
 */
export const CALLBACKS = {
  onStart: "on_start",
  onQuote: "on_quote",
  onTrade: "on_trade",
  onBar: "on_bar",
  onFill: "on_fill",
  onOrder: "on_order",
  onTimer: "on_timer",
  onBook: "on_book",
  onStop: "on_stop",
} as const;

export type CallbackName = (typeof CALLBACKS)[keyof typeof CALLBACKS];

const NODE_KIND_CLASS_DECLARATION = 52; // assemblyscript NodeKind.ClassDeclaration (a const enum)

interface ClassInfo {
  base: string | null;
  methods: string[];
}

interface AstSource {
  normalizedPath: string;
  statements: Array<{
    kind: number;
    name?: { text: string };
    extendsType?: { name: { identifier: { text: string } } } | null;
    members?: Array<{ name: { text: string } }>;
  }>;
}

/** An assemblyscript transform that records the callbacks found after parsing. */
export class CallbackCollector {
  found: CallbackName[] = [];
  algoClasses: string[] = [];

  afterParse(parser: { sources: AstSource[] }): void {
    const classes = new Map<string, ClassInfo>();
    for (const source of parser.sources) {
      if (source.normalizedPath.startsWith("~lib/")) continue;
      for (const statement of source.statements) {
        if (statement.kind !== NODE_KIND_CLASS_DECLARATION || !statement.name) continue;
        classes.set(statement.name.text, {
          base: statement.extendsType?.name.identifier.text ?? null,
          methods: (statement.members ?? []).map((m) => m.name.text),
        });
      }
    }
    const found = new Set<CallbackName>();
    for (const [name, info] of classes) {
      const chain: ClassInfo[] = [];
      let current: ClassInfo | undefined = info;
      let isAlgo = false;
      for (let depth = 0; current && depth < 32; depth++) {
        chain.push(current);
        if (current.base === "Algo") isAlgo = true;
        current = current.base ? classes.get(current.base) : undefined;
      }
      if (!isAlgo) continue;
      this.algoClasses.push(name);
      for (const cls of chain)
        for (const method of cls.methods)
          if (method in CALLBACKS) found.add(CALLBACKS[method as keyof typeof CALLBACKS]);
    }
    this.found = Object.values(CALLBACKS).filter((c) => found.has(c));
  }
}
