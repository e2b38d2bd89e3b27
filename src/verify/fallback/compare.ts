// Symbolic equivalence on @cortex-js/compute-engine (chosen by measurement: bench/fallback-compare.ts,
// docs/verdict-rules.md "Fallback"). Runs inside the fallback worker (./worker.ts), which the main thread
// can terminate; this module adds the library's own cooperative time limit on top.
//
// Order of tests, cheapest and most exact first:
//   1. structural: the canonical forms are the same, or the same after expansion;
//   2. exact: the difference of constants evaluates to an exact number (zero: equal; else different);
//   3. collections, relations and intervals: compared part by part (sets and unions in any order,
//      equations and inequalities up to a constant factor, positive for inequalities);
//   4. numeric: evaluation at seeded points at 50 significant digits with a relative tolerance of 1e-30.
// Whatever none of these settles is "unknown" (the verdict stays undecided). Two different exact values
// are never called equal: step 2 decides them exactly, and step 4 compares 50-digit values.
import {
  ComputeEngine,
  isFunction,
  isNumber,
  isString,
  type Expression,
} from "@cortex-js/compute-engine";
import { isTopLevelList, normalizeForLibrary, percentReadings, writesDecimal } from "./normalize.js";

export type Outcome = "equal" | "different" | "unknown";

export interface FallbackResult {
  status: "correct" | "incorrect" | "undecided";
  /** The forms the library understood (LaTeX), when both sides parsed. */
  gold?: string;
  pred?: string;
}

const PRECISION_DIGITS = 50;
/** Relative tolerance of the numeric test, far above the 50-digit evaluation error, far below any written answer. */
const RELATIVE_TOLERANCE = 1e-30;
/** Values below this magnitude count as zero (50-digit evaluation of sin(pi) leaves about 1e-50). */
const ZERO_FLOOR = 1e-45;
/** A decimal answer is known only to its written digits: closer than this, the fallback leaves it undecided. */
const DECIMAL_DOUBT = 1e-3;
const SAMPLE_POINTS = 5;
const MIN_VALID_POINTS = 3;
const MAX_VARIABLES = 8;
const MAX_FORM_CHARS = 500;

/** Operators whose value at a sample point can cost without bound (a sum to a bound that is a variable). */
const ITERATIVE = new Set(["Sum", "Product", "Integrate", "Limit", "D", "Derivative", "Loop"]);

/** Whether e has free variables and an iterative operator: numeric sampling is then left alone. */
function samplingIsUnbounded(e: Expression): boolean {
  if (e.unknowns.length === 0) return false;
  const walk = (x: Expression): boolean => ITERATIVE.has(x.operator) || (isFunction(x) && x.ops.some(walk));
  return walk(e);
}

const STRUCTURAL_ORDERED = new Set(["Tuple", "List", "Matrix", "Pair", "Interval", "Open", "Delimiter", "Sequence"]);
const STRUCTURAL_UNORDERED = new Set(["Set", "Union"]);
const RELATIONS: Record<string, { canonical: string; swap: boolean }> = {
  Equal: { canonical: "Equal", swap: false },
  NotEqual: { canonical: "NotEqual", swap: false },
  Less: { canonical: "Less", swap: false },
  LessEqual: { canonical: "LessEqual", swap: false },
  Greater: { canonical: "Less", swap: true },
  GreaterEqual: { canonical: "LessEqual", swap: true },
};

/** Deterministic sample values: the same points for every call, process and thread (mulberry32, fixed seed). */
function samplePoints(variables: readonly string[]): Array<Record<string, string>> {
  let state = 0x5eed_1234;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const points: Array<Record<string, string>> = [];
  for (let p = 0; p < SAMPLE_POINTS; p++) {
    const point: Record<string, string> = {};
    for (let i = 0; i < variables.length; i++) {
      // Magnitudes in [0.3, 3.3); each variable is negative at some points (sqrt(x^2) is not x).
      const magnitude = 0.3 + 3 * next();
      const sign = (p + i) % 3 === 2 ? "-" : "";
      point[variables[i]!] = sign + magnitude.toFixed(12);
    }
    points.push(point);
  }
  return points;
}

