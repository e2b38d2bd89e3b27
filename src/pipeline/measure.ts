// Pass 1 of `bucketize` for a batch of lines: parse ▸ render as trained ▸ count tokens ▸ draw key. Runs
// in the calling thread or in a worker (bucket-worker.ts); results depend only on the lines, so the
// thread count never changes the output.
import { parseTrace } from "../traces/index.js";
import type { ReasoningMode } from "../types.js";
import { countSegments, loadTokenizer } from "../tokenize/index.js";
import { drawKey, MODES } from "./plan.js";
import { renderTrace, type Template } from "./render.js";
import type { LineBatch } from "./workers.js";

export interface MeasureSettings {
  tokenizer: string;
  template: Template;
  seed: number;
  /** Mode of rows whose row and file name do not say. */
  mode?: ReasoningMode;
}

export interface MeasureBatch extends LineBatch {
  settings: MeasureSettings;
}

export interface MeasureResult {
  /** Per line: token count, or -1 for an invalid row. */
  tokens: number[];
  /** Per line: index into MODES. */
  modes: number[];
  /** Per line: draw key in [0, 1) (1 for an invalid row). */
  keys: number[];
  /** Invalid rows: index in the batch, problem id when known, reason. */
  invalid: Array<{ index: number; problem: string | null; reason: string }>;
}

export async function measureBatch(batch: MeasureBatch): Promise<MeasureResult> {
  const { settings } = batch;
  const counter = await loadTokenizer(settings.tokenizer);
  const result: MeasureResult = { tokens: [], modes: [], keys: [], invalid: [] };
  batch.lines.forEach((line, index) => {
    const fail = (reason: string, problem: string | null = null) => {
      result.tokens.push(-1);
      result.modes.push(MODES.indexOf("unknown"));
      result.keys.push(1);
      result.invalid.push({ index, problem, reason });
    };
    if (line.tooLong) return fail(`line of ${line.tooLong} bytes is longer than the line cap`);
    let row: unknown;
    try {
      row = JSON.parse(line.text);
    } catch (err: any) {
      return fail(`not JSON: ${err?.message ?? err}`);
    }
    const parsed = parseTrace(row, { fileName: batch.fileName, lineNumber: line.lineNumber, mode: settings.mode });
    if (!parsed.ok) return fail(parsed.reason, parsed.problemId ?? null);
    result.tokens.push(countSegments(counter, renderTrace(row, parsed.trace, settings.template)));
    result.modes.push(MODES.indexOf(parsed.trace.mode));
    result.keys.push(drawKey(settings.seed, line.text));
  });
  return result;
}
