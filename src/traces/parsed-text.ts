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

/**
 * Next occurrence of a token at or after a position that only ever increases: the answer is cached
 * and searched again only once the position passes it, so all queries together scan the text once
 * (a plain indexOf per query would rescan to the end whenever the token is absent).
 */
export class ForwardFinder {
  private cached: number;
  private searchedFrom = 0;
  constructor(
    private readonly text: string,
    private readonly token: string,
  ) {
    this.cached = text.indexOf(token);
  }
  atOrAfter(position: number): number {
    if (this.cached === -1 && position >= this.searchedFrom) return -1;
    if (this.cached !== -1 && this.cached >= position && position >= this.searchedFrom) return this.cached;
    this.searchedFrom = position;
    this.cached = this.text.indexOf(this.token, position);
    return this.cached;
  }
}
