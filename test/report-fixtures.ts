// Seeded inputs for the report tests, shaped exactly like the files grade and bucket write (typed against
// their modules' own Summary and BucketPlan types, so a change of schema breaks the type check here).
import type { Summary } from "../src/score/summary.js";
import type { BucketPlan } from "../src/pipeline/bucket.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

const SETTINGS = ["high", "medium", "low"].flatMap((m) => [`${m}/with-tool`, `${m}/no-tool`]);
const SKILL: Record<string, number> = { high: 0.25, medium: 0.1, low: -0.1 };

/** A summary of `problems` problems × 6 settings × `samples` samples, with per-problem scores. */
export function fixtureSummary(problems = 60, samples = 8, seed = 1): Summary {
  const rand = rng(seed);
  const ks = [1, 2, 4, 8].filter((k) => k <= samples);
  const perProblem: Summary["problems"] = [];
  for (let p = 0; p < problems; p++) {
    const difficulty = rand();
    const settings: Summary["problems"][number]["settings"] = {};
    let allN = 0;
    let allC = 0;
    let allNone = 0;
    for (const s of SETTINGS) {
      const [mode, tool] = s.split("/");
      const prob = Math.min(1, Math.max(0, 1 - difficulty + SKILL[mode] + (tool === "with-tool" ? 0.08 : 0)));
      let c = 0;
      let none = 0;
      for (let i = 0; i < samples; i++) {
        if (rand() < prob) c++;
        else if (rand() < 0.1) none++;
      }
      settings[s] = group(samples, c, none, ks, rand);
      allN += samples;
      allC += c;
      allNone += none;
    }
    settings.all = group(allN, allC, allNone, ks, rand);
    perProblem.push({ problem_id: `p${String(p).padStart(3, "0")}`, gold: String(p), rows: allN, no_reference: 0, invalid_input: 0, settings });
  }
  const summarySettings: Summary["settings"] = {};
  for (const s of [...SETTINGS, "all"]) {
    const groups = perProblem.map((p) => p.settings[s]);
    const mean = (f: (g: (typeof groups)[number]) => number) => groups.reduce((a, g) => a + f(g), 0) / groups.length;
    summarySettings[s] = {
      problems: groups.length,
      traces: groups.reduce((a, g) => a + g.n, 0),
      "pass@1": mean((g) => g["pass@1"]),
      "pass@k": Object.fromEntries(ks.map((k) => [k, { value: mean((g) => g["pass@k"][k]), problems: groups.length }])),
      "maj@k": Object.fromEntries(ks.map((k) => [k, { value: mean((g) => g["maj@k"][k].score), problems: groups.length, ties: 0 }])),
      no_answer: mean((g) => g.no_answer / g.n),
      k: ks[ks.length - 1],
    };
  }
  const rows = problems * samples * 6;
  return {
    format: "veritrace-summary/1",
    options: { k: ks, compat: null },
    totals: { rows, correct: 0, incorrect: 0, no_answer: 0, unparsable: 0, too_complex: 0, no_reference: 0, invalid_input: 0 },
    settings: summarySettings,
    problems: perProblem,
  };
}

function group(n: number, c: number, none: number, ks: number[], rand: () => number): Summary["problems"][number]["settings"][string] {
  return {
    n,
    correct: c,
    no_answer: none,
    "pass@1": c / n,
    "pass@k": Object.fromEntries(ks.map((k) => [k, 1 - choose(n - c, k) / choose(n, k)])),
    "maj@k": Object.fromEntries(ks.map((k) => [k, { score: rand() < c / n ? 1 : 0, answer: "1", votes: 1, tie: false }])),
  };
}

/** A plan with the default edges and three modes, medium mixed into the last stage. */
export function fixturePlan(): BucketPlan {
  const edges = [16384, 32768, 65536, 131072];
  const own: Record<string, number[]> = { high: [40, 120, 90, 25], medium: [150, 60, 12, 2], low: [260, 20, 3, 0] };
  const stages = edges.map((edge, s) => {
    const byMode: Record<string, { traces: number; tokens: number }> = {};
    let traces = 0;
    for (const [mode, counts] of Object.entries(own)) {
      const extra = s === edges.length - 1 && mode === "medium" ? 2 : 0;
      if (counts[s] + extra === 0) continue;
      byMode[mode] = { traces: counts[s] + extra, tokens: (counts[s] + extra) * Math.round(edge * 0.7) };
      traces += counts[s] + extra;
    }
    return { stage: s + 1, maxTokens: edge, file: `stage${s + 1}-${edge}.jsonl`, traces, tokens: traces * Math.round(edge * 0.7), byMode };
  });
  const last = stages[stages.length - 1] as BucketPlan["stages"][number];
  last.mixedIn = { medium: { traces: 2, tokens: 2 * 9000, share: 0.05, requested: 2, available: 222 } };
  return {
    tokenizer: "o200k_harmony",
    template: "harmony",
    edges,
    seed: 0,
    mix: { medium: 0.05 },
    rows: { read: 790, traces: 788, invalid: 2, overLength: 6 },
    stages,
    cost: {
      model: "fixture",
      attentionUnit: "(L/1024)^2 per trace",
      stages: [],
      sequential: { paddedTokens: 0, attention: 0, realTokens: 0, unpaddedAttention: 0 },
      allAtMaxLength: { maxTokens: 131072, traces: 782, paddedTokens: 0, attention: 0 },
      ratio: { paddedTokens: 0.412, attention: 0.188 },
    },
    warnings: [],
  };
}

/** Audit rows shaped as src/pipeline/decide.ts, filter.ts and bucket.ts write them. */
export function fixtureAudit(): string {
  const rows: object[] = [];
  const settings = ["high", "medium", "low"].flatMap((m) => [`${m}/no_tool`, `${m}/with_tool`]);
  for (let i = 0; i < 20; i++) {
    const problem = `p${i}`;
    const replaced = i < 4;
    rows.push({ problem, rule: "reference", inputs: { reference: "1", votes: "high", cast: 16, no_answer: 0, classes: [], majority: "2", tie: false, reference_votes: replaced ? 0 : 5 }, outcome: replaced ? `replaced: ${i + 10}` : "kept" });
    const pass = (i * 5) % 17;
    const rate = pass / 16;
    rows.push({ problem, rule: "trivial", inputs: { mode: "low", source: "traces", settings: {}, pass, count: 16, rate, threshold: 0.8 }, outcome: rate > 0.8 ? "dropped" : "kept" });
    if (rate <= 0.8) {
      rows.push({ problem, rule: "keep_correct", inputs: { reference: "1", answers: [], no_answer: 0 }, outcome: { settings: Object.fromEntries(settings.map((s, j) => [s, { kept: (i + j) % 9, dropped: 8 - ((i + j) % 9) }])) } });
    }
  }
  for (let i = 0; i < 6; i++) rows.push({ problem: `s${i}`, rule: "over_length", inputs: { tokens: 140000 }, outcome: "dropped" });
  rows.push({
    problem: null,
    rule: "summary",
    inputs: { options: {}, rows: { read: 960, invalid: 0 } },
    outcome: {
      problems: { in: 20, droppedTrivial: 4, droppedNoVotes: 0, referenceFilled: 0, referenceKept: 16, referenceReplaced: 4, curated: 16 },
      trivialSource: { traces: 20, metadata: 0, "traces+metadata": 0, none: 0 },
      traces: { in: 960, kept: 400, bySetting: {} },
    },
  });
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
