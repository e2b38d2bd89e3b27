// A response given as one string: pick the parser by its markup.

import { parseHarmony } from "./harmony.js";
import { parseOpenMathTir } from "./openmath.js";
import type { ParsedText } from "./parsed-text.js";

const TIR_MARKERS = ["<think>", "</think>", "<tool_call>", "```python", "```output"] as const;

export function isHarmonyText(text: string): boolean {
  return text.includes("<|message|>");
}

/** Harmony generations and renderings start with a special token (after optional whitespace). */
function startsWithSpecialToken(text: string): boolean {
  let i = 0;
  while (i < text.length && i < 64 && /\s/.test(text[i])) i++;
  return text.startsWith("<|", i);
}

export function parseResponseText(text: string): ParsedText {
  // Cheapest tests first: a leading special token, then markers that OpenMath text has near its
  // start (<think>); a full scan for `<|message|>` only when those fail.
  if (startsWithSpecialToken(text)) return parseHarmony(text);
  for (const marker of TIR_MARKERS) if (text.includes(marker)) return parseOpenMathTir(text);
  if (isHarmonyText(text)) return parseHarmony(text);
  return { finalText: text, reasoningText: "", toolCalls: [] };
}
