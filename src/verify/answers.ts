// Answer-level preparation around extraction (src/extract): over-escaped LaTeX and several boxed
// answers that together form one answer ("\boxed{1} and \boxed{2}"), as Math-Verify reads them.
import { extractAnswer, finalPart } from "../extract/index.js";
import type { ExtractionRule } from "../types.js";

export interface Side {
  answer: string | null;
  rule: ExtractionRule;
}

/** Commands that a doubly escaped dump writes as `\\name`; a row break `\\` before other text stays. */
const OVERESCAPED = /(?<!\\)\\\\(?=(?:boxed|fbox|frac|dfrac|tfrac|cfrac|sqrt|text|textbf|mathrm|mathbf|left|right|cdot|times|div|pi|infty|le|ge|leq|geq|lt|gt|neq|ne|in|cup|cap|pm|mp|circ|degree|binom|dbinom|sin|cos|tan|log|ln|exp|quad|qquad|approx|overline|begin|end|alpha|beta|gamma|theta|lambda|mu|sigma|omega|varphi|phi)(?![a-zA-Z]))/g;

/** `\\frac{1}{2}` (a doubly escaped dump) → `\frac{1}{2}`. */
export function unescapeCommands(text: string): string {
  return text.includes("\\\\") ? text.replace(OVERESCAPED, "\\") : text;
}

interface Box {
  start: number;
  end: number; // index after the closing brace
  content: string;
}

const BOX = /\\(?:boxed|fbox)\s*\{/g;

function boxes(text: string): Box[] {
  const out: Box[] = [];
  BOX.lastIndex = 0;
  for (let m = BOX.exec(text); m !== null; m = BOX.exec(text)) {
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = -1;
    for (let i = open; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 123 /* { */) depth++;
      else if (c === 125 /* } */ && --depth === 0) {
        close = i;
        break;
      }
    }
    if (close < 0) break;
    out.push({ start: m.index, end: close + 1, content: text.slice(open + 1, close) });
    BOX.lastIndex = close + 1;
  }
  return out;
}

/** Text between two boxes that joins them into one answer: punctuation and spacing only, or an "and". */
function joins(gap: string): boolean {
  const plain = gap
    .replace(/\\(?:text|textbf|mathrm|mbox)\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\\(?:quad|qquad|[,;: !]|\(|\)|\[|\])/g, " ")
    .replace(/\$/g, " ");
  if (!/[a-zA-Z]/.test(plain)) return true;
  return /\band\b/i.test(plain);
}

/** All boxes at the end of the final part that belong together, joined with ", "; null when fewer than two. */
export function joinedBoxes(text: string): string | null {
  const final = finalPart(text);
  const all = boxes(final);
  if (all.length < 2) return null;
  const group = [all[all.length - 1]!];
  for (let k = all.length - 2; k >= 0; k--) {
    const prev = all[k]!;
    if (!joins(final.slice(prev.end, group[0]!.start))) break;
    group.unshift(prev);
  }
  return group.length < 2 ? null : group.map((b) => b.content.trim()).join(", ");
}

export function extractSide(text: string, mode: "loose" | "strict" | "off"): Side {
  if (mode === "off") return { answer: text, rule: "bare" };
  const unescaped = unescapeCommands(text);
  const e = extractAnswer(unescaped, { loose: mode === "loose" });
  if (e.rule === "boxed") {
    const joined = joinedBoxes(unescaped);
    if (joined !== null) return { answer: joined, rule: "boxed" };
  }
  return { answer: e.answer, rule: e.rule };
}
