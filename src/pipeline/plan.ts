// Bucket assignment, mode mix and plan (pure: no files, no tokenizer), shared by `bucketize` and the cost
// benchmark on generated lengths (docs/pipeline.md "Buckets", "Mix", "Cost model").
import { createHash } from "node:crypto";
import type { ReasoningMode } from "../types.js";
import { estimateCost, type CostEstimate, type StageLoad } from "./cost.js";
import type { Template } from "./render.js";

export const DEFAULT_EDGES = [16384, 32768, 65536, 131072] as const;
export const MODES: readonly ReasoningMode[] = ["high", "medium", "low", "unknown"];

export type MixShares = Partial<Record<ReasoningMode, number>>;

export interface ModeLoad {
  traces: number;
  tokens: number;
}

export interface StagePlan {
  stage: number;
  maxTokens: number;
  file: string;
  /** Traces written to the stage file (own + mixed in). */
  traces: number;
  tokens: number;
  byMode: Record<string, ModeLoad>;
  /** Last stage only: traces drawn from earlier stages, per mode. */
  mixedIn?: Record<string, ModeLoad & { share: number; requested: number; available: number }>;
}

export interface BucketPlan {
  tokenizer: string;
  template: Template;
  edges: number[];
  seed: number;
  mix: MixShares;
  rows: { read: number; traces: number; invalid: number; overLength: number };
  stages: StagePlan[];
  cost: CostEstimate;
  warnings: string[];
}

/** Per-trace measurements from pass 1 (one entry per input row, invalid rows included). */
export interface Measurements {
  count: number;
  /** Token count; -1 for an invalid row. */
  tokens: ArrayLike<number>;
  /** Index into MODES. */
  modes: ArrayLike<number>;
  /** Draw key in [0, 1): seeded hash of the row, so the draw does not depend on input order. */
  keys: ArrayLike<number>;
}

export interface Assignment {
  /** Stage index per row; -1 over length, -2 invalid. */
  stageOf: Int8Array;
  /** 1 when the row is also mixed into the last stage. */
  mixed: Uint8Array;
  stages: Array<{ own: ModeLoad[]; mixed: ModeLoad[]; unpaddedAttention: number }>;
  mixReport: Record<string, { share: number; requested: number; available: number; drawn: number }>;
  warnings: string[];
}

export function validateEdges(edges: readonly number[]): number[] {
  if (edges.length === 0) throw new Error("--edges needs at least one bucket edge");
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    if (!Number.isInteger(e) || e <= 0) throw new Error(`bucket edge '${e}' is not a positive integer`);
    if (i > 0 && e <= edges[i - 1]!) throw new Error(`bucket edges must be ascending (${edges.join(",")})`);
  }
  return [...edges];
}

export function validateMix(mix: MixShares): MixShares {
  let total = 0;
  for (const [mode, share] of Object.entries(mix)) {
    if (!MODES.includes(mode as ReasoningMode)) throw new Error(`--mix: unknown mode '${mode}' (high, medium, low, unknown)`);
    if (typeof share !== "number" || !(share >= 0 && share < 1)) throw new Error(`--mix: share of ${mode} must be in [0, 1)`);
    total += share;
  }
  if (total >= 1) throw new Error(`--mix: shares add up to ${total}, which leaves no room for the last stage's own traces`);
  return { ...mix };
}

/**
 * Assigns stages and draws the mix (pure; also used by the cost benchmark on generated lengths).
 * Mix arithmetic: with n own traces in the last stage and shares s_m (S = Σ s_m), k_m = round(s_m·n/(1−S))
 * drawn traces of mode m make the mixed-in traces of m a share s_m of the last stage's n + Σk traces.
 */
