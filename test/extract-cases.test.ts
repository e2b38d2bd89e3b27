// Every case of NeMo-Skills' extract_answer (shared/corpus/extraction_cases.jsonl) against ours;
// the deliberate differences are the JSON list in docs/verdict-rules.md ("Extraction").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractAnswer } from "../src/extract/index.js";

interface Case {
  generation: string;
  kwargs: Record<string, unknown>;
  expected: string | null;
}
interface Difference extends Case {
  ours: string | null;
  reason: string;
}

// The shared corpus sits beside the repository (../shared/corpus), as for the other suites.
const cases: Case[] = readFileSync(new URL("../../shared/corpus/extraction_cases.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Case);

function documentedDifferences(): Difference[] {
  const doc = readFileSync(new URL("../docs/verdict-rules.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## Extraction"));
  const match = /```json extraction-differences\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error("docs/verdict-rules.md has no extraction-differences list");
  return JSON.parse(match[1]) as Difference[];
}

const key = (c: Case) => JSON.stringify([c.generation, c.kwargs]);

describe("extraction agrees with NeMo-Skills' extract_answer", () => {
  const differences = new Map(documentedDifferences().map((d) => [key(d), d]));

  it("has cases to run", () => {
    expect(cases.length).toBeGreaterThanOrEqual(21);
  });

  for (const c of cases) {
    it(`${JSON.stringify(c.generation).slice(0, 70)} ${JSON.stringify(c.kwargs)}`, () => {
      const ours = extractAnswer(c.generation).answer;
      const difference = differences.get(key(c));
      if (difference === undefined) {
        expect(ours).toBe(c.expected);
      } else {
        // A documented difference must still be one, and exactly the one documented.
        expect(difference.expected).toBe(c.expected);
        expect(ours).toBe(difference.ours);
        expect(ours).not.toBe(c.expected);
      }
    });
  }

  it("documents no difference for a case that does not exist", () => {
    const known = new Set(cases.map(key));
    for (const d of differences.values()) expect(known.has(key(d)), d.generation).toBe(true);
  });
});
