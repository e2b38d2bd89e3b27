import type { ReasoningMode, ToolCall } from "../types.js";

/** What a response's text holds, whatever its markup (harmony, OpenMath TIR, <think>, plain). */
export interface ParsedText {
  /** The part that holds the answer ("" when the text stopped before giving one). */
  finalText: string;
  /** Reasoning: analysis channels, <think> blocks, earlier assistant turns. */
  reasoningText: string;
  /** Tool calls in order: code exactly as sent, output exactly as recorded. */
  toolCalls: ToolCall[];
  /** Set when the text itself says (harmony system message "Reasoning: high"). */
  mode?: ReasoningMode;
  /** Set when the text itself lists a python tool (harmony system message "## python"). */
  toolsAvailable?: boolean;
  /** The user message, when the text carries its prompt (rendered harmony conversations). */
  problem?: string;
}

/** Appends a piece of reasoning. `+` builds a rope in V8: no copy of the (long) parts. */
export function appendReasoning(reasoning: string, piece: string): string {
  if (piece === "") return reasoning;
  return reasoning === "" ? piece : reasoning + "\n" + piece;
}
