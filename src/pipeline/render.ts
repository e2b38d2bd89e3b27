// A trace as the model is trained on it: the text that the length buckets count (docs/pipeline.md
// "Rendering"). Two templates:
//   harmony  gpt-oss: system (reasoning effort, python tool) ▸ user ▸ assistant analysis / tool calls /
//            tool outputs / final, with harmony's special tokens, ending in <|return|> as SFT targets do.
//   chatml   Qwen-style: <|im_start|>role\n...<|im_end|>\n, reasoning in <think>..</think>, tool calls in
//            <tool_call>..</tool_call>, tool outputs as <tool_response> turns.
// Rows with `messages` (Nemotron-Math-v2, generic) are rendered message by message, keeping the order of
// reasoning, tool calls and outputs. Rows with a raw generation string keep it as it is: harmony control
// tokens written in it become special tokens; otherwise it is split at the last </think>.
import type { ReasoningMode, Trace } from "../types.js";
import type { Segment } from "../tokenize/index.js";

export type Template = "harmony" | "chatml";

// Fixed values keep the rendering (and so the bucket of every trace) independent of the day it runs.
const HARMONY_IDENTITY = "You are ChatGPT, a large language model trained by OpenAI.";
const HARMONY_DATES = "Knowledge cutoff: 2024-06\nCurrent date: 2025-06-28";
const HARMONY_PYTHON_TOOL =
  "# Tools\n\n## python\n\nUse this tool to execute Python code in your chain of thought. The code will not be shown to the user. " +
  "This tool should be used for internal reasoning, but not for code that is intended to be visible to the user (e.g. when creating plots, tables, or files).\n\n" +
  "When you send a message containing Python code to python, it will be executed in a stateful Jupyter notebook environment. " +
  "python will respond with the output of the execution or time out after 120.0 seconds. The drive at '/mnt/data' can be used to save and persist user files. " +
  "Internet access for this session is UNKNOWN. Depends on the cluster.";
const HARMONY_CHANNELS = "# Valid channels: analysis, commentary, final. Channel must be included for every message.";
const HARMONY_SPECIALS = /<\|(start|end|message|channel|constrain|return|call)\|>/g;

interface Message {
  role: string;
  content: string;
  reasoning: string;
  toolCalls: Array<{ name: string; code: string; rawArguments: string }>;
}

/** Renders one input row (with its parsed trace for mode, tool use and fallbacks). */
export function renderTrace(row: unknown, trace: Trace, template: Template): Segment[] {
  // A raw harmony string row is its own generation.
  const r = (typeof row === "string" ? { text: row } : row && typeof row === "object" ? row : {}) as Record<string, unknown>;
  const messages = Array.isArray(r.messages) ? normalizeMessages(r.messages) : null;
  if (messages && messages.some((m) => m.role === "assistant")) {
    return template === "harmony" ? harmonyFromMessages(messages, trace) : chatmlFromMessages(messages);
  }
  const raw = rawGeneration(r);
  const problem = trace.problem ?? (typeof r.problem === "string" ? r.problem : "");
  if (raw !== null) {
    return template === "harmony" ? harmonyFromText(problem, raw, trace) : chatmlFromText(problem, raw);
  }
  // Last resort: the parts the trace parser found.
  const text = (trace.reasoningText ? `<think>\n${trace.reasoningText}\n</think>\n` : "") + trace.finalText;
  return template === "harmony" ? harmonyFromText(problem, text, trace) : chatmlFromText(problem, text);
}

function rawGeneration(r: Record<string, unknown>): string | null {
  for (const key of ["generation", "generated_solution", "response", "output", "text"]) {
    if (typeof r[key] === "string") return r[key] as string;
  }
  return null;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v == null ? "" : JSON.stringify(v);
}

function normalizeMessages(list: unknown[]): Message[] {
  const out: Message[] = [];
  for (const m of list) {
    if (!m || typeof m !== "object") continue;
    const msg = m as Record<string, unknown>;
    const toolCalls: Message["toolCalls"] = [];
    if (Array.isArray(msg.tool_calls)) {
      for (const call of msg.tool_calls) {
        const fn = (call && typeof call === "object" ? (call as any).function : null) ?? {};
        const rawArguments = str(fn.arguments);
        toolCalls.push({ name: str(fn.name) || "python", code: codeOf(fn.arguments), rawArguments });
      }
    }
    out.push({ role: str(msg.role), content: str(msg.content), reasoning: str(msg.reasoning_content), toolCalls });
  }
  return out;
}

/** The code of a tool call: `arguments` is a JSON string (or object) `{"code": ...}` in Nemotron rows. */
function codeOf(args: unknown): string {
  let value = args;
  if (typeof args === "string") {
    try {
      value = JSON.parse(args);
    } catch {
      return args;
    }
  }
  if (value && typeof value === "object" && typeof (value as any).code === "string") return (value as any).code;
  return str(args);
}

