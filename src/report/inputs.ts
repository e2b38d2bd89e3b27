// Reads the outputs of grade (summary.json), bucket (plan.json) and filter/bucket (audit.jsonl) into a
// ReportModel. The files are untrusted: each is checked against the fields the report uses (zod), and a
// mismatch is a ReportInputError that names the file, the line (JSONL) and the field.
import { z } from "zod";
import type { AuditSection, KCurve, LengthSection, ModeLengths, PassRates, ReportModel, SettingRow } from "./model.js";
import { shortTokens } from "./format.js";
import { InputFileError } from "../io/errors.js";
import { readSummary } from "../score/summary-stream.js";

export class ReportInputError extends Error {
  override name = "ReportInputError";
  constructor(
    readonly role: "summary" | "plan" | "audit",
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(detail);
  }
}

// --- summary.json (src/score/summary.ts, format veritrace-summary/1) ---------------------------------

const rate = z.number().min(0).max(1).nullable();
const count = z.number().int().nonnegative();
const kKey = z.string().regex(/^[1-9][0-9]*$/, "k must be a positive integer");

const settingSummary = z.object({
  problems: count,
  traces: count,
  "pass@1": rate,
  "pass@k": z.record(kKey, z.object({ value: z.number().min(0).max(1), problems: count })),
  "maj@k": z.record(kKey, z.object({ value: z.number().min(0).max(1), problems: count })),
  no_answer: rate,
  k: z.number().int().positive().nullable(),
});

const summaryHead = z.object({
  format: z.literal("veritrace-summary/1", { error: "not a veritrace summary (format veritrace-summary/1)" }),
  totals: z.record(z.string(), count).optional(),
  settings: z.record(z.string(), settingSummary),
  problems: z.array(z.unknown()),
});

/** What the report keeps of a summary: the per-setting figures, and per-problem pass rates per setting. */
export interface SummaryInput {
  totals?: Record<string, number>;
  settings: Record<string, z.infer<typeof settingSummary>>;
  problemCount: number;
  /** Per setting: each problem's c/n (problems with attempts there), and n when all problems share it. */
  passRates: Map<string, { rates: number[]; samples: number | null }>;
}

// --- plan.json (src/pipeline/bucket.ts BucketPlan) ------------------------------------------------------

const modeLoad = z.object({ traces: count, tokens: count });
const planSchema = z.object({
  tokenizer: z.string(),
  edges: z.array(z.number().int().positive()).min(1),
  rows: z.object({ read: count, traces: count, invalid: count, overLength: count }),
  stages: z.array(
    z.object({
      stage: z.number().int().positive(),
      maxTokens: z.number().int().positive(),
      traces: count,
      tokens: count,
      byMode: z.record(z.string(), modeLoad),
      mixedIn: z.record(z.string(), modeLoad.extend({ share: z.number() })).optional(),
    }),
  ),
  cost: z.object({ ratio: z.object({ paddedTokens: z.number(), attention: z.number() }) }).optional(),
  warnings: z.array(z.string()).optional(),
});

export type PlanInput = z.infer<typeof planSchema>;

// --- audit.jsonl (src/pipeline/audit.ts AuditRow) ------------------------------------------------------

