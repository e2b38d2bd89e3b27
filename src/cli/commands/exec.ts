// veritrace exec: re-run the tool calls recorded in trace dumps in the sandbox and compare outputs.
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { lineBounds, readLineBatches, TextSink, InputFileError } from "../../io/index.js";
import { Sandbox } from "../../sandbox/index.js";
import { reexecute, type ExecInput, type ExecSummary, type SettingTotals } from "../../sandbox/exec.js";
import type { ReasoningMode, TraceFormat } from "../../types.js";
import { progressBar } from "../progress.js";
import { InputError, parseCommandArgs, parsePositiveNumber, runCommand, UsageError, writeJson } from "../util.js";

export const summary = "re-run recorded tool calls in the sandbox and compare outputs";

export const usage = `usage: veritrace exec <files...> [options]

Re-runs the Python tool calls of every tool-integrated trace of JSONL dumps (.jsonl or .jsonl.gz;
formats detected per row) in the Pyodide sandbox: each trace in a fresh session, its calls in order.
Every recorded output is compared with the fresh one, rendered as that trace format records outputs
and normalized alike (line endings, trailing spaces and blank lines). Writes one row per trace
(calls, matched, mismatched with both outputs, errors, timeouts) and prints a table per setting
(reasoning mode x tool use); --json prints the summary instead.

options:
  --out <file>              result rows (JSONL), one per trace with tool calls, in input order
  --workers <n>             sandbox interpreters (default: ${Math.max(1, availableParallelism())})
  --timeout <seconds>       per-call time limit (default 10, as NeMo-Skills)
  --max-output-chars <n>    per-stream output cut (default 1000, as NeMo-Skills)
  --format <f>              force a trace format: nemotron, nemo-skills, harmony, openmath, generic
  --mode <m>                reasoning mode for rows that do not say: high, medium, low
  --json                    print the summary JSON on stdout instead of the table
  -h, --help                this help

exit codes: 0 the run completed (mismatches are results), 1 the run failed (e.g. the sandbox could not
start), 2 usage error or unreadable input.

examples:
  veritrace exec examples/nemotron-math-v2/high.part_00.jsonl.gz --out exec.jsonl
  veritrace exec output-rs*.jsonl --workers 2 --timeout 10 --json
`;

const FORMATS: TraceFormat[] = ["nemotron", "nemo-skills", "harmony", "openmath", "generic"];
const MODES: ReasoningMode[] = ["high", "medium", "low"];

async function* readRows(files: string[], onRead: (bytes: number) => void): AsyncGenerator<ExecInput> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for (const file of files) {
    try {
      for await (const batch of readLineBatches(file, { onRead })) {
        for (let i = 0; i < batch.ends.length; i++) {
          const [start, end] = lineBounds(batch, i);
          const text = decoder.decode(batch.bytes.subarray(start, end));
          if (text.trim() === "" && !batch.oversized.includes(i)) continue;
          yield { file, line: batch.firstLine + i, text: batch.oversized.includes(i) ? "<line too long>" : text };
        }
      }
    } catch (err) {
      if (err instanceof InputFileError) throw new InputError(err.file, err.line, err.detail);
      throw err;
    }
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reported as unreadable when it is read
  }
}

function table(s: ExecSummary): string {
  const head = ["setting", "traces", "calls", "matched", "mismatched", "unrecorded", "errors", "timeouts", "match %"];
  const line = (name: string, t: SettingTotals) => {
    const compared = t.matched + t.mismatched;
    const pct = compared === 0 ? "-" : ((100 * t.matched) / compared).toFixed(1);
    return [name, t.traces, t.calls, t.matched, t.mismatched, t.unrecorded, t.errors, t.timeouts, pct].map(String);
  };
  const rows = [head, ...Object.keys(s.settings).sort().map((k) => line(k, s.settings[k])), line("all", s.total)];
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const fmt = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  const notes = `${s.rows} rows read, ${s.withoutToolCalls} without tool calls, ${s.invalid} not traces`;
  return [fmt(rows[0]), ...rows.slice(1).map(fmt), notes].join("\n") + "\n";
}

export async function run(argv: string[]): Promise<number> {
  return runCommand("exec", async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: "string" },
      workers: { type: "string" },
      timeout: { type: "string" },
      "max-output-chars": { type: "string" },
      format: { type: "string" },
      mode: { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length === 0) throw new UsageError("no input files");
    const workers = values.workers === undefined ? Math.max(1, availableParallelism()) : Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: '${values.workers}' is not a positive integer`);
    const timeoutMs = values.timeout === undefined ? 10_000 : parsePositiveNumber("timeout", values.timeout) * 1000;
    const maxOutputChars = values["max-output-chars"] === undefined ? 1000 : Number(values["max-output-chars"]);
    if (!Number.isInteger(maxOutputChars) || maxOutputChars < 0) throw new UsageError(`--max-output-chars: '${values["max-output-chars"]}' is not a non-negative integer`);
    const format = values.format as TraceFormat | undefined;
    if (format !== undefined && !FORMATS.includes(format)) throw new UsageError(`--format: '${format}' is not one of ${FORMATS.join(", ")}`);
    const mode = values.mode as ReasoningMode | undefined;
    if (mode !== undefined && !MODES.includes(mode)) throw new UsageError(`--mode: '${mode}' is not one of ${MODES.join(", ")}`);

    const sink = values.out ? new TextSink(values.out) : null;
    const sandbox = await Sandbox.start({ workers, timeoutMs, maxOutputChars, onWarning: (m) => process.stderr.write(`veritrace exec: ${m}\n`) });
    // Progress (stderr, only on a terminal): input bytes read and traces re-run.
    const bar = progressBar();
    const progress = { bytesRead: 0, bytesTotal: positionals.reduce((sum, f) => sum + fileSize(f), 0), rows: 0 };
    let result: ExecSummary;
    try {
      result = await reexecute(sandbox, readRows(positionals, (n) => (progress.bytesRead += n)), {
        concurrency: workers * 2,
        format,
        mode,
        onRow: async (row) => {
          progress.rows += 1;
          bar.update(progress);
          if (sink) await sink.write(JSON.stringify(row) + "\n");
        },
      });
    } finally {
      bar.done();
      await sandbox.close();
      await sink?.close();
    }
    if (values.json) writeJson(result);
    else process.stdout.write(table(result));
    return 0;
  });
}
