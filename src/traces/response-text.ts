// A response given as one string: pick the parser by its markup.

import { parseHarmony } from "./harmony.js";
import { parseOpenMathTir } from "./openmath.js";
import type { ParsedText } from "./parsed-text.js";

const TIR_MARKERS = ["<think>", "</think>", "<tool_call>", "```python", "```output"] as const;

export function isHarmonyText(text: string): boolean {
  return text.includes("<|message|>");
}

export function parseResponseText(text: string): ParsedText {
  if (isHarmonyText(text)) return parseHarmony(text);
  for (const marker of TIR_MARKERS) if (text.includes(marker)) return parseOpenMathTir(text);
  return { finalText: text, reasoningText: "", toolCalls: [] };
}