const auditRow = z.object({
  problem: z.string().nullable(),
  rule: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  outcome: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Checks a summary (parsed whole) and keeps what the report uses. */
export function parseSummary(value: unknown): SummaryInput {
  const r = summaryHead.safeParse(value);
  if (!r.success) throw new ReportInputError("summary", null, describe(r.error));
  const tally = new PassRateTally();
  r.data.problems.forEach((p, i) => tally.add(p, i));
  return { totals: r.data.totals, settings: r.data.settings, problemCount: r.data.problems.length, passRates: tally.rates };
}

/**
 * Reads a summary file problem by problem (readSummary), so that a summary of hundreds of thousands of
 * problems, larger than any one string can be, is read in little memory.
 */
export async function readSummaryInput(file: string): Promise<SummaryInput> {
  let reader;
  try {
    reader = await readSummary(file);
  } catch (err) {
    if (err instanceof InputFileError) throw new ReportInputError("summary", err.line, err.detail);
    throw err;
  }
  const r = summaryHead.safeParse({ ...reader.head, problems: [] });
  if (!r.success) throw new ReportInputError("summary", null, describe(r.error));
  const tally = new PassRateTally();
  let count = 0;
  try {
    for await (const p of reader.problems) tally.add(p, count++);
  } catch (err) {
    if (err instanceof InputFileError) throw new ReportInputError("summary", err.line, err.detail);
    throw err;
  }
  return { totals: r.data.totals, settings: r.data.settings, problemCount: count, passRates: tally.rates };
}

/** Per setting, each problem's c/n, checked as it comes. */
class PassRateTally {
  readonly rates = new Map<string, { rates: number[]; samples: number | null }>();

  add(p: unknown, i: number): void {
    const settings = isRecord(p) ? p.settings : undefined;
    if (!isRecord(settings)) throw new ReportInputError("summary", null, `problems.${i}.settings: expected an object`);
    for (const [setting, g] of Object.entries(settings)) {
      const at = `problems.${i}.settings.${setting}`;
      if (!isRecord(g)) throw new ReportInputError("summary", null, `${at}: expected an object`);
      const { n, "pass@1": rate } = g;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new ReportInputError("summary", null, `${at}.n: expected a non-negative integer`);
      if (n === 0) continue;
      if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) throw new ReportInputError("summary", null, `${at}.pass@1: expected a number in [0, 1]`);
      let entry = this.rates.get(setting);
      if (!entry) this.rates.set(setting, (entry = { rates: [], samples: n }));
      entry.rates.push(rate);
      if (entry.samples !== n) entry.samples = null;
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parsePlan(value: unknown): PlanInput {
  const r = planSchema.safeParse(value);
  if (!r.success) throw new ReportInputError("plan", null, describe(r.error));
  const edges = r.data.edges;
  if (edges.some((e, i) => i > 0 && e <= edges[i - 1])) throw new ReportInputError("plan", null, "edges: not ascending");
  return r.data;
}

/** Outcome groups kept apart in the audit table; the rest is summed as "other outcomes". */
const MAX_AUDIT_GROUPS = 24;

// Shapes of the filter's rows that the report reads more closely (src/pipeline/decide.ts, filter.ts).
// A row of the general AuditRow shape that does not match them is still counted as a decision.
const keepCorrectOutcome = z.object({ settings: z.record(z.string(), z.object({ kept: count, dropped: count })) });
const trivialInputs = z.object({ rate: z.number().min(0).max(1), count: count, threshold: z.number().min(0).max(1) });
const filterSummaryOutcome = z.object({
  problems: z.object({
    in: count,
    droppedTrivial: count,
    droppedNoVotes: count,
    referenceFilled: count,
    referenceKept: count,
    referenceReplaced: count,
    curated: count,
  }),
  traces: z.object({ in: count, kept: count }),
});

/**
 * Reads audit rows one at a time (an audit file can be large): decisions counted by rule and outcome,
 * outcomes grouped by their leading word(s) ("replaced: 12" and "replaced: 7" are both "replaced"); the
 * filter's keep_correct rows summed per setting, its trivial rows' pass rates kept for a histogram, and
 * its closing summary row used for the headline counts.
 */
export class AuditTally {
  private readonly groups = new Map<string, { rule: string; outcome: string; count: number }>();
  private readonly problems = new Set<string>();
  private readonly kept = new Map<string, { kept: number; dropped: number }>();
  private readonly trivialRates: number[] = [];
  private trivialSamples: number | null | undefined = undefined;
  private threshold: number | null = null;
  private filterSummary: z.infer<typeof filterSummaryOutcome> | null = null;
  rows = 0;

  add(value: unknown, line: number): void {
    const r = auditRow.safeParse(value);
    if (!r.success) throw new ReportInputError("audit", line, describe(r.error));
    const row = r.data;
    this.rows++;
    if (row.rule === "summary") {
      const summary = filterSummaryOutcome.safeParse(row.outcome);
      if (summary.success) return void (this.filterSummary = summary.data);
    }
    if (row.problem !== null) this.problems.add(row.problem);
    let outcome = outcomeGroup(row.outcome);
    if (row.rule === "keep_correct") {
      const k = keepCorrectOutcome.safeParse(row.outcome);
      if (k.success) {
        outcome = "traces sorted";
        for (const [setting, c] of Object.entries(k.data.settings)) {
          const acc = this.kept.get(setting) ?? { kept: 0, dropped: 0 };
          acc.kept += c.kept;
          acc.dropped += c.dropped;
          this.kept.set(setting, acc);
        }
      }
    }
    if (row.rule === "trivial") {
      const t = trivialInputs.safeParse(row.inputs);
      if (t.success) {
        this.trivialRates.push(t.data.rate);
        this.threshold = t.data.threshold;
        if (this.trivialSamples === undefined) this.trivialSamples = t.data.count;
        else if (this.trivialSamples !== t.data.count) this.trivialSamples = null;
      }
    }
    const key = JSON.stringify([row.rule, outcome]);
    const g = this.groups.get(key);
    if (g) g.count++;
    else this.groups.set(key, { rule: row.rule, outcome, count: 1 });
  }

  /** The trivial-filter threshold found in the audit, if any. */
  get trivialThreshold(): number | null {
    return this.threshold;
  }

  section(): AuditSection {
    const sorted = [...this.groups.values()].sort((a, b) => cmp(a.rule, b.rule) || b.count - a.count || cmp(a.outcome, b.outcome));
    const counts = sorted.slice(0, MAX_AUDIT_GROUPS);
    const rest = sorted.slice(MAX_AUDIT_GROUPS);
    if (rest.length) counts.push({ rule: "(other rules)", outcome: `${rest.length} more groups`, count: rest.reduce((a, g) => a + g.count, 0) });
    const n = (v: number) => v.toLocaleString("en-US");
    const s = this.filterSummary;
    const facts = s
      ? [
          { name: "problems in", value: n(s.problems.in) },
          { name: "dropped as trivial", value: n(s.problems.droppedTrivial) },
          { name: "dropped: no reference, no votes", value: n(s.problems.droppedNoVotes) },
          { name: "answers filled (no reference)", value: n(s.problems.referenceFilled) },
          { name: "references kept", value: n(s.problems.referenceKept) },
          { name: "references replaced by the majority", value: n(s.problems.referenceReplaced) },
          { name: "problems curated", value: n(s.problems.curated) },
          { name: "traces kept", value: `${n(s.traces.kept)} of ${n(s.traces.in)}` },
        ]
      : [
          { name: "decisions", value: n(this.rows) },
          { name: "problems named", value: n(this.problems.size) },
        ];
    const keptBySetting = [...this.kept.entries()]
      .sort(([a], [b]) => settingRank(a) - settingRank(b) || cmp(a, b))
      .map(([setting, c]) => ({ label: settingLabel(setting), ...c }));
    return {
      counts,
      facts,
      keptBySetting,
      trivialRates: this.trivialRates,
      trivialSamples: this.trivialSamples ?? null,
      trivialThreshold: this.threshold,
    };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function outcomeGroup(outcome: string | Record<string, unknown>): string {
  if (typeof outcome === "string") return outcome.split(":")[0].trim().slice(0, 60) || "(empty)";
  for (const key of ["action", "decision", "result", "outcome"]) {
    if (typeof outcome[key] === "string") return (outcome[key] as string).slice(0, 60);
  }
  return "(details)";
}

// --- the model ----------------------------------------------------------------------------------------

const SIX_SETTINGS = ["high", "medium", "low"].flatMap((m) => [`${m}/with-tool`, `${m}/no-tool`]);
const ALL = "all";

const SETTING_NAME = /^([^/]+)\/(with|no)[-_]tool$/;

/** "high/with-tool" (grade) or "high/with_tool" (filter) → "high · with tool"; other names as they are. */
export function settingLabel(setting: string): string {
  const m = SETTING_NAME.exec(setting);
  return m ? `${m[1]} · ${m[2]} tool` : setting;
}

/** Table order of a setting name: high, medium, low × with, no tool; others after. */
function settingRank(setting: string): number {
  const m = SETTING_NAME.exec(setting);
  const mode = m ? ["high", "medium", "low"].indexOf(m[1]) : -1;
  return mode < 0 ? 100 : mode * 2 + (m![2] === "with" ? 0 : 1);
}

export interface ReportInputs {
  summary: SummaryInput;
  plan?: PlanInput | null;
  audit?: AuditTally | null;
  /** The files' paths as the user gave them (shown in the header). */
  sources?: Array<{ role: string; path: string }>;
  title?: string;
  trivialThreshold?: number;
}

export function buildReportModel(inputs: ReportInputs): ReportModel {
  const { summary } = inputs;
  // The six settings always, then any others the summary has (e.g. "unknown/no-tool"), then "all".
  const extra = Object.keys(summary.settings)
    .filter((s) => s !== ALL && !SIX_SETTINGS.includes(s))
    .sort(cmp);
  const order = [...SIX_SETTINGS, ...extra, ALL];
  const tableK = commonK(order.map((s) => summary.settings[s]?.k ?? null));

  const settings: SettingRow[] = order.map((s) => {
    const row = summary.settings[s];
    const k = tableK ?? row?.k ?? null;
    const m = SETTING_NAME.exec(s);
    return {
      label: s === ALL ? ALL : settingLabel(s),
      mode: m ? m[1] : null,
      tool: m ? m[2] === "with" : null,
      k,
      pass1: row?.["pass@1"] ?? null,
      majK: k != null ? (row?.["maj@k"][k]?.value ?? null) : null,
      passK: k != null ? (row?.["pass@k"][k]?.value ?? null) : null,
      noAnswer: row?.no_answer ?? null,
      traces: row?.traces ?? 0,
    };
  });

  const passRates: PassRates[] = [...SIX_SETTINGS, ...extra].map((s) => ({
    label: settingLabel(s),
    rates: summary.passRates.get(s)?.rates ?? [],
    samples: summary.passRates.get(s)?.samples ?? null,
  }));

  const curves: KCurve[] = order
    .filter((s) => summary.settings[s] && Object.keys(summary.settings[s]["pass@k"]).length > 0)
    .map((s) => {
      const row = summary.settings[s];
      const ks = [...new Set([...Object.keys(row["pass@k"]), ...Object.keys(row["maj@k"])].map(Number))].sort((a, b) => a - b);
      return {
        label: s === ALL ? ALL : settingLabel(s),
        points: ks.map((k) => ({ k, passAtK: row["pass@k"][k]?.value ?? null, majAtK: row["maj@k"][k]?.value ?? null })),
      };
    });

  const warnings = inputs.plan?.warnings?.map((w) => `plan.json: ${w}`) ?? [];
  // Rows by status, in the order grade counts them ("rows" first); zero counts of rare statuses omitted.
  const totals = Object.entries(summary.totals ?? {})
    .filter(([name, v]) => name === "rows" || v > 0)
    .sort(([a], [b]) => (a === "rows" ? -1 : b === "rows" ? 1 : 0))
    .map(([name, v]) => ({ name: name === "rows" ? "rows graded" : name.replace(/_/g, " "), value: v.toLocaleString("en-US") }));
  return {
    title: inputs.title ?? "veritrace report",
    sources: inputs.sources ?? [],
    k: tableK,
    settings,
    totals,
    passRates,
    trivialThreshold: inputs.trivialThreshold ?? inputs.audit?.trivialThreshold ?? 0.8,
    curves,
    lengths: inputs.plan ? lengthSection(inputs.plan) : null,
    audit: inputs.audit ? inputs.audit.section() : null,
    warnings,
  };
}

/** The k shared by every setting that has one (the table's k), else null (each row then uses its own). */
function commonK(ks: Array<number | null>): number | null {
  const present = ks.filter((k): k is number => k != null);
  if (present.length === 0) return null;
  return present.every((k) => k === present[0]) ? present[0] : null;
}

const MODE_ORDER = ["high", "medium", "low", "unknown"];

function lengthSection(plan: PlanInput): LengthSection {
  const edges = plan.edges;
  const bins = edges.map((e, i) => (i === 0 ? `≤${shortTokens(e)}` : `${shortTokens(edges[i - 1])}–${shortTokens(e)}`));
  const modeNames = new Set<string>();
  for (const st of plan.stages) for (const m of Object.keys(st.byMode)) modeNames.add(m);
  const modes: ModeLengths[] = [...modeNames]
    .sort((a, b) => rank(a) - rank(b) || cmp(a, b))
    .map((mode) => ({
      mode,
      counts: edges.map((edge) => {
        const st = plan.stages.find((s) => s.maxTokens === edge);
        if (!st) return 0;
        // Traces mixed into the last stage are counted at their own length, not again in the last bucket.
        return (st.byMode[mode]?.traces ?? 0) - (st.mixedIn?.[mode]?.traces ?? 0);
      }),
    }));
  const n = (v: number) => v.toLocaleString("en-US");
  const facts = [
    { name: "tokenizer", value: plan.tokenizer },
    { name: "traces bucketed", value: n(plan.rows.traces - plan.rows.overLength) },
    { name: "over the largest edge (dropped)", value: n(plan.rows.overLength) },
    { name: "invalid rows", value: n(plan.rows.invalid) },
  ];
  for (const st of plan.stages) facts.push({ name: `stage ${st.stage} (≤${shortTokens(st.maxTokens)})`, value: `${n(st.traces)} traces, ${n(st.tokens)} tokens` });
  const last = plan.stages[plan.stages.length - 1];
  for (const [mode, mix] of Object.entries(last?.mixedIn ?? {})) {
    facts.push({ name: `${mode} mixed into the last stage`, value: `${n(mix.traces)} traces (share ${mix.share})` });
  }
  if (plan.cost) {
    facts.push({ name: "cost vs all at max length: padded tokens", value: plan.cost.ratio.paddedTokens.toFixed(3) });
    facts.push({ name: "cost vs all at max length: attention", value: plan.cost.ratio.attention.toFixed(3) });
  }
  return { edges, bins, modes, facts };
}

function rank(mode: string): number {
  const i = MODE_ORDER.indexOf(mode);
  return i < 0 ? MODE_ORDER.length : i;
}
