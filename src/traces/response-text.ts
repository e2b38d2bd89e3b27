// A response given as one string: pick the parser by its markup.

import { parseHarmony } from "./harmony.js";
import { parseOpenMathTir } from "./openmath.js";
import type { ParsedText } from "./parsed-text.js";

const HARMONY_MESSAGE = "<|message|>";
/** TIR / reasoning markup that starts with `<`, and with a code fence. */
const ANGLE_MARKERS = ["<think>", "</think>", "<tool_call>"] as const;
const FENCE_MARKERS = ["```python", "```output"] as const;

export function isHarmonyText(text: string): boolean {
  return text.includes(HARMONY_MESSAGE);
}

type Markup = "harmony" | "tir" | null;

/** The first marker among those starting at each occurrence of `lead` (one forward scan). */
function firstMarker(text: string, lead: string, check: (at: number) => Markup): Markup {
  for (let at = text.indexOf(lead); at !== -1; at = text.indexOf(lead, at + 1)) {
    const found = check(at);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The markup of a response: harmony when it has `<|message|>`, TIR/think when it has `<think>`,
 * `</think>`, `<tool_call>`, ```python or ```output; null for plain text. Besides the (fast)
 * harmony test, two forward scans (for `<` and for ```) whatever the text, not one per marker.
 */
export function markupOf(text: string): Markup {
  // The same rule as extraction's finalPart: `<|message|>` anywhere makes the text harmony.
  if (isHarmonyText(text)) return "harmony";
  const angle = firstMarker(text, "<", (at) => (ANGLE_MARKERS.some((marker) => text.startsWith(marker, at)) ? "tir" : null));
  if (angle !== null) return angle;
  return firstMarker(text, "```", (at) => (FENCE_MARKERS.some((marker) => text.startsWith(marker, at)) ? "tir" : null));
}

export function parseResponseText(text: string): ParsedText {
  const markup = markupOf(text);
  if (markup === "harmony") return parseHarmony(text);
  if (markup === "tir") return parseOpenMathTir(text);
  return { finalText: text, reasoningText: "", toolCalls: [] };
}
