// The curation filter over trace dumps (DESIGN.md "Pipeline", docs/pipeline.md). A problem's traces may be
// spread over several files (high.jsonl, medium.jsonl, low.jsonl), so it runs in two passes:
//   pass 1  parse ▸ extract each trace's answer (scan.ts; in worker threads when asked); keep per problem
//           its distinct answers, reference and metadata counts, and per trace 17 bytes (problem, answer,
//           setting, sample, list link)
//   decide  per problem: reference repair ▸ trivial filter ▸ keep-correct (src/pipeline/decide.ts);
//           one audit row per decision; per trace a "kept" byte
//   pass 2  stream the inputs again and write the kept rows, unchanged but for the reference fields
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { ReasoningMode } from "../types.js";
import { AuditWriter } from "./audit.js";
import { Column } from "./columns.js";
import { decideProblem, MODE_NAMES, settingName, type Decision, type DecideOptions, type MetaCount, type ReferenceOutcome, type TrivialSource } from "./decide.js";
import { toSource, type JsonlSource } from "./jsonl.js";
import { scanBatch, type ScanBatch, type ScannedRow, type ScanSettings } from "./scan.js";
import { batchRunner, inOrder, lineBatches } from "./workers.js";
import { LineSink } from "./sink.js";

export interface FilterOptions {
  /** Curated JSONL path (null: decide and count only). */
  out: string | null;
  /** Audit JSONL path (null: none). */
  audit: string | null;
  /** Drop a problem whose trivial-mode pass rate is above this (default 0.8). */
  trivialThreshold?: number;
  /** Mode whose attempts measure triviality (default "low"). */
  trivialMode?: ReasoningMode;
  /** Votes for answer repair: high-mode attempts (default; all when a problem has none) or all. */
  repairVotes?: "high" | "all";
  /** Mode of rows whose row and file name do not say. */
  mode?: ReasoningMode;
  verifyOptions?: Record<string, unknown>;
  /** Also take answers from the loose fallbacks (last math span / last number). Default false: a trace
   * that never boxes or states its answer neither votes nor stays in the curated data. */
  looseExtraction?: boolean;
  /** Worker threads for pass 1 (parse, extract); 0 (default) scans in the calling thread. */
  threads?: number;
  onProgress?: (pass: 1 | 2, rows: number) => void;
}

export interface SettingCounts {
  in: number;
  kept: number;
}

export interface FilterSummary {
  options: { trivialThreshold: number; trivialMode: ReasoningMode; repairVotes: "high" | "all" };
  rows: { read: number; invalid: number };
  problems: {
    in: number;
    droppedTrivial: number;
    droppedNoVotes: number;
    referenceFilled: number;
    referenceKept: number;
    referenceReplaced: number;
    /** Problems with at least one trace in the curated output. */
    curated: number;
  };
  /** Where each problem's trivial pass rate came from. */
  trivialSource: Record<TrivialSource, number>;
  traces: { in: number; kept: number; bySetting: Record<string, SettingCounts> };
}

interface ProblemState {
  id: string;
  gold: string | null;
  conflictingReferences: number;
  answers: string[];
  answerIndex: Map<string, number>;
  meta: Map<number, MetaCount>;
  first: number;
  last: number;
  // After the decision:
  finalReference?: string | null;
  original?: string | null;
  changed?: boolean;
}