interface Complexish {
  re: number;
  im: number;
}

function magnitude(z: Complexish): number {
  return Math.hypot(z.re, z.im);
}

function isFiniteValue(z: Complexish): boolean {
  return Number.isFinite(z.re) && Number.isFinite(z.im);
}

export class SymbolicComparer {
  private readonly ce: ComputeEngine;

  constructor() {
    this.ce = new ComputeEngine();
    this.ce.precision = PRECISION_DIGITS;
  }

  /** Parses and compares a few pairs so that the first real call does not pay for lazy initialization. */
  warmUp(): void {
    for (const [g, p] of [["\\frac{1}{2}", "0.5"], ["(x+1)^2", "x^2+2x+1"], ["\\{1,2\\}", "[0,1)"]] as const) {
      this.compare(g, p, 5_000);
    }
  }

  compare(gold: string, pred: string, budgetMs: number): FallbackResult {
    try {
      return this.ce.withTimeLimit({ ms: Math.max(1, budgetMs), label: "veritrace:fallback" }, () => this.decide(gold, pred));
    } catch {
      // The library's time limit (CancellationError) or any other failure of the library (a parse it
      // cannot box, a bigint past its size limit): not a verdict either way.
      return { status: "undecided" };
    }
  }

  private decide(gold: string, pred: string): FallbackResult {
    // A percentage has two readings; the pair is equal when some reading of each side is.
    const golds = percentReadings(gold);
    const preds = percentReadings(pred);
    const decimals = writesDecimal(gold) || writesDecimal(pred);
    const unorderedLists = isTopLevelList(gold) && isTopLevelList(pred);
    let forms: { gold: string; pred: string } | undefined;
    let outcome: Outcome = "different";
    for (const gText of golds) {
      for (const pText of preds) {
        const g = this.parse(gText);
        const p = this.parse(pText);
        if (!g || !p) {
          outcome = "unknown";
          continue;
        }
        forms ??= { gold: g.latex.slice(0, MAX_FORM_CHARS), pred: p.latex.slice(0, MAX_FORM_CHARS) };
        const o =
          unorderedLists && g.operator === "Tuple" && p.operator === "Tuple" && isFunction(g) && isFunction(p)
            ? this.unorderedEquivalent(g.ops, p.ops, decimals)
            : this.equivalent(g, p, decimals);
        if (o === "equal") return { status: "correct", ...forms };
        if (o === "unknown") outcome = "unknown";
      }
    }
    if (!forms) return { status: "undecided" };
    return { status: outcome === "different" ? "incorrect" : "undecided", ...forms };
  }

  private parse(answer: string): Expression | null {
    const text = normalizeForLibrary(answer);
    if (!text) return null;
    const expr = this.ce.parse(text);
    return expr.isValid ? expr : null;
  }

  equivalent(a: Expression, b: Expression, decimals: boolean): Outcome {
    if (a.isSame(b)) return "equal";
    const opA = a.operator;
    const opB = b.operator;

    if (isString(a) || isString(b)) {
      if (isString(a) && isString(b)) {
        return a.string.trim().toLowerCase() === b.string.trim().toLowerCase() ? "equal" : "different";
      }
      return "unknown";
    }

    const relA = RELATIONS[opA];
    const relB = RELATIONS[opB];
    if (relA || relB) {
      if (!relA || !relB || !isFunction(a) || !isFunction(b)) return "unknown";
      return this.relationsEquivalent(a, b);
    }

    const structA = STRUCTURAL_ORDERED.has(opA) || STRUCTURAL_UNORDERED.has(opA);
    const structB = STRUCTURAL_ORDERED.has(opB) || STRUCTURAL_UNORDERED.has(opB);
    if (structA || structB) {
      if (opA !== opB || !isFunction(a) || !isFunction(b)) return "unknown";
      if (opA === "Interval") return this.intervalsEquivalent(a.ops, b.ops, decimals);
      // Matrix(rows, delimiters?): the delimiters (pmatrix, bmatrix) are looks, not value.
      if (opA === "Matrix") return this.equivalent(a.ops[0]!, b.ops[0]!, decimals);
      return STRUCTURAL_UNORDERED.has(opA)
        ? this.unorderedEquivalent(a.ops, b.ops, decimals)
        : this.orderedEquivalent(a.ops, b.ops, decimals);
    }

    // With free variables `is` compares structurally after expansion, without any tolerance. (It is
    // much cheaper than simplify(), which the numeric test below makes unnecessary.)
    if ((a.unknowns.length || b.unknowns.length) && a.is(b)) return "equal";
    return this.valuesEquivalent(a, b, decimals);
  }

