// "The final answer is $x$", "**Answer:** 5", "the answer is 42.": the answer that follows an
// answer phrase, looked for from the end of the final part.

import { looksLikeResponse, stripMathDelimiters } from "./bare.js";
import { mathSpanAt } from "./math-spans.js";

/** How many occurrences of "answer" are examined, from the last one back (keeps the scan linear). */
const MAX_PHRASES_EXAMINED = 8;
/** A plain (undelimited) answer after a phrase is at most this long. */
const MAX_PLAIN_ANSWER = 200;
/** Delimited math after a phrase is looked for up to this many characters. */
const MAX_SPAN = 4000;

const SPELLINGS = ["answer", "Answer", "ANSWER"] as const;

/** The last "answer" (in one of SPELLINGS) at or before `before`; only spellings present are searched. */
function lastAnswerWord(text: string, before: number, spellings: readonly string[]): number {
  let best = -1;
  for (const spelling of spellings) best = Math.max(best, text.lastIndexOf(spelling, before));
  return best;
}

function isWordChar(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

function endsWithWord(text: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  if (text.slice(start, end).toLowerCase() !== word) return false;
  return start === 0 || !isWordChar(text.charCodeAt(start - 1));
}

/** Skips spaces, `*` and `_` (markdown emphasis), within `text` from `at`. */
function skipDecoration(text: string, at: number, allowNewlines: boolean): number {
  let p = at;
  while (p < text.length) {
    const c = text[p];
    if (c === " " || c === "\t" || c === "*" || c === "_" || (allowNewlines && (c === "\n" || c === "\r"))) p++;
    else break;
  }
  return p;
}

/**
 * If an answer phrase ends at the "answer" word found at `at`, the index where the answer text
 * starts; otherwise -1. Accepted: "final answer[ is][:]", "the answer is", "answer:".
 */
function phraseEnd(text: string, at: number): number {
  const wordEnd = at + "answer".length;
  if (isWordChar(text.charCodeAt(wordEnd)) || (at > 0 && isWordChar(text.charCodeAt(at - 1)))) return -1;
  let before = at;
  while (before > 0 && (text[before - 1] === " " || text[before - 1] === "*")) before--;
  const isFinal = endsWithWord(text, before, "final");
  const isThe = endsWithWord(text, before, "the");
  let p = skipDecoration(text, wordEnd, false);
  let hasIs = false;
  if (text.slice(p, p + 2).toLowerCase() === "is" && !isWordChar(text.charCodeAt(p + 2))) {
    hasIs = true;
    p = skipDecoration(text, p + 2, false);
  }
  let hasColon = false;
  if (text[p] === ":") {
    hasColon = true;
    p++;
  }
  if (!(hasColon || (hasIs && (isFinal || isThe)) || isFinal)) return -1;
  return skipDecoration(text, p, true);
}

/** The plain answer on the line starting at `start`, without closing punctuation and emphasis. */
function plainAnswer(text: string, start: number): string | null {
  const newline = text.indexOf("\n", start);
  const end = newline === -1 ? text.length : newline;
  if (end - start > MAX_PLAIN_ANSWER) return null;
  const line = text
    .slice(start, end)
    .trim()
    .replace(/[*_\s]+$/, "")
    .replace(/\.$/, "")
    .trim();
  if (line === "" || looksLikeResponse(line)) return null;
  return stripMathDelimiters(line);
}

/** The answer after the last answer phrase of `text` that is followed by one, or null. */
export function answerAfterPhrase(text: string): string | null {
  // Fast forward presence tests, so that the slower backward searches only run for what is there.
  const spellings = SPELLINGS.filter((spelling) => text.includes(spelling));
  if (spellings.length === 0) return null;
  let before = text.length;
  for (let examined = 0; examined < MAX_PHRASES_EXAMINED && before >= 0; examined++) {
    const at = lastAnswerWord(text, before, spellings);
    if (at === -1) return null;
    before = at - 1;
    const start = phraseEnd(text, at);
    if (start === -1) continue;
    // Math right after the phrase (past spaces, newlines and emphasis), else the rest of the line.
    const span = mathSpanAt(text, start, MAX_SPAN);
    if (span !== null) {
      if (span.content !== "") return span.content;
      continue;
    }
    const plain = plainAnswer(text, start);
    if (plain !== null) return plain;
  }
  return null;
}