export async function filterProblems(inputs: ReadonlyArray<string | JsonlSource>, options: FilterOptions): Promise<FilterSummary> {
  const decideOptions: DecideOptions = {
    trivialThreshold: options.trivialThreshold ?? 0.8,
    trivialMode: options.trivialMode ?? "low",
    repairVotes: options.repairVotes ?? "high",
    verifyOptions: options.verifyOptions,
  };
  if (!(decideOptions.trivialThreshold >= 0 && decideOptions.trivialThreshold <= 1)) {
    throw new Error(`trivial threshold must be in [0, 1], got ${decideOptions.trivialThreshold}`);
  }
  const sources = inputs.map(toSource);
  for (const path of [options.out, options.audit]) if (path !== null) mkdirSync(dirname(path), { recursive: true });
  const audit = new AuditWriter(options.audit);
  const summary: FilterSummary = {
    options: { trivialThreshold: decideOptions.trivialThreshold, trivialMode: decideOptions.trivialMode, repairVotes: decideOptions.repairVotes },
    rows: { read: 0, invalid: 0 },
    problems: { in: 0, droppedTrivial: 0, droppedNoVotes: 0, referenceFilled: 0, referenceKept: 0, referenceReplaced: 0, curated: 0 },
    trivialSource: { traces: 0, metadata: 0, "traces+metadata": 0, none: 0 },
    traces: { in: 0, kept: 0, bySetting: {} },
  };

  try {
    // Pass 1: per trace, its problem, answer, setting and sample; per problem, what the rules need.
    const problems: ProblemState[] = [];
    const byId = new Map<string, number>();
    const traceProblem = new Column(Int32Array); // -1: invalid row
    const traceAnswer = new Column(Int32Array);
    const traceSetting = new Column(Uint8Array);
    const traceSample = new Column(Int32Array);
    const traceNext = new Column(Int32Array);
    const scanSettings: ScanSettings = { trivialMode: decideOptions.trivialMode, mode: options.mode, looseExtraction: options.looseExtraction ?? false };
    const runner = batchRunner<ScanBatch, ScannedRow[]>("filter-worker", scanBatch, options.threads ?? 0);
    try {
      const withSettings = async function* () {
        for await (const batch of lineBatches(sources)) yield { ...batch, settings: scanSettings };
      };
      for await (const { batch, result } of inOrder(withSettings(), runner.run, runner.concurrency)) {
        for (let i = 0; i < result.length; i++) {
          const scanned = result[i]!;
          const ordinal = summary.rows.read++;
          if (!scanned.ok) {
            summary.rows.invalid++;
            for (const col of [traceProblem, traceAnswer, traceSample, traceNext]) col.push(-1);
            traceSetting.push(0);
            const line = batch.lines[i]!.lineNumber;
            await audit.write({ problem: scanned.problemId, rule: "invalid_input", inputs: { file: batch.source, line }, outcome: `skipped: ${scanned.reason}` });
            continue;
          }
          let pi = byId.get(scanned.problemId);
          if (pi === undefined) {
            pi = problems.length;
            byId.set(scanned.problemId, pi);
            problems.push({ id: scanned.problemId, gold: null, conflictingReferences: 0, answers: [], answerIndex: new Map(), meta: new Map(), first: ordinal, last: ordinal });
          } else {
            traceNext.set(problems[pi]!.last, ordinal);
            problems[pi]!.last = ordinal;
          }
          const p = problems[pi]!;
          if (scanned.gold !== null) {
            if (p.gold === null) p.gold = scanned.gold;
            else if (p.gold !== scanned.gold) p.conflictingReferences++;
          }
          for (const [code, counts] of scanned.meta) if (!p.meta.has(code)) p.meta.set(code, counts);
          let ai = -1;
          if (scanned.answer !== null) {
            ai = p.answerIndex.get(scanned.answer) ?? -1;
            if (ai < 0) {
              ai = p.answers.length;
              p.answers.push(scanned.answer);
              p.answerIndex.set(scanned.answer, ai);
            }
          }
          traceProblem.push(pi);
          traceAnswer.push(ai);
          traceSetting.push(scanned.setting);
          traceSample.push(scanned.sample);
          traceNext.push(-1);
        }
        options.onProgress?.(1, summary.rows.read);
      }
    } finally {
      await runner.close();
    }

    // Decide, problem by problem (first-seen order), and mark the kept traces.
    const kept = new Uint8Array(summary.rows.read);
    for (const p of problems) {
      const traces = [];
      for (let t = p.first; t >= 0; t = traceNext.get(t)) {
        traces.push({ answer: traceAnswer.get(t), setting: traceSetting.get(t), sample: traceSample.get(t), ordinal: t });
      }
      const decision = decideProblem({ id: p.id, gold: p.gold, answers: p.answers, traces, meta: p.meta }, decideOptions);
      if (p.conflictingReferences > 0) {
        (decision.audit[0]!.inputs as Record<string, unknown>).conflicting_references = p.conflictingReferences;
      }
      for (const row of decision.audit) await audit.write(row);
      count(summary, decision, traces.length);
      let any = false;
      for (const t of traces) {
        const setting = (summary.traces.bySetting[settingName(t.setting)] ??= { in: 0, kept: 0 });
        setting.in++;
        if (!decision.dropped && t.answer >= 0 && decision.answerCorrect[t.answer]) {
          kept[t.ordinal] = 1;
          setting.kept++;
          summary.traces.kept++;
          any = true;
        }
      }
      if (any) summary.problems.curated++;
      p.finalReference = decision.finalReference;
      p.original = decision.reference === "filled" ? null : p.gold;
      p.changed = decision.reference === "replaced";
      // The answers are no longer needed: free them before pass 2.
      p.answers = [];
      p.answerIndex.clear();
      p.meta.clear();
    }
    summary.traces.bySetting = Object.fromEntries(Object.entries(summary.traces.bySetting).sort(([a], [b]) => (a < b ? -1 : 1)));

    // Pass 2: the kept rows, in input order.
    if (options.out !== null) {
      const out = new LineSink(options.out);
      let ordinal = 0;
      try {
        for (const source of sources) {
          for await (const line of source.lines()) {
            if (line.text.trim() === "" && !line.tooLong) continue;
            options.onProgress?.(2, ordinal + 1);
            if (ordinal < kept.length && kept[ordinal]) {
              const p = problems[traceProblem.get(ordinal)]!;
              const mode = MODE_NAMES[traceSetting.get(ordinal) >> 1]!;
              await out.writeLine(withReference(line.text, p.finalReference!, p.original ?? null, p.changed ?? false, mode));
            }
            ordinal++;
          }
        }
        if (ordinal !== summary.rows.read) throw new Error(`inputs changed between the two passes (${summary.rows.read} rows, then ${ordinal})`);
      } finally {
        await out.close();
      }
    }
    await audit.write({ problem: null, rule: "summary", inputs: { options: summary.options, rows: summary.rows }, outcome: { problems: summary.problems, trivialSource: summary.trivialSource, traces: summary.traces } });
    return summary;
  } finally {
    await audit.close();
  }
}

