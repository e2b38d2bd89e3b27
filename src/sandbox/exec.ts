// Re-running the tool calls recorded in trace dumps: each tool-integrated trace gets a fresh session, its
// calls run in order, and every recorded output is compared with the fresh one rendered the way that
// trace format records outputs (renderToolOutput) and normalized the same way on both sides
// (normalizeToolOutput: line endings, trailing spaces, trailing blank lines). Traces run concurrently;
// results come out in input order.
import { randomUUID } from "node:crypto";
import { normalizeToolOutput, parseTrace, renderToolOutput } from "../traces/index.js";
import type { ReasoningMode, Trace, TraceFormat } from "../types.js";
import type { RunResult } from "./types.js";

/** What re-execution needs from a sandbox (Sandbox satisfies it). */
export interface CellRunner {
  run(code: string, options: { session: string }): Promise<RunResult>;
  closeSession(session: string): void;
}

export interface CallMismatch {
  /** 0-based index of the call in the trace. */
  call: number;
  code: string;
  recorded: string;
  fresh: string;
  status: RunResult["status"];
}

export interface ExecRow {
  file: string;
  line: number;
  problemId: string | null;
  format: TraceFormat | null;
  mode: ReasoningMode | null;
  tool: boolean | null;
  calls: number;
  matched: number;
  mismatched: number;
  /** Calls with no recorded output to compare with. */
  unrecorded: number;
  /** Fresh runs that ended with status "error" / "timeout" (whether or not they matched). */
  errors: number;
  timeouts: number;
  /** Times the session's earlier calls were run again after another trace's call had killed the worker. */
  replays: number;
  mismatches: CallMismatch[];
  /** Set when the row could not be parsed as a trace. */
  invalid?: string;
}

export interface SettingTotals {
  traces: number;
  calls: number;
  matched: number;
  mismatched: number;
  unrecorded: number;
  errors: number;
  timeouts: number;
}

export interface ExecSummary {
  /** Rows read, rows that were not traces, traces without tool calls. */
  rows: number;
  invalid: number;
  withoutToolCalls: number;
  total: SettingTotals;
  /** Per setting, keyed "mode/with_tool" (e.g. "high/with_tool"). */
  settings: Record<string, SettingTotals>;
}

function emptyTotals(): SettingTotals {
  return { traces: 0, calls: 0, matched: 0, mismatched: 0, unrecorded: 0, errors: 0, timeouts: 0 };
}

export function settingKey(row: Pick<ExecRow, "mode" | "tool">): string {
  return `${row.mode ?? "unknown"}/${row.tool ? "with_tool" : "no_tool"}`;
}

/** Re-runs one trace's tool calls in a session of its own. */
export async function reexecuteTrace(runner: CellRunner, trace: Trace, where: { file: string; line: number }, session: string): Promise<ExecRow> {
  const row: ExecRow = {
    file: where.file,
    line: where.line,
    problemId: trace.problemId,
    format: trace.format,
    mode: trace.mode,
    tool: trace.tool,
    calls: trace.toolCalls.length,
    matched: 0,
    mismatched: 0,
    unrecorded: 0,
    errors: 0,
    timeouts: 0,
    replays: 0,
    mismatches: [],
  };
  try {
    let previousKilled = false;
    for (const [i, call] of trace.toolCalls.entries()) {
      let result = await runner.run(call.code, { session });
      // The namespace was lost because another trace's call killed the shared worker: rebuild it by
      // running this trace's earlier calls again, then this one. (A reset after this trace's own killed
      // call is what NeMo-Skills does too: its shell restarts. That one is kept.)
      if (result.sessionReset && !previousKilled) {
        row.replays += 1;
        for (const earlier of trace.toolCalls.slice(0, i)) await runner.run(earlier.code, { session });
        result = await runner.run(call.code, { session });
      }
      previousKilled = result.status === "timeout" && result.stdout === "" && result.stderr.startsWith("Execution timed out after");
      if (result.status === "error") row.errors += 1;
      if (result.status === "timeout") row.timeouts += 1;
      if (call.output === null) {
        row.unrecorded += 1;
        continue;
      }
      const fresh = renderToolOutput({ stdout: result.stdout, stderr: result.stderr }, trace.format);
      if (normalizeToolOutput(fresh) === normalizeToolOutput(call.output)) row.matched += 1;
      else {
        row.mismatched += 1;
        row.mismatches.push({ call: i, code: call.code, recorded: call.output, fresh, status: result.status });
      }
    }
  } finally {
    runner.closeSession(session);
  }
  return row;
}

export interface ExecInput {
  file: string;
  line: number;
  /** The row's JSON text. */
  text: string;
}

export interface ReexecuteOptions {
  /** Traces re-run at the same time (each in its own session). Default 4. */
  concurrency?: number;
  format?: TraceFormat;
  mode?: ReasoningMode;
  /** Called with each result row, in input order. */
  onRow: (row: ExecRow) => Promise<void> | void;
}

/**
 * Re-runs the tool calls of every trace of `rows` (rows without tool calls are counted, not re-run; rows
 * that are not traces give an `invalid` result row). Returns the summary per setting.
 */
export async function reexecute(runner: CellRunner, rows: AsyncIterable<ExecInput>, options: ReexecuteOptions): Promise<ExecSummary> {
  const summary: ExecSummary = { rows: 0, invalid: 0, withoutToolCalls: 0, total: emptyTotals(), settings: {} };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  // Results are written in input order: a window of in-flight traces, drained from the front.
  const window: Array<Promise<ExecRow | null>> = [];
  let sequence = 0;
  const run = randomUUID(); // session names of this run cannot collide with another run on the same sandbox
  const emit = async (row: ExecRow | null) => {
    if (row === null) return;
    if (row.invalid === undefined) {
      for (const totals of [summary.total, (summary.settings[settingKey(row)] ??= emptyTotals())]) {
        totals.traces += 1;
        totals.calls += row.calls;
        totals.matched += row.matched;
        totals.mismatched += row.mismatched;
        totals.unrecorded += row.unrecorded;
        totals.errors += row.errors;
        totals.timeouts += row.timeouts;
      }
    }
    await options.onRow(row);
  };
  for await (const input of rows) {
    summary.rows += 1;
    let value: unknown;
    try {
      value = JSON.parse(input.text);
    } catch (err) {
      summary.invalid += 1;
      window.push(Promise.resolve(invalidRow(input, `invalid JSON: ${(err as Error).message}`)));
      value = undefined;
    }
    if (value !== undefined) {
      const parsed = parseTrace(value, { fileName: input.file, lineNumber: input.line, format: options.format, mode: options.mode });
      if (!parsed.ok) {
        summary.invalid += 1;
        window.push(Promise.resolve(invalidRow(input, parsed.reason, parsed.problemId ?? null)));
      } else if (parsed.trace.toolCalls.length === 0) {
        summary.withoutToolCalls += 1;
      } else {
        window.push(reexecuteTrace(runner, parsed.trace, input, `exec:${run}:${sequence++}`));
      }
    }
    while (window.length >= concurrency) await emit(await window.shift()!);
  }
  while (window.length > 0) await emit(await window.shift()!);
  return summary;
}

function invalidRow(input: ExecInput, reason: string, problemId: string | null = null): ExecRow {
  return {
    file: input.file,
    line: input.line,
    problemId,
    format: null,
    mode: null,
    tool: null,
    calls: 0,
    matched: 0,
    mismatched: 0,
    unrecorded: 0,
    errors: 0,
    timeouts: 0,
    replays: 0,
    mismatches: [],
    invalid: reason,
  };
}
