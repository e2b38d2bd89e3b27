// Pass 1 of `filterProblems` for a batch of lines: parse ▸ extract the answer ▸ read the reference and the
// metadata counts. Runs in the calling thread or in a worker (filter-worker.ts); the result depends only on
// the lines, so the thread count never changes the output.
import { extractAnswer, isPureMath } from "../extract/index.js";
import { parseTrace } from "../traces/index.js";
import type { ReasoningMode } from "../types.js";
import { settingCode, type MetaCount } from "./decide.js";
import type { LineBatch } from "./workers.js";

export interface ScanSettings {
  /** Mode whose metadata counts are read (the trivial mode). */
  trivialMode: ReasoningMode;
  /** Mode of rows whose row and file name do not say. */
  mode?: ReasoningMode;
  looseExtraction: boolean;
}

export interface ScanBatch extends LineBatch {
  settings: ScanSettings;
}

/** One row as the rules need it. */
export type ScannedRow =
  | {
      ok: true;
      problemId: string;
      gold: string | null;
      setting: number;
      sample: number;
      answer: string | null;
      /** metadata.reason_{trivialMode}_{no,with}_tool as [settingCode, counts]. */
      meta: Array<[number, MetaCount]>;
    }
  | { ok: false; problemId: string | null; reason: string };

export async function scanBatch(batch: ScanBatch): Promise<ScannedRow[]> {
  return batch.lines.map((line) => scanLine(line.text, line.tooLong, batch.fileName, line.lineNumber, batch.settings));
}

function scanLine(text: string, tooLong: number | undefined, fileName: string, lineNumber: number, settings: ScanSettings): ScannedRow {
  if (tooLong) return { ok: false, problemId: null, reason: `line of ${tooLong} bytes is longer than the line cap` };
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err: any) {
    return { ok: false, problemId: null, reason: `not JSON: ${err?.message ?? err}` };
  }
  const parsed = parseTrace(row, { fileName, lineNumber, mode: settings.mode });
  if (!parsed.ok) return { ok: false, problemId: parsed.problemId ?? null, reason: parsed.reason };
  const trace = parsed.trace;
  return {
    ok: true,
    problemId: trace.problemId,
    gold: trace.gold,
    setting: settingCode(trace.mode, trace.tool),
    sample: trace.sample ?? -1,
    answer: answerOf(trace.finalText, settings.looseExtraction),
    meta: readMetadata(row, settings.trivialMode),
  };
}

function answerOf(finalText: string, loose: boolean): string | null {
  try {
    const found = extractAnswer(finalText, { loose });
    // A final part that is a short sentence ("I could not finish.") is not a bare answer; "12" is.
    if (found.rule === "bare" && !loose && !isPureMath(finalText)) return null;
    return found.answer;
  } catch {
    return null;
  }
}

/** `metadata.reason_{mode}_{with,no}_tool: {count, pass}` of Nemotron-Math-v2 rows. */
function readMetadata(row: unknown, mode: ReasoningMode): Array<[number, MetaCount]> {
  const meta = row && typeof row === "object" ? (row as Record<string, unknown>).metadata : null;
  if (!meta || typeof meta !== "object") return [];
  const out: Array<[number, MetaCount]> = [];
  for (const tool of [false, true]) {
    const entry = (meta as Record<string, any>)[`reason_${mode}_${tool ? "with" : "no"}_tool`];
    const count = Number(entry?.count);
    let pass = Number(entry?.pass);
    if (!Number.isFinite(pass) && Number.isFinite(Number(entry?.accuracy))) pass = Math.round(Number(entry.accuracy) * count);
    if (Number.isInteger(count) && count > 0 && Number.isInteger(pass) && pass >= 0 && pass <= count) out.push([settingCode(mode, tool), { count, pass }]);
  }
  return out;
}