function count(summary: FilterSummary, d: Decision, traces: number): void {
  const p = summary.problems;
  p.in++;
  summary.traces.in += traces;
  const byOutcome: Record<ReferenceOutcome, () => void> = {
    kept: () => p.referenceKept++,
    filled: () => p.referenceFilled++,
    replaced: () => p.referenceReplaced++,
    no_votes: () => p.droppedNoVotes++,
  };
  byOutcome[d.reference]();
  if (d.reference !== "no_votes") summary.trivialSource[d.trivial.source]++;
  if (d.trivial.dropped) p.droppedTrivial++;
}





/** Fields in which a row states its own reasoning mode (as src/traces reads them). */
const MODE_FIELDS = ["mode", "reasoning_effort", "reasoning_mode"];

function statesMode(row: Record<string, unknown>): boolean {
  const meta = row.metadata && typeof row.metadata === "object" ? (row.metadata as Record<string, unknown>) : {};
  return MODE_FIELDS.some((f) => typeof row[f] === "string" || typeof meta[f] === "string");
}

/**
 * The curated row: the input row with the final reference fields. When the mode came from the input's
 * file name (high.jsonl, ...) and not from the row, `reasoning_effort` is added, since the curated file
 * mixes the modes and would otherwise lose them. A row that already holds these values keeps its bytes.
 */
export function withReference(text: string, reference: string, original: string | null, changed: boolean, mode: ReasoningMode = "unknown"): string {
  const parsed = JSON.parse(text) as unknown;
  // A raw harmony string row cannot carry fields: it becomes {"text": …} (a harmony row src/traces reads).
  const row = (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { text: parsed }) as Record<string, unknown>;
  const addMode = mode !== "unknown" && !statesMode(row);
  const same =
    row === parsed &&
    !addMode &&
    row.expected_answer === reference &&
    row.original_expected_answer === original &&
    row.changed_answer_to_majority === changed &&
    (!("gold" in row) || row.gold === reference);
  if (same) return text;
  row.expected_answer = reference;
  row.original_expected_answer = original;
  row.changed_answer_to_majority = changed;
  if (typeof row.gold === "string" || ("gold" in row && row.gold === null)) row.gold = reference; // generic rows
  if (addMode) row.reasoning_effort = mode;
  return JSON.stringify(row);
}


