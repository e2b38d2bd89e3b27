// The last number of a text ("So x = 3/4" → 3/4, "The total is 1,234." → 1,234), found by a
// backward scan: no regex over the text.

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export interface NumberMatch {
  start: number;
  end: number;
  text: string;
}

/** Index of the last digit in text[from, before), or -1. */
function lastDigit(text: string, from: number, before: number): number {
  for (let i = before - 1; i >= from; i--) if (isDigit(text.charCodeAt(i))) return i;
  return -1;
}

/** `1,234`: a comma that separates thousands (exactly three digits follow, then no digit). */
function isThousandsComma(text: string, comma: number): boolean {
  return (
    isDigit(text.charCodeAt(comma - 1)) &&
    isDigit(text.charCodeAt(comma + 1)) &&
    isDigit(text.charCodeAt(comma + 2)) &&
    isDigit(text.charCodeAt(comma + 3)) &&
    !isDigit(text.charCodeAt(comma + 4))
  );
}

/** How far back a LaTeX term around the last number may reach. */
const MAX_TERM = 200;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Start (the backslash) of a command name that ends at `at` (`\frac` before `{`), or -1. */
function commandEndingAt(text: string, at: number, limit: number): number {
  let i = at;
  while (i > limit && isLetter(text.charCodeAt(i - 1))) i--;
  return i < at && i > limit && text.charCodeAt(i - 1) === 92 /* \ */ ? i - 1 : -1;
}

/** The `{` that opens the group whose `}` is at `close`, searching back to `limit`, or -1. */
function openingBrace(text: string, close: number, limit: number): number {
  let depth = 0;
  for (let i = close; i >= limit; i--) {
    if (i > 0 && text.charCodeAt(i - 1) === 92 /* escaped */) continue;
    const code = text.charCodeAt(i);
    if (code === 125 /* } */) depth++;
    else if (code === 123 /* { */ && --depth === 0) return i;
  }
  return -1;
}

/** The `{` of the innermost group that contains position `at`, searching back to `limit`. */
function enclosingBrace(text: string, at: number, limit: number): number {
  let depth = 0;
  for (let i = at - 1; i >= limit; i--) {
    if (i > 0 && text.charCodeAt(i - 1) === 92) continue;
    const code = text.charCodeAt(i);
    if (code === 125) depth++;
    else if (code === 123) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Index just past the `}` that closes the group opened at `open`, or -1 (searching up to `end`). */
function closingBrace(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 92) i++;
    else if (code === 123) depth++;
    else if (code === 125 && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Grows the number at [left, right) to the LaTeX term written around it without delimiters:
 * `\frac{3}{4}`, `2\sqrt{3}`, `10^{-3}`, `3\cdot5`, `2\pi`. Stops at spaces and prose.
 */
function expandLatexTerm(text: string, left: number, right: number, from: number, end: number): [number, number] {
  const limit = Math.max(from, left - MAX_TERM);
  const rightLimit = Math.min(end, right + MAX_TERM);
  for (let changed = true; changed; ) {
    changed = false;
    // The span is the end of a `{...}` argument: take the whole group.
    if (right < rightLimit && text.charCodeAt(right) === 125) {
      const open = enclosingBrace(text, left, limit);
      if (open !== -1) {
        left = open;
        right++;
        changed = true;
      }
    }
    // Earlier arguments of the same command (`{3}` before `{4}`), then the command itself.
    while (left > limit && text.charCodeAt(left) === 123 && text.charCodeAt(left - 1) === 125) {
      const open = openingBrace(text, left - 1, limit);
      if (open === -1) break;
      left = open;
      changed = true;
    }
    const command = commandEndingAt(text, left, limit);
    if (command !== -1) {
      left = command;
      changed = true;
    }
    // A superscript or subscript: include `^` / `_` and its base (digits, a letter or a group).
    const mark = text.charCodeAt(left - 1);
    if (left - 1 > limit && (mark === 94 || mark === 95)) {
      let base = left - 1;
      if (text.charCodeAt(base - 1) === 125) {
        const open = openingBrace(text, base - 1, limit);
        if (open !== -1) base = open;
      } else if (isLetter(text.charCodeAt(base - 1))) {
        base--;
      } else {
        while (base > limit && isDigit(text.charCodeAt(base - 1))) base--;
      }
      if (base < left - 1) {
        left = base;
        changed = true;
      }
    }
    // A coefficient written against a command: `2\sqrt{3}`, `3\cdot5`.
    if (text.charCodeAt(left) === 92) {
      let coefficient = left;
      while (coefficient > limit && (isDigit(text.charCodeAt(coefficient - 1)) || text.charCodeAt(coefficient - 1) === 46)) coefficient--;
      if (coefficient < left && isDigit(text.charCodeAt(coefficient))) {
        left = coefficient;
        changed = true;
      }
    }
    // A command written after the number (`2\pi`, `3\sqrt{2}`), with its arguments.
    if (text.charCodeAt(right) === 92 && isLetter(text.charCodeAt(right + 1))) {
      let after = right + 1;
      while (after < rightLimit && isLetter(text.charCodeAt(after))) after++;
      while (after < rightLimit && text.charCodeAt(after) === 123) {
        const close = closingBrace(text, after, rightLimit);
        if (close === -1) break;
        after = close;
      }
      if (after <= rightLimit) {
        right = after;
        changed = true;
      }
    }
  }
  // A bare group around the number (`{5}` in prose) is not part of it.
  while (text.charCodeAt(left) === 123 && closingBrace(text, left, right) === right) {
    left++;
    right--;
  }
  return [left, right];
}

/**
 * The last number in text[from, end): digits with a decimal point, thousands commas, a fraction
 * slash between digits, a leading minus sign and a trailing percent sign; grown to the LaTeX term
 * around it when it is written without math delimiters (`\frac{3}{4}`, `2\sqrt{3}`).
 */
export function lastNumber(text: string, from = 0, end = text.length): NumberMatch | null {
  const last = lastDigit(text, from, end);
  if (last === -1) return null;
  let right = last + 1;
  if (text.charCodeAt(right) === 37 /* % */ && right < end) right++;
  let left = last;
  while (left > from) {
    const code = text.charCodeAt(left - 1);
    if (isDigit(code)) left--;
    else if (code === 46 /* . */ && isDigit(text.charCodeAt(left))) left--;
    else if (code === 44 /* , */ && isThousandsComma(text, left - 1)) left--;
    else if (code === 47 /* / */ && isDigit(text.charCodeAt(left)) && isDigit(text.charCodeAt(left - 2))) left--;
    else break;
  }
  [left, right] = expandLatexTerm(text, left, right, from, end);
  const sign = text.charCodeAt(left - 1);
  if (left > from && (sign === 45 /* - */ || sign === 0x2212 /* − */)) {
    const beforeSign = left >= 2 ? text.charCodeAt(left - 2) : 32;
    // "-5" and "= -5" are negative; "x-5" and "3-5" are differences.
    const isOperand = isDigit(beforeSign) || isLetter(beforeSign) || beforeSign === 41; /* ) */
    if (!isOperand) left--;
  }
  return { start: left, end: right, text: text.slice(left, right) };
}
