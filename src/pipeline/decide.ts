// The curation rules, one problem at a time (DESIGN.md "Pipeline", docs/pipeline.md "Rules"):
//   1. reference  votes ▸ majority; no reference ▸ fill; reference matched by a vote ▸ keep; else ▸ replace
//   2. trivial    pass rate of the trivial-mode attempts against the final reference > threshold ▸ drop
//   3. keep       a trace stays when its answer matches the final reference
// Inputs are compact: the problem's distinct answers and, per trace, its answer index, setting and sample.
import { tally, type MajorityResult } from "../score/index.js";
import { groupEquivalent, verify } from "../verify/index.js";
import type { ReasoningMode } from "../types.js";
import type { AuditRow } from "./audit.js";

export const MODE_INDEX: Record<ReasoningMode, number> = { high: 0, medium: 1, low: 2, unknown: 3 };
export const MODE_NAMES: readonly ReasoningMode[] = ["high", "medium", "low", "unknown"];

/** Setting code of a trace: mode index × 2 + tool (0 without, 1 with). */
export function settingCode(mode: ReasoningMode, tool: boolean): number {
  return MODE_INDEX[mode] * 2 + (tool ? 1 : 0);
}
export function settingName(code: number): string {
  return `${MODE_NAMES[code >> 1]}/${code & 1 ? "with_tool" : "no_tool"}`;
}

export interface TraceVote {
  /** Index into the problem's distinct answers; -1 when no answer was extracted. */
  answer: number;
  setting: number;
  /** Sample index, -1 when unknown. */
  sample: number;
  /** Position of the row in the inputs (last tie-breaker of the vote order). */
  ordinal: number;
}

/** Pass rate counts of one setting from the dataset's `metadata.reason_{mode}_{with,no}_tool`. */
export interface MetaCount {
  count: number;
  pass: number;
}

export interface ProblemInput {
  id: string;
  /** Reference answer of the input rows (null: none). */
  gold: string | null;
  /** Distinct extracted answers. */
  answers: string[];
  traces: TraceVote[];
  /** metadata counts by setting code (only those the dataset gives). */
  meta: Map<number, MetaCount>;
}

export interface DecideOptions {
  trivialThreshold: number;
  trivialMode: ReasoningMode;
  repairVotes: "high" | "all";
  verifyOptions?: Record<string, unknown>;
}

export type ReferenceOutcome = "kept" | "filled" | "replaced" | "no_votes";
export type TrivialSource = "traces" | "metadata" | "traces+metadata" | "none";

export interface Decision {
  reference: ReferenceOutcome;
  /** The reference the curated rows carry (null only when there was neither reference nor vote). */
  finalReference: string | null;
  trivial: { source: TrivialSource; pass: number; count: number; rate: number | null; dropped: boolean };
  /** Per distinct answer: does it match the final reference? */
  answerCorrect: boolean[];
  /** Problem dropped whole (trivial, or no reference and no vote). */
  dropped: boolean;
  audit: AuditRow[];
}

function isCorrect(gold: string, pred: string, options: DecideOptions): boolean {
  try {
    return verify(gold, pred, options.verifyOptions as never).status === "correct";
  } catch {
    return false; // a comparison the engine cannot make is not a match
  }
}

/** Canonical vote order (independent of the order of input files): no tool before tool, then sample
 * index (unknown last), then input position. The majority tie rule (first member wins) follows it. */
function voteOrder(a: TraceVote, b: TraceVote): number {
  return (a.setting & 1) - (b.setting & 1) || (a.sample < 0 ? 1 : 0) - (b.sample < 0 ? 1 : 0) || a.sample - b.sample || a.ordinal - b.ordinal;
}

