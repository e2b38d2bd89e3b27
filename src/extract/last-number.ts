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

/**
 * The last number in text[from, end): digits with a decimal point, thousands commas, a fraction
 * slash between digits, a leading minus sign and a trailing percent sign.
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
  if (left > from && text.charCodeAt(left - 1) === 45 /* - */) {
    const beforeSign = left >= 2 ? text.charCodeAt(left - 2) : 32;
    // "-5" and "= -5" are negative; "x-5" and "3-5" are differences.
    const isOperand = isDigit(beforeSign) || (beforeSign >= 65 && beforeSign <= 90) || (beforeSign >= 97 && beforeSign <= 122) || beforeSign === 41; /* ) */
    if (!isOperand) left--;
  }
  return { start: left, end: right, text: text.slice(left, right) };
}
