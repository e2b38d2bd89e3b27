// Raw harmony text (gpt-oss): messages `<|start|>{role}<|channel|>{channel}[ to={recipient}]<|message|>{body}`
// ended by `<|end|>`, `<|call|>` (a tool call) or `<|return|>`. A generation usually starts inside
// an assistant message, so its first header may be just `<|channel|>analysis`.
// Tool calls: `assistant<|channel|>analysis to=python code<|message|>{code}<|call|>`; their outputs:
// `python code to=assistant<|channel|>analysis<|message|>{out}<|end|>` (shared/corpus/trace_formats.md B).

import type { ReasoningMode, ToolCall } from "../types.js";
import { appendReasoning, ForwardFinder, type ParsedText } from "./parsed-text.js";

const START = "<|start|>";
const CHANNEL = "<|channel|>";
const MESSAGE = "<|message|>";
const BODY_ENDS = ["<|end|>", "<|call|>", "<|return|>", START] as const;
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

export function parseHarmony(text: string): ParsedText {
  const messages = new ForwardFinder(text, MESSAGE);
  const ends = BODY_ENDS.map((token) => new ForwardFinder(text, token));
  let finalText = "";
  let reasoningText = "";
  const toolCalls: ToolCall[] = [];
  let mode: ReasoningMode | undefined;
  let toolsAvailable: boolean | undefined;
  let problem: string | undefined;

  let firstWaiting = 0; // calls before this index have their outputs
  let headerStart = 0;
  for (;;) {
    const messageAt = messages.atOrAfter(headerStart);
    if (messageAt === -1) break;
    const bodyStart = messageAt + MESSAGE.length;
    let bodyEnd = text.length;
    let endLength = 0;
    for (let i = 0; i < ends.length; i++) {
      const at = ends[i].atOrAfter(bodyStart);
      if (at !== -1 && at < bodyEnd) {
        bodyEnd = at;
        // A message cut short by the next `<|start|>` leaves that token to the next header.
        endLength = BODY_ENDS[i] === START ? 0 : BODY_ENDS[i].length;
      }
    }
    const header = parseHeader(text.slice(headerStart, messageAt));
    const body = text.slice(bodyStart, bodyEnd);
    headerStart = bodyEnd + endLength;

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