function effort(mode: ReasoningMode): string {
  return mode === "unknown" ? "medium" : mode;
}

function harmonySystem(trace: Trace): Segment[] {
  const parts = [HARMONY_IDENTITY, HARMONY_DATES, "", `Reasoning: ${effort(trace.mode)}`, ""];
  if (trace.tool) parts.push(HARMONY_PYTHON_TOOL, "");
  parts.push(HARMONY_CHANNELS);
  return [{ special: "<|start|>" }, { text: "system" }, { special: "<|message|>" }, { text: parts.join("\n") }, { special: "<|end|>" }];
}

function harmonyMessage(header: string, channel: string | null, content: string, end: string): Segment[] {
  const segs: Segment[] = [{ special: "<|start|>" }, { text: header }];
  if (channel !== null) segs.push({ special: "<|channel|>" }, { text: channel });
  segs.push({ special: "<|message|>" }, { text: content }, { special: end });
  return segs;
}

function harmonyFromMessages(messages: Message[], trace: Trace): Segment[] {
  const segs: Segment[] = [];
  if (!messages.some((m) => m.role === "system")) segs.push(...harmonySystem(trace));
  let lastAssistant = -1;
  messages.forEach((m, i) => {
    if (m.role === "assistant") lastAssistant = i;
  });
  messages.forEach((m, i) => {
    if (m.role === "assistant") {
      if (m.reasoning) segs.push(...harmonyMessage("assistant", "analysis", m.reasoning, "<|end|>"));
      for (const call of m.toolCalls) segs.push(...harmonyMessage("assistant", "analysis to=python code", call.code, "<|call|>"));
      if (m.content) segs.push(...harmonyMessage("assistant", "final", m.content, i === lastAssistant ? "<|return|>" : "<|end|>"));
    } else if (m.role === "tool") {
      segs.push(...harmonyMessage("python to=assistant", "analysis", m.content, "<|end|>"));
    } else {
      segs.push(...harmonyMessage(m.role || "user", null, m.content, "<|end|>"));
    }
  });
  return segs;
}

/** A raw generation: harmony control tokens written in the text become special tokens. */
function harmonyFromText(problem: string, text: string, trace: Trace): Segment[] {
  const segs: Segment[] = [...harmonySystem(trace), ...harmonyMessage("user", null, problem, "<|end|>")];
  if (/<\|(channel|message)\|>/.test(text)) {
    segs.push({ special: "<|start|>" }, { text: "assistant" });
    let last = 0;
    for (const m of text.matchAll(HARMONY_SPECIALS)) {
      if (m.index! > last) segs.push({ text: text.slice(last, m.index) });
      segs.push({ special: m[0] });
      last = m.index! + m[0].length;
    }
    if (last < text.length) segs.push({ text: text.slice(last) });
    const final = segs[segs.length - 1]!;
    if (!("special" in final && (final.special === "<|return|>" || final.special === "<|call|>"))) segs.push({ special: "<|return|>" });
    return segs;
  }
  const cut = text.lastIndexOf("</think>");
  const reasoning = cut >= 0 ? text.slice(0, cut).replace(/^\s*<think>/, "").trim() : "";
  const final = cut >= 0 ? text.slice(cut + "</think>".length).trim() : text;
  if (reasoning) segs.push(...harmonyMessage("assistant", "analysis", reasoning, "<|end|>"));
  segs.push(...harmonyMessage("assistant", "final", final, "<|return|>"));
  return segs;
}

function chatmlTurn(role: string, body: string): Segment[] {
  return [{ special: "<|im_start|>" }, { text: `${role}\n${body}` }, { special: "<|im_end|>" }, { text: "\n" }];
}

function chatmlFromMessages(messages: Message[]): Segment[] {
  const segs: Segment[] = [];
  for (const m of messages) {
    if (m.role === "assistant") {
      let body = m.reasoning ? `<think>\n${m.reasoning}\n</think>\n\n` : "";
      body += m.content;
      for (const call of m.toolCalls) {
        body += `${body ? "\n" : ""}<tool_call>\n{"name": ${JSON.stringify(call.name)}, "arguments": ${call.rawArguments || "{}"}}\n</tool_call>`;
      }
      segs.push(...chatmlTurn("assistant", body));
    } else if (m.role === "tool") {
      segs.push(...chatmlTurn("user", `<tool_response>\n${m.content}\n</tool_response>`));
    } else {
      segs.push(...chatmlTurn(m.role || "user", m.content));
    }
  }
  return segs;
}

function chatmlFromText(problem: string, text: string): Segment[] {
  return [...chatmlTurn("user", problem), ...chatmlTurn("assistant", text)];
}
