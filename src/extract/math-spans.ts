// Delimited math spans ($..$, $$..$$, \(..\), \[..\]) located from a given position or the end.

export interface MathSpan {
  /** Index of the opening delimiter. */
  start: number;
  /** Index just past the closing delimiter. */
  end: number;
  content: string;
}

/** A `$` that is not `\$` (an escaped dollar is currency, not a delimiter). */
function isDollar(text: string, at: number): boolean {
  return text.charCodeAt(at) === 36 && text.charCodeAt(at - 1) !== 92;
}

/** The delimited math span that starts at `at`, if one does (searching at most `limit` chars). */
export function mathSpanAt(text: string, at: number, limit = text.length): MathSpan | null {
  const end = Math.min(text.length, at + limit);
  if (text.startsWith("$$", at)) {
    const close = text.indexOf("$$", at + 2);
    if (close === -1 || close + 2 > end) return null;
    return { start: at, end: close + 2, content: text.slice(at + 2, close).trim() };
  }
  if (isDollar(text, at)) {
    let close = text.indexOf("$", at + 1);
    while (close !== -1 && close < end && !isDollar(text, close)) close = text.indexOf("$", close + 1);
    if (close === -1 || close + 1 > end) return null;
    return { start: at, end: close + 1, content: text.slice(at + 1, close).trim() };
  }
  for (const [open, closing] of [["\\(", "\\)"], ["\\[", "\\]"]] as const) {
    if (!text.startsWith(open, at)) continue;
    const close = text.indexOf(closing, at + 2);
    if (close === -1 || close + 2 > end) return null;
    return { start: at, end: close + 2, content: text.slice(at + 2, close).trim() };
  }
  return null;
}

/**
 * Last occurrence of a token at or before a bound that only ever decreases: the answer is cached
 * and searched again only once the bound passes it, so all queries together scan the text once.
 */
class BackwardFinder {
  private cached: number;
  constructor(
    private readonly text: string,
    private readonly find: (text: string, atOrBefore: number) => number,
    present: boolean,
  ) {
    // `present` comes from a fast forward `includes`; the backward search is a slower plain loop.
    this.cached = present ? find(text, text.length) : -1;
  }
  atOrBefore(bound: number): number {
    if (bound < 0) return -1;
    if (this.cached > bound) this.cached = this.find(this.text, bound);
    return this.cached;
  }
}

const token = (value: string) => (text: string, atOrBefore: number) => text.lastIndexOf(value, atOrBefore);

/** Last `$` that is not `\$`, at or before `atOrBefore`. */
function lastUnescapedDollar(text: string, atOrBefore: number): number {
  let at = atOrBefore;
  while (at >= 0) {
    at = text.lastIndexOf("$", at);
    if (at === -1) return -1;
    if (isDollar(text, at)) return at;
    at--;
  }
  return -1;
}

/** The last delimited math span of `text` with non-empty content, scanning from the end. */
export function lastMathSpan(text: string): MathSpan | null {
  // Each round takes the closing delimiter nearest the end, then its opening one, and skips spans
  // with empty content. Every bound decreases from round to round (BackwardFinder).
  const hasDollar = text.includes("$");
  const dollars = new BackwardFinder(text, lastUnescapedDollar, hasDollar);
  const doubleDollars = new BackwardFinder(text, token("$$"), hasDollar && text.includes("$$"));
  const parenCloses = new BackwardFinder(text, token("\\)"), text.includes("\\)"));
  const bracketCloses = new BackwardFinder(text, token("\\]"), text.includes("\\]"));
  const parenOpens = new BackwardFinder(text, token("\\("), text.includes("\\("));
  const bracketOpens = new BackwardFinder(text, token("\\["), text.includes("\\["));
  let limit = text.length; // spans end at or before limit
  while (limit > 0) {
    const dollar = dollars.atOrBefore(limit - 1);
    const paren = parenCloses.atOrBefore(limit - 2);
    const bracket = bracketCloses.atOrBefore(limit - 2);
    const close = Math.max(dollar, paren, bracket);
    if (close === -1) return null;
    let span: MathSpan | null = null;
    if (close === dollar) {
      if (dollar > 0 && isDollar(text, dollar - 1)) {
        const open = doubleDollars.atOrBefore(dollar - 3);
        if (open !== -1) span = { start: open, end: dollar + 1, content: text.slice(open + 2, dollar - 1).trim() };
        limit = open === -1 ? dollar - 1 : open;
      } else {
        const open = dollars.atOrBefore(dollar - 1);
        if (open !== -1) span = { start: open, end: dollar + 1, content: text.slice(open + 1, dollar).trim() };
        limit = open === -1 ? dollar : open;
      }
    } else {
      const open = (close === paren ? parenOpens : bracketOpens).atOrBefore(close - 2);
      if (open !== -1) span = { start: open, end: close + 2, content: text.slice(open + 2, close).trim() };
      limit = open === -1 ? close : open;
    }
    if (span !== null && span.content !== "") return span;
  }
  return null;
}
