// Agreement with the reference graders' stated verdicts (../shared/corpus/verdict_cases.jsonl), each
// case run with its own settings. Overall agreement must reach 97%; on Math-Verify's own cases every
// disagreement must be one listed (with its reason) in test/verdict-disagreements.json, and every
// listed one must still disagree, so the list cannot drift.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { verify } from "../src/verify/index.js";

interface Case {
  gold: string;
  pred: string;
  expected: boolean;
  source: string;
  float_rounding?: number | null;
  strict?: boolean | null;
  allow_set_relation_comp?: boolean | null;
}

interface Disagreement {
  id: string;
  kind: "math" | "extraction";
  source: string;
  gold: string;
  pred?: string;
  expected: boolean;
  reason: string;
}

const casesPath = fileURLToPath(new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url));
const cases: Case[] = readFileSync(casesPath, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Case);
const disagreements = (
  JSON.parse(readFileSync(new URL("./verdict-disagreements.json", import.meta.url), "utf8")) as { cases: Disagreement[] }
).cases;
const rulesDoc = readFileSync(new URL("../docs/verdict-rules.md", import.meta.url), "utf8");

const isMathVerify = (c: Case) => c.source.startsWith("huggingface/Math-Verify");
const listed = (c: Case) =>
  disagreements.find(
    (d) => d.source === c.source && d.gold === c.gold && (d.pred === undefined || d.pred === c.pred) && d.expected === c.expected,
  );

function decide(c: Case): boolean {
  const v = verify(c.gold, c.pred, {
    floatRounding: c.float_rounding ?? 6,
    strict: c.strict ?? true,
    allowSetRelationComp: c.allow_set_relation_comp ?? false,
  });
  return v.status === "correct";
}

describe("agreement with the verdict cases", () => {
  const results = cases.map((c) => ({ c, agrees: decide(c) === c.expected }));

  it("reads the whole corpus", () => {
    expect(existsSync(casesPath)).toBe(true);
    expect(cases.length).toBeGreaterThan(400);
  });

  it("agrees on at least 97% of all cases", () => {
    const agree = results.filter((r) => r.agrees).length;
    const share = agree / results.length;
    const failures = results.filter((r) => !r.agrees).map((r) => `${r.c.source} | ${r.c.gold} | ${r.c.pred.slice(-80)}`);
    expect(share, `agreement ${(share * 100).toFixed(1)}%; disagreements:\n${failures.join("\n")}`).toBeGreaterThanOrEqual(0.97);
  });

  it("disagrees with Math-Verify only on the listed cases", () => {
    const unlisted = results
      .filter((r) => isMathVerify(r.c) && !r.agrees && listed(r.c) === undefined)
      .map((r) => `${r.c.source} | gold ${JSON.stringify(r.c.gold)} | pred ${JSON.stringify(r.c.pred.slice(-120))} | expected ${r.c.expected}`);
    expect(unlisted).toEqual([]);
  });

  it("still disagrees on every listed case (no stale entries)", () => {
    for (const d of disagreements) {
      const matching = results.filter((r) => listed(r.c) === d);
      expect(matching.length, `listed case ${d.id} not found in the corpus`).toBeGreaterThan(0);
      for (const r of matching) expect(r.agrees, `listed case ${d.id} now agrees: remove it from the list`).toBe(false);
    }
  });

  it("explains every listed case in docs/verdict-rules.md", () => {
    for (const d of disagreements) {
      expect(rulesDoc.includes(d.id), `docs/verdict-rules.md does not mention ${d.id}`).toBe(true);
      expect(d.reason.length).toBeGreaterThan(10);
    }
  });
});
