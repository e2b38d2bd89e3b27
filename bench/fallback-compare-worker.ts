// Worker side of bench/fallback-compare.ts: one library per worker thread, so that a pair the library
// cannot finish is cut off by the main side (terminate) instead of stalling the benchmark.
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { SymbolicComparer } from "../src/verify/fallback/compare.js";

const require = createRequire(import.meta.url);

export type Decision = "correct" | "incorrect" | "undecided";
interface Adapter {
  name: string;
  decide(gold: string, pred: string): Decision;
}

// ---------------------------------------------------------------------------------------------- helpers

function seeded(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Numeric equality at seeded points, in doubles (what mathjs and nerdamer offer). */
function numericDecision(variables: string[], evalAt: (side: 0 | 1, point: Record<string, number>) => number): Decision {
  const next = seeded(0x5eed);
  let valid = 0;
  for (let p = 0; p < 5; p++) {
    const point: Record<string, number> = {};
    variables.forEach((v, i) => (point[v] = ((p + i) % 3 === 2 ? -1 : 1) * (0.3 + 3 * next())));
    const a = evalAt(0, point);
    const b = evalAt(1, point);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) return "incorrect";
    valid++;
  }
  return valid >= (variables.length ? 3 : 1) ? "correct" : "undecided";
}

/** A small LaTeX-to-plain conversion for mathjs, which has no LaTeX reader. */
function latexToPlain(latex: string): string {
  let s = latex;
  const group = String.raw`\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}`;
  const frac = new RegExp(String.raw`\\[dt]?frac\s*` + group + String.raw`\s*` + group, "g");
  const sqrtN = new RegExp(String.raw`\\sqrt\s*\[([^\]]*)\]\s*` + group, "g");
  const sqrt = new RegExp(String.raw`\\sqrt\s*` + group, "g");
  for (let i = 0; i < 8; i++) {
    const before = s;
    s = s.replace(frac, "(($1)/($2))").replace(sqrtN, "nthRoot(($2),($1))").replace(sqrt, "sqrt($1)");
    s = s.replace(/\\[dt]?frac\s*(\d)\s*(\d)/g, "(($1)/($2))").replace(/\\sqrt\s*(\d+|[a-z])/g, "sqrt($1)");
    if (s === before) break;
  }
  return s
    .replace(/\\left|\\right|\\displaystyle|\\!|\\,|\\;/g, "")
    .replace(/\\(?:cdot|times)/g, "*")
    .replace(/\\div/g, "/")
    .replace(/\\pi/g, "pi")
    .replace(/\\infty/g, "Infinity")
    .replace(/\\ln/g, "log")
    .replace(/\\(sin|cos|tan|log|exp)/g, "$1")
    .replace(/\\%/g, "/100")
    .replace(/\{/g, "(")
    .replace(/\}/g, ")")
    .replace(/\\/g, " ");
}

// ---------------------------------------------------------------------------------------------- adapters

function computeEngineAdapter(): Adapter {
  const comparer = new SymbolicComparer();
  comparer.warmUp();
  return {
    name: "@cortex-js/compute-engine 0.140.0",
    decide: (gold, pred) => comparer.compare(gold, pred, 1_000).status,
  };
}

function mathjsAdapter(): Adapter {
  const math = require("mathjs");
  const CONSTANTS = new Set(["pi", "e", "i", "Infinity"]);
  return {
    name: `mathjs ${math.version}`,
    decide(gold, pred) {
      const a = math.parse(latexToPlain(gold));
      const b = math.parse(latexToPlain(pred));
      if (math.symbolicEqual(a, b)) return "correct";
      const names = new Set<string>();
      for (const node of [a, b]) {
        node.traverse((n: any, _path: string, parent: any) => {
          if (n.isSymbolNode && !CONSTANTS.has(n.name) && !(parent?.isFunctionNode && parent.fn === n)) names.add(n.name);
        });
      }
      const compiled = [a.compile(), b.compile()];
      return numericDecision([...names].sort(), (side, point) => {
        const v = compiled[side].evaluate({ ...point });
        return typeof v === "number" ? v : NaN;
      });
    },
  };
}

function nerdamerAdapter(): Adapter {
  const nerdamer = require("nerdamer");
  require("nerdamer/Algebra");
  require("nerdamer/Calculus");
  return {
    name: `nerdamer ${nerdamer.version()}`,
    decide(gold, pred) {
      const a = nerdamer.convertFromLaTeX(gold).toString();
      const b = nerdamer.convertFromLaTeX(pred).toString();
      if (nerdamer(`(${a})-(${b})`).expand().toString() === "0") return "correct";
      const ea = nerdamer(a);
      const eb = nerdamer(b);
      const variables = [...new Set([...ea.variables(), ...eb.variables()])].sort() as string[];
      const exprs = [ea, eb];
      return numericDecision(variables, (side, point) => {
        const subs: Record<string, string> = {};
        for (const [k, v] of Object.entries(point)) subs[k] = String(v);
        return Number(exprs[side].evaluate(subs).text("decimals"));
      });
    },
  };
}

const ADAPTERS: Record<string, () => Adapter> = {
  "compute-engine": computeEngineAdapter,
  nerdamer: nerdamerAdapter,
  mathjs: mathjsAdapter,
};

const adapter = ADAPTERS[(workerData as { library: string }).library]!();
parentPort!.postMessage({ ready: adapter.name });
parentPort!.on("message", ({ i, gold, pred }: { i: number; gold: string; pred: string }) => {
  const t0 = performance.now();
  let decision: Decision;
  let error = false;
  try {
    decision = adapter.decide(gold, pred);
  } catch {
    decision = "undecided";
    error = true;
  }
  parentPort!.postMessage({ i, decision, error, ms: performance.now() - t0 });
});
