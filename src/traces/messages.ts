// Chat messages (Nemotron-Math-v2 and generic rows): {role, content, reasoning_content, tool_calls}
// with `tool` replies matched to calls by tool_call_id (else in order). The last assistant
// message's content is the final part (unless that message calls a tool: then the trace stopped
// before answering); reasoning_content and earlier assistant turns are reasoning.

import type { ToolCall } from "../types.js";
import { appendReasoning, type ParsedText } from "./parsed-text.js";
import { parseResponseText } from "./response-text.js";

export type MessagesResult = { ok: true; parsed: ParsedText; problem: string | null } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Message content: a string, or OpenAI-style parts `[{type: "text", text}]`; null/absent is "". */
function contentText(content: unknown): string | null {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    let text = "";
    for (const part of content) {
      if (typeof part === "string") text += part;
      else if (isRecord(part) && typeof part.text === "string") text += part.text;
      else return null;
    }
    return text;
  }
  return null;
}

/** The code of a tool call: `arguments` JSON (string or object) with `code`, else the raw arguments. */
function toolCallCode(call: Record<string, unknown>): string | null {
  const fn = isRecord(call.function) ? call.function : call;
  const args = fn.arguments ?? fn.input ?? fn.code;
  if (typeof args === "string") {
    try {
      const parsed: unknown = JSON.parse(args);
      if (isRecord(parsed) && typeof parsed.code === "string") return parsed.code;
      if (typeof parsed === "string") return parsed;
    } catch {
      // Not JSON: models sometimes send the code itself as the arguments.
    }
    return args;
  }
  if (isRecord(args) && typeof args.code === "string") return args.code;
  return null;
}

export function parseMessages(messages: unknown[]): MessagesResult {
  if (messages.length === 0) return { ok: false, reason: "`messages` is empty" };
  let problem: string | null = null;
  let reasoningText = "";
  const toolCalls: ToolCall[] = [];
  const callIndexById = new Map<string, number>();
  let firstWaiting = 0;
  let lastAssistantContent: string | null = null;
  let lastAssistantCalledTool = false;

  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!isRecord(message)) return { ok: false, reason: `message ${i} is not an object` };
    const role = message.role;
    const content = contentText(message.content);
    if (content === null) return { ok: false, reason: `message ${i} has content that is not text` };
    if (role === "user") {
      problem ??= content;
    } else if (role === "assistant") {
      // Content before the last assistant message is reasoning between tool calls.
      if (lastAssistantContent !== null) reasoningText = appendReasoning(reasoningText, lastAssistantContent);
      if (typeof message.reasoning_content === "string") {
        reasoningText = appendReasoning(reasoningText, message.reasoning_content);
      }
      lastAssistantContent = content;
      lastAssistantCalledTool = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
      if (message.tool_calls !== undefined && message.tool_calls !== null) {
        if (!Array.isArray(message.tool_calls)) return { ok: false, reason: `message ${i}: tool_calls is not an array` };
        for (const call of message.tool_calls) {
          const code = isRecord(call) ? toolCallCode(call) : null;
          if (code === null) return { ok: false, reason: `message ${i}: a tool call has no code in its arguments` };
          if (isRecord(call) && typeof call.id === "string") callIndexById.set(call.id, toolCalls.length);
          toolCalls.push({ code, output: null });
        }
      }
    } else if (role === "tool" || role === "ipython" || role === "function") {
      const byId = typeof message.tool_call_id === "string" ? callIndexById.get(message.tool_call_id) : undefined;
      while (firstWaiting < toolCalls.length && toolCalls[firstWaiting].output !== null) firstWaiting++;
      const index = byId ?? (firstWaiting < toolCalls.length ? firstWaiting : undefined);
      if (index !== undefined) toolCalls[index].output = content;
    } else if (role !== "system" && role !== "developer") {
      return { ok: false, reason: `message ${i} has an unknown role ${JSON.stringify(role)}` };
    }
  }
  if (lastAssistantContent === null) return { ok: false, reason: "`messages` has no assistant message" };
  // A last assistant message that calls a tool is not a final answer: the trace stopped before the
  // model answered (its content, if any, is reasoning).
  if (lastAssistantCalledTool) {
    reasoningText = appendReasoning(reasoningText, lastAssistantContent);
    lastAssistantContent = "";
  }

  // The last content may itself carry markup (<think>, TIR tags, harmony) when the row did not
  // split the reasoning out.
  const last = parseResponseText(lastAssistantContent);
  return {
    ok: true,
    problem,
    parsed: {
      finalText: last.finalText,
      reasoningText: appendReasoning(reasoningText, last.reasoningText),
      toolCalls: last.toolCalls.length === 0 ? toolCalls : toolCalls.concat(last.toolCalls),
      mode: last.mode,
      toolsAvailable: last.toolsAvailable,
    },
  };
}
