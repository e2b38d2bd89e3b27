// A seeded mix of typical (gold, pred) pairs for the verify benchmark: integers, fractions, decimals,
// surds, π-expressions, intervals, sets, tuples and whole responses ending in \boxed{}. About half
// of the predictions are equivalent to the reference, written differently; the rest are wrong.
import { seededRandom } from "../src/util/seeded-random.js";

export interface Pair {
  gold: string;
  pred: string;
  /** Whether the prediction was generated as equivalent to the reference. */
  equivalent?: boolean;
}

/** The seeded generator of the workloads (mulberry32). */
export const rng = seededRandom;

export function generateTypicalPairs(count: number, seed = 20251127): Pair[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
  let lastWrong = false;
  const wrong = () => (lastWrong = r() < 0.5);

  const kinds: Array<() => Pair> = [
    // integers, sometimes with leading zeros, separators or a trailing ".0"
    () => {
      const n = int(0, 999999);
      const g = String(n);
      const p = wrong() ? String(n + int(1, 9)) : pick([g, n.toLocaleString("en-US"), `${n}.0`, n < 1000 ? g.padStart(3, "0") : g]);
      return { gold: g, pred: p };
    },
    // fractions
    () => {
      const a = int(1, 99), b = int(2, 99), k = int(2, 5);
      const g = `\\frac{${a}}{${b}}`;
      const p = wrong() ? `\\frac{${a + 1}}{${b}}` : pick([`\\dfrac{${a * k}}{${b * k}}`, `${a}/${b}`, `\\tfrac{${a}}{${b}}`, g]);
      return { gold: g, pred: p };
    },
    // decimals against fractions
    () => {
      const b = pick([2, 4, 5, 8, 10, 20, 25]), a = int(1, b * 3);
      const g = `\\frac{${a}}{${b}}`;
      const p = wrong() ? String((a + 1) / b) : String(a / b);
      return { gold: g, pred: p };
    },
    // surds
    () => {
      const s = pick([2, 3, 5, 6, 7]), k = int(2, 9);
      const g = `${k}\\sqrt{${s}}`;
      const p = wrong() ? `${k + 1}\\sqrt{${s}}` : pick([`\\sqrt{${k * k * s}}`, `${k}\\sqrt ${s}`, g]);
      return { gold: g, pred: p };
    },
    // π expressions
    () => {
      const a = int(1, 20), b = int(2, 12);
      const d = gcd(a, b);
      const g = `\\frac{${a / d}\\pi}{${b / d}}`;
      const p = wrong() ? `\\frac{${a / d + 1}\\pi}{${b / d}}` : pick([`\\frac{${a / d}}{${b / d}}\\pi`, `${a / d}\\pi/${b / d}`, g]);
      return { gold: g, pred: p };
    },
    // intervals
    () => {
      const lo = int(-20, 0), hi = int(1, 20);
      const g = `[${lo}, ${hi})`;
      const p = wrong() ? `(${lo}, ${hi}]` : pick([`[${lo},${hi})`, `\\left[${lo}, ${hi}\\right)`, g]);
      return { gold: g, pred: p };
    },
    // sets
    () => {
      const xs = [int(-9, 9), int(10, 20), int(21, 40)];
      const g = `\\{${xs.join(", ")}\\}`;
      const p = wrong() ? `\\{${xs[0]}, ${xs[1]}\\}` : `\\{${[xs[2], xs[0], xs[1]].join(",")}\\}`;
      return { gold: g, pred: p };
    },
    // tuples
    () => {
      const x = int(-9, 9), y = int(-9, 9);
      const g = `(${x}, ${y})`;
      const p = wrong() ? `(${y}, ${x + 1})` : `\\left(${x},${y}\\right)`;
      return { gold: g, pred: p };
    },
    // whole responses ending in \boxed{}
    () => {
      const n = int(1, 999);
      const ans = wrong() ? n + 1 : n;
      const p = `We compute step by step: $a = ${int(1, 50)}$, so the total is ${int(1, 99)} + ${int(1, 99)}. ` +
        `Checking the cases again, the count is consistent.\n\nTherefore the final answer is $\\boxed{${ans}}$.`;
      return { gold: String(n).padStart(3, "0"), pred: p };
    },
  ];
  const out: Pair[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const pair = kinds[i % kinds.length]!();
    pair.equivalent = !lastWrong;
    out[i] = pair;
  }
  return out;
}