export function decideProblem(p: ProblemInput, options: DecideOptions): Decision {
  const audit: AuditRow[] = [];
  // Votes: high-mode attempts (the paper's rule), all attempts when there is no high mode or when asked.
  const high = p.traces.filter((t) => t.setting >> 1 === MODE_INDEX.high);
  const voters = (options.repairVotes === "high" && high.length > 0 ? high : p.traces).slice().sort(voteOrder);
  const voteSource = options.repairVotes === "high" ? (high.length > 0 ? "high" : "all (no high-mode attempts)") : "all";

  // Equivalence classes over the distinct answers, then one vote per voting attempt.
  const classOfAnswer = p.answers.length ? groupEquivalent(p.answers, options.verifyOptions as never) : [];
  const voteAnswers = voters.map((t) => (t.answer >= 0 ? p.answers[t.answer]! : null));
  const voteClasses = voters.map((t) => (t.answer >= 0 ? classOfAnswer[t.answer]! : -1));
  const majority: MajorityResult = tally(voteAnswers, voteClasses);

  // Matches against the original reference, per distinct answer.
  const matchesGold = p.gold === null ? [] : p.answers.map((a) => isCorrect(p.gold!, a, options));
  const goldVotes = p.gold === null ? 0 : voters.filter((t) => t.answer >= 0 && matchesGold[t.answer]).length;

  let reference: ReferenceOutcome;
  let finalReference: string | null;
  if (p.gold === null) {
    reference = majority.answer === null ? "no_votes" : "filled";
    finalReference = majority.answer;
  } else if (goldVotes > 0 || majority.answer === null) {
    reference = "kept";
    finalReference = p.gold;
  } else {
    reference = "replaced";
    finalReference = majority.answer;
  }
  audit.push({
    problem: p.id,
    rule: "reference",
    inputs: {
      reference: p.gold,
      votes: voteSource,
      cast: majority.total,
      no_answer: majority.noAnswer,
      classes: majority.classes.map((c) => ({ answer: c.answer, votes: c.count })),
      majority: majority.answer,
      tie: majority.tie,
      reference_votes: goldVotes,
    },
    outcome:
      reference === "no_votes"
        ? "dropped: no reference and no voting attempt has an answer"
        : reference === "kept"
          ? majority.answer === null && p.gold !== null && goldVotes === 0
            ? "kept (no vote to compare)"
            : "kept"
          : `${reference}: ${finalReference}`,
  });

  const answerCorrect =
    finalReference === null ? p.answers.map(() => false) : finalReference === p.gold ? matchesGold : p.answers.map((a) => isCorrect(finalReference!, a, options));

  // Trivial filter over the trivial-mode settings, each from its traces or else from the metadata.
  const mode = MODE_INDEX[options.trivialMode];
  let pass = 0;
  let count = 0;
  const parts: Record<string, { source: string; pass: number; count: number }> = {};
  const used = new Set<string>();
  for (const tool of [0, 1]) {
    const code = mode * 2 + tool;
    const traces = p.traces.filter((t) => t.setting === code);
    if (traces.length > 0) {
      const ok = traces.filter((t) => t.answer >= 0 && answerCorrect[t.answer]).length;
      parts[settingName(code)] = { source: "traces", pass: ok, count: traces.length };
      pass += ok;
      count += traces.length;
      used.add("traces");
    } else if (p.meta.has(code)) {
      const m = p.meta.get(code)!;
      parts[settingName(code)] = { source: "metadata", pass: m.pass, count: m.count };
      pass += m.pass;
      count += m.count;
      used.add("metadata");
    }
  }
  const source: TrivialSource = used.size === 2 ? "traces+metadata" : used.has("traces") ? "traces" : used.has("metadata") ? "metadata" : "none";
  const rate = count > 0 ? pass / count : null;
  const trivialDropped = reference !== "no_votes" && rate !== null && rate > options.trivialThreshold;
  if (reference !== "no_votes") {
    audit.push({
      problem: p.id,
      rule: "trivial",
      inputs: { mode: options.trivialMode, source, settings: parts, pass, count, rate, threshold: options.trivialThreshold },
      outcome: rate === null ? "kept (no attempts or counts)" : trivialDropped ? "dropped" : "kept",
    });
  }

  const dropped = reference === "no_votes" || trivialDropped;
  if (!dropped) {
    const bySetting: Record<string, { kept: number; dropped: number }> = {};
    for (const t of p.traces) {
      const s = (bySetting[settingName(t.setting)] ??= { kept: 0, dropped: 0 });
      if (t.answer >= 0 && answerCorrect[t.answer]) s.kept++;
      else s.dropped++;
    }
    audit.push({
      problem: p.id,
      rule: "keep_correct",
      inputs: {
        reference: finalReference,
        answers: p.answers.map((a, i) => ({ answer: a, matches: answerCorrect[i] })),
        no_answer: p.traces.filter((t) => t.answer < 0).length,
      },
      outcome: { settings: sortedRecord(bySetting) },
    });
  }
  return { reference, finalReference, trivial: { source, pass, count, rate, dropped: trivialDropped }, answerCorrect, dropped, audit };
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
