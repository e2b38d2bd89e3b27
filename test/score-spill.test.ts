// The score board under a memory budget: it writes its state to disk mid-run and merges it back at the
// end. Whatever the budget (one spill, hundreds, none) the per-problem scores must be the same, bit for
// bit, as the board that keeps everything in memory: on the example dump's real verdicts, in any
// interleaving of problems, and on generated records that mix sample indices given and not given.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gradeFiles, isVerdictRow, recordOf } from "../src/grade/index.js";
import { readJsonRows } from "../src/io/lines.js";
import { ScoreBoard, type ScoreOptions, type ScoreRecord } from "../src/score/index.js";
import { seededRandom } from "../src/util/seeded-random.js";

type Rec = Parameters<ScoreBoard["add"]>[0];

const work = mkdtempSync(join(tmpdir(), "veritrace-spill-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function scoresOf(records: Rec[], options: ScoreOptions, budgetBytes?: number) {
  const spillDir = mkdtempSync(join(work, "spill-"));
  const board = new ScoreBoard(options, budgetBytes === undefined ? undefined : { spillDir, budgetBytes });
  for (const r of records) board.add(r);
  const spilled = board.spilled;
  const out = [];
  for await (const p of board.scores()) out.push(p);
  expect(readdirSync(spillDir)).toEqual([]); // spill files are gone once read
  return { text: JSON.stringify(out), spilled, problems: out.length };
}

async function exampleRecords(): Promise<Rec[]> {
  const files = ["high", "medium", "low"].map((m) => `examples/nemotron-math-v2/${m}.part_00.jsonl.gz`);
  const out = join(work, "example-verdicts.jsonl");
  await gradeFiles({ files, out, threads: 0 });
  const records: Rec[] = [];
  for await (const { row } of readJsonRows(out)) {
    if (!isVerdictRow(row)) throw new Error("not a verdict row");
    records.push(recordOf(row));
  }
  return records;
}

/**
 * Records with sample indices given, missing or both within one (problem, setting). Few problems and
 * settings, so that a piece of state written between two spills holds many samples of a setting and has
 * to choose which to keep without knowing how many came before it.
 */
function mixedRecords(seed: number, count: number): ScoreRecord[] {
  const r = seededRandom(seed);
  const modes = ["high", "medium", "low"] as const;
  const statuses = ["correct", "incorrect", "no_answer", "too_complex"] as const;
  const style = r(); // per run: mostly implicit, mostly explicit, or mixed
  return Array.from({ length: count }, () => {
    const status = statuses[Math.floor(r() * statuses.length)];
    const given = style < 0.33 ? r() < 0.1 : style < 0.66 ? r() < 0.9 : r() < 0.5;
    return {
      problemId: `p${Math.floor(r() * 3)}`,
      mode: modes[Math.floor(r() * 2)],
      tool: true,
      sample: given ? Math.floor(r() * 10) : null,
      status,
      answer: status === "no_answer" ? null : String(Math.floor(r() * 5)),
      gold: "1",
      reward: r() < 0.5 ? Math.floor(r() * 100) / 10 : null,
    };
  });
}

describe("ScoreBoard spilling to disk", () => {
  it("scores the example dump's verdicts the same under any budget and any interleaving", async () => {
    const records = await exampleRecords();
    expect(records.length).toBe(2880);
    const options = { k: [1, 2, 4, 8, 16] };
    const reference = await scoresOf(records, options);
    expect(reference.spilled).toBe(false);
    expect(reference.problems).toBe(60);
    // Problems interleaved other ways, each problem's own rows in their order: grouped by problem, and
    // problems in reverse order of first appearance.
    const first = new Map<string | null, number>();
    records.forEach((r, i) => first.has(r.problemId) || first.set(r.problemId, i));
    const grouped = [...records].sort((a, b) => first.get(a.problemId)! - first.get(b.problemId)!);
    const reversed = [...records].sort((a, b) => first.get(b.problemId)! - first.get(a.problemId)!);
    // Budget 1 writes a run per row (thousands of runs, merged in groups first).
    for (const [input, budgets] of [[records, [1, 5_000, 50_000]], [grouped, [5_000]], [reversed, [5_000]]] as const) {
      expect((await scoresOf(input, options)).text).toBe(reference.text);
      for (const budget of budgets) {
        const spilled = await scoresOf(input, options, budget);
        expect(spilled.spilled).toBe(true);
        expect(spilled.text).toBe(reference.text);
      }
    }
  });

  it("gives the same scores with and without spills when sample indices are given, missing or mixed", async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const records = mixedRecords(seed, 200);
      for (const options of [{ k: [1, 2, 3] }, { k: [1, 4] }, { k: [2], compat: "nemo-skills" as const }]) {
        const reference = await scoresOf(records, options);
        // Budget 1 spills after every record: hundreds of runs, merged in groups first.
        for (const budget of [1, 2_000, 4_000]) expect((await scoresOf(records, options, budget)).text).toBe(reference.text);
      }
    }
  });

  it("counts rows without a problem and invalid rows, and keeps the first reference seen", async () => {
    const records: Rec[] = [
      { problemId: null, mode: "high", tool: true, sample: null, status: "invalid_input", answer: null },
      { problemId: "a", mode: "high", tool: true, sample: null, status: "no_reference", answer: "4", gold: null },
      { problemId: "b", mode: "low", tool: false, sample: 3, status: "correct", answer: "4", gold: "4" },
      { problemId: "a", mode: "high", tool: true, sample: null, status: "invalid_input", answer: null, gold: "9" },
      { problemId: "a", mode: "high", tool: true, sample: null, status: "incorrect", answer: "5", gold: "8" },
    ];
    const reference = await scoresOf(records, {});
    expect(JSON.parse(reference.text)[0]).toMatchObject({ problem_id: "a", gold: "9", rows: 3, no_reference: 1, invalid_input: 1 });
    expect((await scoresOf(records, {}, 1)).text).toBe(reference.text);
  });

  it("refuses scoreProblems() once spilled, and removes its files when the reading stops early", async () => {
    const spillDir = mkdtempSync(join(work, "early-"));
    const board = new ScoreBoard({}, { spillDir, budgetBytes: 1 });
    for (const r of mixedRecords(7, 50)) board.add(r);
    expect(board.spilled).toBe(true);
    expect(() => board.scoreProblems()).toThrow(/spilled/);
    expect(readdirSync(spillDir).length).toBe(1);
    for await (const p of board.scores()) {
      expect(p.problem_id).toMatch(/^p/);
      break;
    }
    expect(readdirSync(spillDir)).toEqual([]);
  });
});