export function assignBuckets(m: Measurements, edgesIn: readonly number[], mixIn: MixShares = {}): Assignment {
  const edges = validateEdges(edgesIn);
  const mix = validateMix(mixIn);
  const last = edges.length - 1;
  const stageOf = new Int8Array(m.count);
  const mixed = new Uint8Array(m.count);
  const emptyLoads = () => MODES.map(() => ({ traces: 0, tokens: 0 }));
  const stages = edges.map(() => ({ own: emptyLoads(), mixed: emptyLoads(), unpaddedAttention: 0 }));
  for (let i = 0; i < m.count; i++) {
    const t = m.tokens[i]!;
    if (t < 0) {
      stageOf[i] = -2;
      continue;
    }
    let s = 0;
    while (s < edges.length && t > edges[s]!) s++;
    if (s === edges.length) {
      stageOf[i] = -1;
      continue;
    }
    stageOf[i] = s;
    const load = stages[s]!.own[m.modes[i]!]!;
    load.traces++;
    load.tokens += t;
    stages[s]!.unpaddedAttention += (t / 1024) ** 2;
  }
  const ownLast = stages[last]!.own.reduce((a, l) => a + l.traces, 0);
  const totalShare = Object.values(mix).reduce((a, s) => a + (s ?? 0), 0);
  const mixReport: Assignment["mixReport"] = {};
  const warnings: string[] = [];
  if (ownLast === 0 && Object.values(mix).some((share) => (share ?? 0) > 0)) {
    warnings.push(`--mix: the last stage (≤${edges[last]} tokens) has no traces of its own, so nothing is mixed into it`);
  }
  for (const [mode, share] of Object.entries(mix)) {
    const mi = MODES.indexOf(mode as ReasoningMode);
    const requested = Math.round(((share ?? 0) * ownLast) / (1 - totalShare));
    // Candidates: traces of this mode in earlier stages, lowest draw key first (ties: input order).
    const candidates: number[] = [];
    for (let i = 0; i < m.count; i++) if (m.modes[i] === mi && stageOf[i]! >= 0 && stageOf[i]! < last) candidates.push(i);
    candidates.sort((a, b) => m.keys[a]! - m.keys[b]! || a - b);
    const drawn = candidates.slice(0, requested);
    for (const i of drawn) {
      mixed[i] = 1;
      const load = stages[last]!.mixed[mi]!;
      load.traces++;
      load.tokens += m.tokens[i]!;
      stages[last]!.unpaddedAttention += (m.tokens[i]! / 1024) ** 2;
    }
    mixReport[mode] = { share: share ?? 0, requested, available: candidates.length, drawn: drawn.length };
    if (drawn.length < requested) {
      warnings.push(`--mix ${mode}=${share}: ${requested} traces wanted for the last stage, only ${candidates.length} ${mode} traces in earlier stages`);
    }
  }
  return { stageOf, mixed, stages, mixReport, warnings };
}

/** Builds the plan (counts per stage × mode and the cost estimate) from an assignment. */
export function planFromAssignment(
  a: Assignment,
  edges: readonly number[],
  info: { tokenizer: string; template: Template; seed: number; mix: MixShares; rows: number },
): BucketPlan {
  const last = edges.length - 1;
  const stages: StagePlan[] = edges.map((edge, s) => {
    const st = a.stages[s]!;
    const byMode: Record<string, ModeLoad> = {};
    let traces = 0;
    let tokens = 0;
    MODES.forEach((mode, mi) => {
      const own = st.own[mi]!;
      const mixed = st.mixed[mi]!;
      if (own.traces + mixed.traces > 0) byMode[mode] = { traces: own.traces + mixed.traces, tokens: own.tokens + mixed.tokens };
      traces += own.traces + mixed.traces;
      tokens += own.tokens + mixed.tokens;
    });
    const plan: StagePlan = { stage: s + 1, maxTokens: edge, file: stageFileName(s, edge), traces, tokens, byMode };
    if (s === last && Object.keys(a.mixReport).length > 0) {
      plan.mixedIn = {};
      for (const [mode, rep] of Object.entries(a.mixReport)) {
        const load = st.mixed[MODES.indexOf(mode as ReasoningMode)]!;
        plan.mixedIn[mode] = { traces: load.traces, tokens: load.tokens, share: rep.share, requested: rep.requested, available: rep.available };
      }
    }
    return plan;
  });
  let invalid = 0;
  let overLength = 0;
  for (const s of a.stageOf) {
    if (s === -2) invalid++;
    else if (s === -1) overLength++;
  }
  const unique = a.stageOf.length - invalid - overLength;
  const loads: StageLoad[] = stages.map((p, s) => ({
    maxTokens: p.maxTokens,
    traces: p.traces,
    tokens: p.tokens,
    uniqueTokens: a.stages[s]!.own.reduce((sum, l) => sum + l.tokens, 0),
    unpaddedAttention: a.stages[s]!.unpaddedAttention,
  }));
  return {
    tokenizer: info.tokenizer,
    template: info.template,
    edges: [...edges],
    seed: info.seed,
    mix: info.mix,
    rows: { read: info.rows, traces: a.stageOf.length - invalid, invalid, overLength },
    stages,
    cost: estimateCost(loads, unique),
    warnings: a.warnings,
  };
}

export function stageFileName(index: number, edge: number): string {
  return `stage${index + 1}-${edge}.jsonl`;
}

/** Seeded draw key in [0, 1) from the row's bytes. */
export function drawKey(seed: number, line: string): number {
  const h = createHash("sha256").update(`${seed}\u0000`).update(line).digest();
  return (h.readUInt32BE(0) * 2 ** 21 + (h.readUInt32BE(4) >>> 11)) / 2 ** 53;
}

