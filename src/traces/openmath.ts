// OpenMathReasoning / NeMo-Skills TIR text (shared/corpus/trace_formats.md A):
//   <think> ... <tool_call>\n{code}\n</tool_call>\n```output\n{out}```\n ... </think> final text
// Older generations fence code as ```python\n{code}```\n. A truncated output ends in the literal
// `<output cut>` with the closing fence on the same line (`...<output cut>```), so the output runs
// to the next ``` wherever it is. ```system notices (remaining executions) are not outputs.

import type { ToolCall } from "../types.js";
import type { ParsedText } from "./parsed-text.js";

const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";
const TAG_OPEN = "<tool_call>";
const TAG_CLOSE = "</tool_call>";
const PYTHON_FENCE = "```python";
const OUTPUT_FENCE = "```output";
const FENCE = "```";
/** How far after the code the output fence may start (blank lines, spaces). */
const MAX_GAP_TO_OUTPUT = 8;

function skipNewline(text: string, at: number): number {
  if (text.startsWith("\r\n", at)) return at + 2;
  return text.charCodeAt(at) === 10 ? at + 1 : at;
}

function withoutTrailingNewline(text: string, start: number, end: number): string {
  let stop = end;
  if (stop > start && text.charCodeAt(stop - 1) === 10) stop--;
  if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
  return text.slice(start, stop);
}

/**
 * Tool calls with their recorded outputs, in order of appearance. A text uses one style: tags
 * when it has any `<tool_call>`, else ```python fences (OpenMathReasoning rewrote all fences to tags).
 */
export function openMathToolCalls(text: string): ToolCall[] {
  const calls: ToolCall[] = [];
  const firstTag = text.indexOf(TAG_OPEN);
  const [open, close] = firstTag !== -1 ? [TAG_OPEN, TAG_CLOSE] : [PYTHON_FENCE, FENCE];
  let openAt = firstTag !== -1 ? firstTag : text.indexOf(PYTHON_FENCE);
  while (openAt !== -1) {
    const codeStart = skipNewline(text, openAt + open.length);
    const codeEnd = text.indexOf(close, codeStart);
    if (codeEnd === -1) {
      // The text stopped inside the code: the call was never run.
      calls.push({ code: text.slice(codeStart), output: null });
      break;
    }
    const call: ToolCall = { code: withoutTrailingNewline(text, codeStart, codeEnd), output: null };
    let position = codeEnd + close.length;

    let outputFence = position;
    while (outputFence < text.length && outputFence - position < MAX_GAP_TO_OUTPUT && isBlank(text.charCodeAt(outputFence))) outputFence++;
    if (text.startsWith(OUTPUT_FENCE, outputFence)) {
      const outputStart = skipNewline(text, outputFence + OUTPUT_FENCE.length);
      const outputEnd = text.indexOf(FENCE, outputStart);
      call.output = text.slice(outputStart, outputEnd === -1 ? text.length : outputEnd);
      position = outputEnd === -1 ? text.length : outputEnd + FENCE.length;
      calls.push(call);
    } else if (open === TAG_OPEN || outputFence === text.length) {
      // A tag is always a call; a fenced block is one only when an output follows or the text
      // ends before it could (otherwise it is code shown in a written solution).
      calls.push(call);
    }
    openAt = text.indexOf(open, position);
  }
  return calls;
}

function isBlank(code: number): boolean {
  return code === 10 || code === 13 || code === 32 || code === 9;
}

/**
 * Splits TIR / reasoning text as extraction's finalPart does: what follows the last `</think>` is
 * final and what precedes it reasoning; when the last think tag is an opening one the reasoning
 * never closed and the final text is ""; text without think tags is all final. Tool calls are
 * collected from the whole text.
 */
export function parseOpenMathTir(text: string): ParsedText {
  const toolCalls = openMathToolCalls(text);
  const closeAt = text.lastIndexOf(THINK_CLOSE);
  const firstOpen = text.indexOf(THINK_OPEN);
  const lastOpen = firstOpen === -1 ? -1 : text.lastIndexOf(THINK_OPEN);
  if (lastOpen > closeAt) {
    const reasoningStart = firstOpen + THINK_OPEN.length;
    return { finalText: "", reasoningText: text.slice(reasoningStart), toolCalls };
  }
  if (closeAt !== -1) {
    const reasoningStart = firstOpen !== -1 && firstOpen < closeAt ? firstOpen + THINK_OPEN.length : 0;
    return {
      finalText: text.slice(closeAt + THINK_CLOSE.length),
      reasoningText: text.slice(reasoningStart, closeAt),
      toolCalls,
    };
  }
  return { finalText: text, reasoningText: "", toolCalls };
}
