/**
 * binaryen's pass list for `algo build` (speed mode): assemblyscript's own
 * -O2 list (0.28.20, with this toolkit's options) without the repeats of its
 * whole-module "-optimizing" passes, each of which re-runs the function
 * optimizer on what it changed: of its 8 `simplify-globals-optimizing`, the
 * first stays, the second becomes plain `simplify-globals` and the rest go;
 * one each of `precompute-propagate`, `dae-optimizing` and
 * `inlining-optimizing` goes. In every template they found nothing left to
 * change: each builds to the same bytes as with asc's list
 * (test/build/pass-list.test.ts), so replay speed is the same, and the
 * optimize step takes ~10–15% less CPU (2026-12-02). All other settings
 * (optimize level 2, inlining limits, Stack IR) stay asc's -O2.
 */
export const SPEED_PASSES: readonly string[] = [
  "duplicate-function-elimination",
  "remove-unused-module-elements",
  "once-reduction",
  "inlining",
  "simplify-globals-optimizing",
  "generate-global-effects",
  "optimize-instructions",
  "avoid-reinterprets",
  "dce",
  "remove-unused-brs",
  "remove-unused-names",
  "merge-blocks",
  "precompute-propagate",
  "pick-load-signs",
  "simplify-locals-notee-nostructure",
  "vacuum",
  "local-cse",
  "reorder-locals",
  "coalesce-locals",
  "simplify-locals",
  "coalesce-locals",
  "reorder-locals",
  "vacuum",
  "rse",
  "vacuum",
  "simplify-globals",
  "remove-unused-brs",
  "remove-unused-names",
  "merge-blocks",
  "dae-optimizing",
  "inlining-optimizing",
  "optimize-added-constants",
  "duplicate-import-elimination",
  "directize",
  "code-folding",
  "ssa-nomerge",
  "rse",
  "code-pushing",
  "optimize-instructions",
  "remove-unused-brs",
  "remove-unused-names",
  "merge-blocks",
  "vacuum",
  "remove-unused-brs",
  "optimize-instructions",
  "vacuum",
  "reorder-globals",
  "reorder-functions",
  "duplicate-function-elimination",
  "memory-packing",
  "remove-unused-module-elements",
  "discard-global-effects",
];

interface OptimizableModule {
  optimize(optimizeLevel: number, shrinkLevel: number, debugInfo?: boolean, zeroFilledMemory?: boolean): void;
  runPasses(passes: string[]): void;
}

/**
 * An assemblyscript transform: when asc optimizes this program's module,
 * its settings are applied as usual and `passes` run instead of its list.
 * Only this compile's module is touched, never the compiler's classes.
 */
export class PassList {
  constructor(private readonly passes: readonly string[]) {}

  afterInitialize(program: { module: OptimizableModule }): void {
    const module = program.module;
    const ascOptimize = module.optimize;
    const passes = this.passes;
    module.optimize = function (this: OptimizableModule, ...args: Parameters<OptimizableModule["optimize"]>) {
      const ascRunPasses = this.runPasses;
      this.runPasses = (ascPasses: string[]) => ascRunPasses.call(this, ascPasses.length > 0 ? [...passes] : ascPasses);
      try {
        ascOptimize.apply(this, args);
      } finally {
        this.runPasses = ascRunPasses;
      }
    };
  }
}
