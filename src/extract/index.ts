// Final-answer extraction (DESIGN.md "Answer extraction"). Order of rules:
//   bare input ▸ last \boxed of the final part ▸ answer phrase ▸ (loose) last math span or last
//   number of the final part, whichever comes later.
// Every step is a bounded or linear scan from the end, so 128K-token traces cost microseconds.

import type { Extraction } from "../types.js";
import { isPureMath, looksLikeResponse, stripMathDelimiters } from "./bare.js";
import { lastBoxed } from "./boxed.js";
import { finalPart } from "./final-part.js";
import { lastNumber } from "./last-number.js";
import { lastMathSpan } from "./math-spans.js";
import { answerAfterPhrase } from "./phrase.js";

export { finalPart } from "./final-part.js";
export { isPureMath, looksLikeResponse, stripMathDelimiters } from "./bare.js";
export { lastBoxed, type BoxedResult } from "./boxed.js";

export interface ExtractOptions {
  /** Use the loose fallbacks (last math span, last number). Default true. */
  loose?: boolean;
  /**
   * The text is known to be a response (a trace's final text), never a bare answer: a short final
   * text such as "I cannot decide." then yields no answer instead of being read as one. Default
   * false: the text is read as a bare answer when it looks like one (`verify("1/2", "\\frac12")`).
   */
  response?: boolean;
}

const NONE: Extraction = { answer: null, rule: "none" };

export function extractAnswer(text: string, options: ExtractOptions = {}): Extraction {
  if (typeof text !== "string") throw new TypeError(`extractAnswer: expected a string, got ${text === null ? "null" : typeof text}`);
  let found: Extraction;
  if (options.response !== true && !looksLikeResponse(text)) {
    const bare = stripMathDelimiters(text);
    found = bare === "" ? NONE : { answer: bare, rule: "bare" };
  } else {
    found = extractFromFinalPart(finalPart(text), options.loose ?? true);
  }
  return found.answer === null ? found : { answer: detach(found.answer), rule: found.rule };
}

/**
 * A copy of `s` that does not share memory with the text it was sliced from. V8 keeps a slice's
 * whole parent alive: an answer kept for voting would otherwise hold its 100 KB trace. Flattening
 * a concatenation makes a new small string, and the slice refers to that one.
 */
function detach(s: string): string {
  return (" " + s).slice(1);
}

function extractFromFinalPart(final: string, loose: boolean): Extraction {
  const boxed = lastBoxed(final);
  if (boxed.kind === "found") return { answer: boxed.content, rule: "boxed" };
  // The answer was being boxed when the text stopped: anything else would be a guess.
  if (boxed.kind === "unterminated") return NONE;

  const phrased = answerAfterPhrase(final);
  if (phrased !== null) return { answer: phrased, rule: "answer_phrase" };
  if (!loose) return NONE;

  // A final part that is a bare expression ("\frac{1}{2}") is the answer as a whole.
  if (isPureMath(final)) {
    const whole = stripMathDelimiters(final);
    return whole === "" ? NONE : { answer: whole, rule: "last_math" };
  }
  const span = lastMathSpan(final);
  const number = lastNumber(final, span === null ? 0 : span.end);
  if (number !== null) return { answer: number.text, rule: "last_number" };
  if (span !== null) return { answer: span.content, rule: "last_math" };
  return NONE;
}