  private orderedEquivalent(as: readonly Expression[], bs: readonly Expression[], decimals: boolean): Outcome {
    if (as.length !== bs.length) return "different";
    let all: Outcome = "equal";
    for (let i = 0; i < as.length; i++) {
      const o = this.equivalent(as[i]!, bs[i]!, decimals);
      if (o === "different") return "different";
      if (o === "unknown") all = "unknown";
    }
    return all;
  }

  /** Intervals: the same open/closed ends and equivalent end points. */
  private intervalsEquivalent(as: readonly Expression[], bs: readonly Expression[], decimals: boolean): Outcome {
    if (as.length !== 2 || bs.length !== 2) return "unknown";
    const end = (e: Expression): { open: boolean; value: Expression } =>
      e.operator === "Open" && isFunction(e) && e.nops === 1 ? { open: true, value: e.ops[0]! } : { open: false, value: e };
    const ea = as.map(end);
    const eb = bs.map(end);
    if (ea[0]!.open !== eb[0]!.open || ea[1]!.open !== eb[1]!.open) return "different";
    return this.orderedEquivalent(ea.map((x) => x.value), eb.map((x) => x.value), decimals);
  }

  /** Sets and unions: every element of each side equals some element of the other (duplicates allowed). */
  private unorderedEquivalent(as: readonly Expression[], bs: readonly Expression[], decimals: boolean): Outcome {
    let all: Outcome = "equal";
    for (const [xs, ys] of [[as, bs], [bs, as]] as const) {
      for (const x of xs) {
        let best: Outcome = "different";
        for (const y of ys) {
          const o = this.equivalent(x, y, decimals);
          if (o === "equal") {
            best = "equal";
            break;
          }
          if (o === "unknown") best = "unknown";
        }
        if (best === "different") return "different";
        if (best === "unknown") all = "unknown";
      }
    }
    return all;
  }

  /** `l1 R r1` vs `l2 R r2`: the same relation after orienting, and (r1 - l1) a constant multiple of (r2 - l2). */
  private relationsEquivalent(a: Expression, b: Expression): Outcome {
    const ra = RELATIONS[a.operator]!;
    const rb = RELATIONS[b.operator]!;
    if (ra.canonical !== rb.canonical || !isFunction(a) || !isFunction(b) || a.nops !== 2 || b.nops !== 2) {
      return ra.canonical === rb.canonical ? "unknown" : "different";
    }
    const side = (e: Expression & { ops: readonly Expression[] }, swap: boolean): Expression =>
      swap ? e.ops[0]!.sub(e.ops[1]!) : e.ops[1]!.sub(e.ops[0]!);
    const fa = side(a as Expression & { ops: readonly Expression[] }, ra.swap);
    const fb = side(b as Expression & { ops: readonly Expression[] }, rb.swap);
    const symmetric = ra.canonical === "Equal" || ra.canonical === "NotEqual";
    return this.proportional(fa, fb, symmetric);
  }

