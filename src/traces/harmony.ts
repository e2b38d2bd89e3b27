// Raw harmony text (gpt-oss): messages `<|start|>{role}<|channel|>{channel}[ to={recipient}]<|message|>{body}`
// ended by `<|end|>`, `<|call|>` (a tool call) or `<|return|>`. A generation usually starts inside
// an assistant message, so its first header may be just `<|channel|>analysis`.
// Tool calls: `assistant<|channel|>analysis to=python code<|message|>{code}<|call|>`; their outputs:
// `python code to=assistant<|channel|>analysis<|message|>{out}<|end|>` (shared/corpus/trace_formats.md B).

import type { ReasoningMode, ToolCall } from "../types.js";
import { appendReasoning, type ParsedText } from "./parsed-text.js";

const TOKEN_PREFIX = "<|";
const START = "<|start|>";
const CHANNEL = "<|channel|>";
const MESSAGE = "<|message|>";
/** Tokens that end a message body, with the length the body end skips (`<|start|>` belongs to the next header). */
const BODY_ENDS: ReadonlyArray<readonly [token: string, skip: number]> = [
  ["<|end|>", "<|end|>".length],
  ["<|call|>", "<|call|>".length],
  ["<|return|>", "<|return|>".length],
  [START, 0],
];
/** Headers are short; anything longer is stray text before a message, of which we keep the tail. */
const MAX_HEADER = 512;

interface Header {
  role: string;
  channel: string;
  recipient: string | null;
}

function parseHeader(raw: string): Header {
  let header = raw.length > MAX_HEADER ? raw.slice(raw.length - MAX_HEADER) : raw;
  const lastStart = header.lastIndexOf(START);
  if (lastStart !== -1) header = header.slice(lastStart + START.length);
  const channelAt = header.indexOf(CHANNEL);
  const rolePart = channelAt === -1 ? header : header.slice(0, channelAt);
  const channelPart = channelAt === -1 ? "" : header.slice(channelAt + CHANNEL.length);
  const recipientMatch = /(?:^|\s)to=([^\s<]+)/.exec(rolePart) ?? /(?:^|\s)to=([^\s<]+)/.exec(channelPart);
  const role = rolePart.trim().split(/\s+/)[0] ?? "";
  const channel = channelPart.trim().split(/[\s<]/)[0] ?? "";
  return { role: role === "" ? "assistant" : role, channel, recipient: recipientMatch?.[1] ?? null };
}

const MODE_IN_SYSTEM = /Reasoning:\s*(high|medium|low)\b/i;

/** The next `<|message|>` at or after `from`, or -1. Scans special tokens only (`<|`). */
function nextMessage(text: string, from: number): number {
  let at = text.indexOf(TOKEN_PREFIX, from);
  while (at !== -1 && !text.startsWith(MESSAGE, at)) at = text.indexOf(TOKEN_PREFIX, at + 2);
  return at;
}

/** Where the body starting at `from` ends and how much to skip past it; the text's end if unended. */
function bodyEnd(text: string, from: number): { end: number; skip: number } {
  for (let at = text.indexOf(TOKEN_PREFIX, from); at !== -1; at = text.indexOf(TOKEN_PREFIX, at + 2)) {
    for (const [token, skip] of BODY_ENDS) if (text.startsWith(token, at)) return { end: at, skip };
  }
  return { end: text.length, skip: 0 };
}

export function parseHarmony(text: string): ParsedText {
  let finalText = "";
  let reasoningText = "";
  const toolCalls: ToolCall[] = [];
  let mode: ReasoningMode | undefined;
  let toolsAvailable: boolean | undefined;
  let problem: string | undefined;

  // One forward pass over the special tokens: every `<|` is looked at once or twice.
  let firstWaiting = 0; // calls before this index have their outputs
  let headerStart = 0;
  for (;;) {
    const messageAt = nextMessage(text, headerStart);
    if (messageAt === -1) break;
    const bodyStart = messageAt + MESSAGE.length;
    const { end, skip } = bodyEnd(text, bodyStart);
    const header = parseHeader(text.slice(headerStart, messageAt));
    const body = text.slice(bodyStart, end);
    headerStart = end + skip;

    const { role, channel, recipient } = header;
    if (role === "system" || role === "developer") {
      const modeMatch = MODE_IN_SYSTEM.exec(body);
      if (modeMatch) mode = modeMatch[1].toLowerCase() as ReasoningMode;
      if (body.includes("## python")) toolsAvailable = true;
    } else if (role === "user") {
      problem ??= body;
    } else if (role !== "assistant") {
      // A tool's reply (`python code to=assistant`): it answers the oldest call still waiting.
      if (firstWaiting < toolCalls.length) toolCalls[firstWaiting++].output = body;
    } else if (recipient !== null && recipient !== "assistant" && recipient !== "user") {
      toolCalls.push({ code: body, output: null });
    } else if (channel === "final") {
      finalText = body;
    } else {
      reasoningText = appendReasoning(reasoningText, body);
    }
  }
  return { finalText, reasoningText, toolCalls, mode, toolsAvailable, problem };
}
