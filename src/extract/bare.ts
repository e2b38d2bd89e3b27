// Telling a bare answer (`\frac{1}{2}`, `x = 5`, `(1, 2]`, `\text{Evelyn}`) from a response that
// needs extraction (`\boxed`, reasoning markers, prose around math).

/** Above this length a text is treated as a response without looking at its words. */
const MAX_BARE_LENGTH = 2000;
/** Prose words a text may hold and still be a bare text answer ("all real numbers"). */
const MAX_BARE_WORDS = 5;

/** Letter runs that are mathematics rather than prose. */
const MATH_WORDS = new Set([
  "and", "or", "sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "lg", "exp", "sqrt", "pi",
  "mod", "gcd", "lcm", "max", "min", "inf", "infty", "lim", "det", "arcsin", "arccos", "arctan",
  "sinh", "cosh", "tanh", "deg", "dx", "dy", "dt", "yes", "no", "none",
]);

const RESPONSE_MARKERS = ["\\boxed", "\\fbox", "<|", "<think>", "</think>"] as const;

type Delimiters = readonly [open: string, close: string];
const MATH_DELIMITERS: readonly Delimiters[] = [
  ["$$", "$$"],
  ["\\[", "\\]"],
  ["\\(", "\\)"],
  ["$", "$"],
];

/**
 * `$x$` → `x`, `\[ x \]` → `x`: removes one pair of math delimiters around the whole text (only
 * when the text is a single span: `$1$ and $2$` stays as it is). Trims whitespace.
 */
export function stripMathDelimiters(text: string): string {
  const trimmed = text.trim();
  for (const [open, close] of MATH_DELIMITERS) {
    if (trimmed.length < open.length + close.length) continue;
    if (!trimmed.startsWith(open) || !trimmed.endsWith(close)) continue;
    const inner = trimmed.slice(open.length, trimmed.length - close.length);
    if (inner.includes(open) || inner.includes(close)) continue;
    return inner.trim();
  }
  return trimmed;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Commands whose braced argument is not prose: text that belongs to the answer (`\text{Evelyn}`)
 * or an environment name (`\begin{pmatrix}`).
 */
const SKIPPED_ARGUMENT_COMMANDS = new Set([
  "text", "textbf", "textit", "textrm", "mathrm", "mathbf", "mathit", "operatorname", "mbox", "begin", "end",
]);

interface ProseCount {
  /** Letter runs of two or more letters that are not mathematics. */
  words: number;
  /** A digit, `=` or `$` outside commands: mathematics that prose may surround. */
  hasDigitOrRelation: boolean;
  /** `. X`: a sentence ends and another begins. */
  sentenceBreak: boolean;
}

/** Counts prose words outside LaTeX commands and their text arguments. */
function countProse(text: string): ProseCount {
  let words = 0;
  let hasDigitOrRelation = false;
  let sentenceBreak = false;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 92 /* \ */) {
      let j = i + 1;
      while (j < text.length && isAsciiLetter(text.charCodeAt(j))) j++;
      const name = text.slice(i + 1, j);
      if (SKIPPED_ARGUMENT_COMMANDS.has(name) && text.charCodeAt(j) === 123 /* { */) {
        const close = text.indexOf("}", j);
        j = close === -1 ? text.length : close + 1;
      }
      i = Math.max(j, i + 2);
      continue;
    }
    if (isAsciiLetter(code)) {
      let j = i + 1;
      while (j < text.length && (isAsciiLetter(text.charCodeAt(j)) || text.charCodeAt(j) === 39)) j++;
      const word = text.slice(i, j);
      if (word.length >= 2 && !MATH_WORDS.has(word.toLowerCase())) words++;
      i = j;
      continue;
    }
    if ((code >= 48 && code <= 57) || code === 61 /* = */ || code === 36 /* $ */) hasDigitOrRelation = true;
    if ((code === 46 || code === 33 || code === 63) /* . ! ? */ && text.charCodeAt(i + 1) === 32) {
      const next = text.charCodeAt(i + 2);
      if (next >= 65 && next <= 90) sentenceBreak = true;
    }
    i++;
  }
  return { words, hasDigitOrRelation, sentenceBreak };
}

/**
 * Whether `text` is a response that needs answer extraction rather than a bare answer: it has a
 * box, reasoning markers, an answer phrase, several sentences, or prose words around math.
 */
export function looksLikeResponse(text: string): boolean {
  if (text.length > MAX_BARE_LENGTH) return true;
  for (const marker of RESPONSE_MARKERS) if (text.includes(marker)) return true;
  const inner = stripMathDelimiters(text);
  if (/\banswer\b/i.test(inner)) return true;
  const prose = countProse(inner);
  if (prose.sentenceBreak) return true;
  // "I cannot decide.": words closed by a full stop are a sentence, not a text answer.
  if (prose.words >= 2 && /[.!?]$/.test(inner)) return true;
  if (prose.words > MAX_BARE_WORDS) return true;
  return prose.words > 0 && prose.hasDigitOrRelation;
}

/** Whether `text` (short) is mathematics only: no prose word outside commands and `\text{}`. */
export function isPureMath(text: string): boolean {
  if (text.length > MAX_BARE_LENGTH) return false;
  for (const marker of RESPONSE_MARKERS) if (text.includes(marker)) return false;
  return countProse(stripMathDelimiters(text)).words === 0;
}