  /** Whether fa = c * fb for one constant c (non-zero; positive unless the relation is symmetric). */
  private proportional(fa: Expression, fb: Expression, symmetric: boolean): Outcome {
    if (samplingIsUnbounded(fa) || samplingIsUnbounded(fb)) return "unknown";
    const variables = [...new Set([...fa.unknowns, ...fb.unknowns])].sort();
    if (variables.length > MAX_VARIABLES) return "unknown";
    let ratio: number | null = null;
    let valid = 0;
    for (const point of variables.length ? samplePoints(variables) : [{}]) {
      const va = this.valueAt(fa, point);
      const vb = this.valueAt(fb, point);
      if (!va || !vb || !isFiniteValue(va) || !isFiniteValue(vb) || va.im !== 0 || vb.im !== 0) continue;
      const zeroA = Math.abs(va.re) <= ZERO_FLOOR;
      const zeroB = Math.abs(vb.re) <= ZERO_FLOOR;
      if (zeroA || zeroB) {
        if (zeroA !== zeroB) return "different";
        continue;
      }
      const r = va.re / vb.re;
      if (ratio === null) {
        if (!symmetric && r < 0) return "different";
        ratio = r;
      } else if (Math.abs(r - ratio) > 1e-20 * Math.abs(ratio)) {
        return "different";
      }
      valid++;
    }
    return valid >= (variables.length ? MIN_VALID_POINTS : 1) ? "equal" : "unknown";
  }

  private valuesEquivalent(a: Expression, b: Expression, decimals: boolean): Outcome {
    // Exact: the difference of two constant values evaluates to an exact number.
    if (a.unknowns.length === 0 && b.unknowns.length === 0) {
      const diff = a.sub(b).evaluate();
      if (isNumber(diff) && diff.isExact) {
        if (diff.isSame(0)) return "equal";
        return decimals && this.closeRelative(a, b) ? "unknown" : "different";
      }
    }

    if (samplingIsUnbounded(a) || samplingIsUnbounded(b)) return "unknown";
    const variables = [...new Set([...a.unknowns, ...b.unknowns])].sort();
    if (variables.length > MAX_VARIABLES) return "unknown";
    const points = variables.length ? samplePoints(variables) : [{}];
    let valid = 0;
    let nearMiss = false;
    for (const point of points) {
      const va = this.valueAt(a, point);
      const vb = this.valueAt(b, point);
      if (!va || !vb) continue;
      if (!isFiniteValue(va) || !isFiniteValue(vb)) {
        if (Number.isNaN(va.re) || Number.isNaN(vb.re)) continue; // outside a domain, or not a number at all
        if (va.re === vb.re && va.im === vb.im) {
          valid++;
          continue; // the same infinity
        }
        return "different";
      }
      const d = this.valueAt(a.sub(b), point);
      const delta = d && isFiniteValue(d) ? magnitude(d) : magnitude({ re: va.re - vb.re, im: va.im - vb.im });
      const scale = Math.max(magnitude(va), magnitude(vb));
      if (delta <= RELATIVE_TOLERANCE * scale || (scale <= ZERO_FLOOR && delta <= ZERO_FLOOR)) {
        valid++;
        continue;
      }
      if (decimals && delta <= DECIMAL_DOUBT * scale) {
        nearMiss = true;
        continue;
      }
      return "different";
    }
    if (nearMiss) return "unknown";
    return valid >= (variables.length ? MIN_VALID_POINTS : 1) ? "equal" : "unknown";
  }

  private closeRelative(a: Expression, b: Expression): boolean {
    const va = this.valueAt(a, {});
    const vb = this.valueAt(b, {});
    if (!va || !vb || !isFiniteValue(va) || !isFiniteValue(vb)) return false;
    const scale = Math.max(magnitude(va), magnitude(vb));
    return magnitude({ re: va.re - vb.re, im: va.im - vb.im }) <= DECIMAL_DOUBT * scale;
  }

  /** The numeric value (50 digits, read as doubles) at a point; null when it does not evaluate to a number. */
  private valueAt(e: Expression, point: Record<string, string>): Complexish | null {
    const substitution: Record<string, Expression> = {};
    for (const [name, value] of Object.entries(point)) substitution[name] = this.ce.number(value);
    const n = (Object.keys(substitution).length ? e.subs(substitution) : e).N();
    if (!isNumber(n)) return null;
    return { re: n.re, im: n.im };
  }
}
