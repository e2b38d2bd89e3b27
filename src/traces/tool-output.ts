// Tool outputs as traces record them, so that a fresh run in the sandbox can be compared with the
// recorded one (shared/corpus/trace_formats.md):
// - OpenMath / NeMo-Skills text and harmony: stdout then stderr, as produced (a trailing newline kept);
// - Nemotron-Math-v2 `tool` messages: the same with one trailing "\n" removed (PythonTool.execute).
// Each stream is cut at the sandbox's limit and ends with the literal OUTPUT_CUT when it was.

import type { ToolCall, Trace, TraceFormat } from "../types.js";

export const OUTPUT_CUT = "<output cut>";

export interface ExecutionOutput {
  stdout: string;
  stderr: string;
}

/** The output string a trace of `format` would record for this execution. */
export function renderToolOutput(output: ExecutionOutput, format: TraceFormat): string {
  const joined = output.stdout + output.stderr;
  if (format === "nemotron" && joined.endsWith("\n")) return joined.slice(0, -1);
  return joined;
}

/**
 * A form for comparing outputs across formats and runs: CRLF → LF, trailing spaces of each line
 * and trailing blank lines removed. `<output cut>` is kept as it is.
 */
export function normalizeToolOutput(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n+$/, "");
}

/** The tool calls of a trace with their recorded outputs: code exactly as sent, output exactly as recorded. */
export function recordedToolCalls(trace: Trace): readonly ToolCall[] {
  return trace.toolCalls;
}
