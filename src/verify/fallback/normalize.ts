// Light clean-up of a bare answer before the symbolic library parses it. The native engine has already
// done the real normalization; what reaches the fallback is what it could not decide, written in LaTeX
// or in plain text ("sqrt(2)/2", "x**2"). The library reads LaTeX only, so plain-text function names
// become LaTeX commands here.

/** Functions written in plain text that the LaTeX parser would read as products of letters. */
const PLAIN_FUNCTIONS = [
  "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "sin", "cos", "tan", "cot", "sec", "csc", "ln", "log", "exp",
];

/** Replaces `sqrt(...)` (balanced parentheses) by `\sqrt{...}`. */
function plainSqrtToLatex(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf("sqrt(", i);
    if (at < 0 || (at > 0 && /[\\A-Za-z]/.test(text[at - 1]!))) {
      if (at < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, at + 5);
      i = at + 5;
      continue;
    }
    let depth = 0;
    let end = -1;
    for (let j = at + 4; j < text.length; j++) {
      if (text[j] === "(") depth++;
      else if (text[j] === ")" && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, at) + "\\sqrt{" + plainSqrtToLatex(text.slice(at + 5, end)) + "}";
    i = end + 1;
  }
  return out;
}

export function normalizeForLibrary(answer: string): string {
  let s = answer.trim();
  // Math delimiters around the whole answer.
  for (const [open, close] of [["$$", "$$"], ["$", "$"], ["\\(", "\\)"], ["\\[", "\\]"]] as const) {
    if (s.length >= open.length + close.length && s.startsWith(open) && s.endsWith(close)) {
      s = s.slice(open.length, s.length - close.length).trim();
      break;
    }
  }
  s = s
    // Font commands change the look, not the value: \mathrm{E} is E.
    .replace(/\\(?:math(?:rm|bf|it|sf|cal|bb|frak|scr)|textbf|textit|boldsymbol)\s*\{([^{}]*)\}/g, "$1")
    // "19, 46, and 82": the word joins list items.
    .replace(/,?\s*(?:\\text\s*\{\s*and\s*\}|\band\b)\s*/g, ", ")
    .replace(/\\(?:displaystyle|textstyle|quad|qquad)(?![A-Za-z])/g, " ")
    .replace(/\\[!,;:]/g, " ")
    .replace(/\\[dt]frac\b/g, "\\frac")
    .replace(/\*\*/g, "^")
    .replace(/[.\s]+$/u, "");
  s = plainSqrtToLatex(s);
  const fn = new RegExp(`(?<![\\\\A-Za-z])(${PLAIN_FUNCTIONS.join("|")})(?=\\s*\\()`, "g");
  s = s.replace(fn, "\\$1");
  s = s.replace(/(?<![\\A-Za-z])pi(?![A-Za-z])/g, "\\pi ").replace(/(?<![\\A-Za-z])(?:oo|inf|infty)(?![A-Za-z])/g, "\\infty ");
  return s.trim();
}

/** Whether the answer writes a decimal with a fractional part ("0.25", ".5"), i.e. a value known only to its written digits. */
export function writesDecimal(answer: string): boolean {
  return /(?:^|[^\d])\.\d|\d\.\d/.test(answer);
}

/** Whether the answer is a list at its top level ("1, 2, 3", "(1,2),(3,4)"): Math-Verify compares such lists as sets. */
export function isTopLevelList(answer: string): boolean {
  let depth = 0;
  for (let i = 0; i < answer.length; i++) {
    const c = answer[i];
    if (c === "\\") {
      i++; // an escaped character (\{, \,) is not a bracket or a separator
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) return true;
  }
  return false;
}

/** The two readings of a percentage: "28\\%" is 28 (DESIGN.md: percent on bare numbers) and also 0.28. */
export function percentReadings(answer: string): string[] {
  if (!/\\?%/.test(answer)) return [answer];
  const bare = answer.replace(/\\?%/g, "");
  const fraction = answer.replace(/(\d+(?:\.\d+)?)\s*\\?%/g, "($1/100)").replace(/\\?%/g, "");
  return bare === fraction ? [bare] : [bare, fraction];
}
