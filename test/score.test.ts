// Scores on hand-computed cases and on NeMo-Skills' fixture: maj@k with votes grouped by the engine's
// equivalence, the tie rule, sample order, per-setting means, and merges of disjoint parts.
import { readFileSync } from "node:fs";
import { fixtureRecords } from "./helpers/metrics-fixture.js";
import { describe, expect, it } from "vitest";
import { majorityVote, mergeSummaries, score, ScoreBoard, summarize, totalsFrom, type ScoreRecord } from "../src/score/index.js";
import { prefixVoteClasses, voteClasses } from "../src/score/majority.js";

const fixture = JSON.parse(readFileSync(new URL("../../shared/corpus/metrics_fixture.json", import.meta.url), "utf8"));

function rec(problemId: string, status: ScoreRecord["status"], answer: string | null, extra: Partial<ScoreRecord> = {}): ScoreRecord {
  return { problemId, mode: "high", tool: true, sample: null, status, answer, ...extra };
}

describe("majorityVote", () => {
  it("groups votes by equivalence, not by raw string", () => {
    const v = majorityVote(["3", "\\frac12", "0.5", "3", "1/2", null]);
    expect(v.answer).toBe("\\frac12");
    expect(v.votes).toBe(3);
    expect(v.total).toBe(5);
    expect(v.noAnswer).toBe(1);
    expect(v.tie).toBe(false);
    expect(v.classes).toEqual([
      { answer: "3", count: 2, members: [0, 3] },
      { answer: "\\frac12", count: 3, members: [1, 2, 4] },
    ]);
  });
  it("breaks ties by the class whose first member comes first, and says so", () => {
    const v = majorityVote(["7", "016", "7", "16"]);
    expect(v.classes.map((c) => c.count)).toEqual([2, 2]);
    expect(v.tie).toBe(true);
    expect(v.answer).toBe("7");
    const w = majorityVote(["016", "7", "16", "7"]);
    expect(w.answer).toBe("016");
    expect(w.tie).toBe(true);
  });
  it("under compat nemo-skills votes by raw string and breaks ties by the smallest string", () => {
    const v = majorityVote(["0.5", "\\frac12", "\\frac12", "1/2"], { compat: "nemo-skills" });
    expect(v.answer).toBe("\\frac12");
    expect(v.votes).toBe(2);
    expect(v.classes.length).toBe(3);
    const t = majorityVote(["9", "10", "9", "10"], { compat: "nemo-skills" });
    expect(t.tie).toBe(true);
    expect(t.answer).toBe("10"); // "10" < "9" as strings, as Python's sorted() orders them
  });
  it("has no answer when nothing voted", () => {
    const v = majorityVote([null, null]);
    expect(v).toMatchObject({ answer: null, votes: 0, total: 0, noAnswer: 2, tie: false, classes: [] });
    expect(majorityVote([]).answer).toBeNull();
  });
});

describe("ScoreBoard", () => {
  it("scores one problem by hand", () => {
    const board = new ScoreBoard({ k: [1, 2, 4] });
    board.add(rec("p", "correct", "\\frac12"));
    board.add(rec("p", "incorrect", "3"));
    board.add(rec("p", "no_answer", null));
    board.add(rec("p", "correct", "0.5"));
    const [p] = board.scoreProblems();
    const g = p.settings["high/with-tool"];
    expect(g).toMatchObject({ n: 4, correct: 2, no_answer: 1, "pass@1": 0.5 });
    expect(g["pass@k"][2]).toBeCloseTo(5 / 6, 15); // 1 − C(2,2)/C(4,2)
    expect(g["pass@k"][4]).toBe(1);
    expect(g["maj@k"][1]).toEqual({ score: 1, answer: "\\frac12", votes: 1, tie: false });
    expect(g["maj@k"][2]).toEqual({ score: 1, answer: "\\frac12", votes: 1, tie: true }); // 1/2 vs 3: first wins
    expect(g["maj@k"][4]).toEqual({ score: 1, answer: "\\frac12", votes: 2, tie: false }); // 0.5 joins \frac12
    expect(p.settings.all).toEqual(g);
  });

  it("orders samples by sample index, then input order", () => {
    const board = new ScoreBoard({ k: [1] });
    board.add(rec("p", "incorrect", "4", { sample: 1 }));
    board.add(rec("p", "correct", "5", { sample: 0 }));
    expect(board.scoreProblems()[0].settings["high/with-tool"]["maj@k"][1]).toMatchObject({ answer: "5", score: 1 });
  });

  it("keeps only each setting's first max(k) samples, whatever their arrival order", () => {
    const board = new ScoreBoard({ k: [1, 2] });
    // high/with-tool arrives as samples 3, 2, 0, 4, 1: only samples 0 and 1 (both "7") are voted on.
    for (const [sample, answer] of [[3, "9"], [2, "9"], [0, "7"], [4, "9"], [1, "7"]] as const) {
      board.add(rec("p", answer === "7" ? "correct" : "incorrect", answer, { sample }));
    }
    board.add(rec("p", "incorrect", "9", { sample: 0, mode: "low", tool: false }));
    board.add(rec("p", "no_answer", null, { sample: 1, mode: "low", tool: false }));
    const [p] = board.scoreProblems();
    const high = p.settings["high/with-tool"];
    expect(high).toMatchObject({ n: 5, correct: 2, no_answer: 0 });
    expect(high["maj@k"][2]).toEqual({ score: 1, answer: "7", votes: 2, tie: false });
    expect(p.settings["low/no-tool"]["maj@k"][2]).toEqual({ score: 0, answer: "9", votes: 1, tie: false });
    // "all": sample 0 of high (row 3) before sample 0 of low (row 6): "7" against "9", the first wins.
    expect(p.settings.all).toMatchObject({ n: 7, correct: 2, no_answer: 1 });
    expect(p.settings.all["maj@k"][2]).toEqual({ score: 1, answer: "7", votes: 1, tie: true });
  });

  it("keeps settings apart and pools them in 'all'", () => {
    const board = new ScoreBoard({ k: [1, 2] });
    board.add(rec("p", "correct", "1", { mode: "low", tool: false }));
    board.add(rec("p", "incorrect", "2", { mode: "low", tool: false }));
    board.add(rec("p", "correct", "1", { mode: "high", tool: true }));
    board.add(rec("p", "no_reference", "1", { mode: "high", tool: true }));
    const [p] = board.scoreProblems();
    expect(Object.keys(p.settings)).toEqual(["high/with-tool", "low/no-tool", "all"]);
    expect(p.settings["low/no-tool"]["pass@1"]).toBe(0.5);
    expect(p.settings["high/with-tool"].n).toBe(1);
    expect(p.settings["high/with-tool"]["pass@k"][2]).toBeUndefined(); // n < k
    expect(p.settings.all).toMatchObject({ n: 3, correct: 2 });
    // "all" interleaves settings by sample index: low#0, high#0 (both "1"), then low#1.
    expect(p.settings.all["maj@k"][2]).toMatchObject({ answer: "1", votes: 2, tie: false });
    expect(p.no_reference).toBe(1);
  });
});

describe("summaries", () => {
  const records: ScoreRecord[] = [
    rec("a", "correct", "1"),
    rec("a", "incorrect", "2"),
    rec("b", "incorrect", "7"),
    rec("b", "incorrect", "7"),
    rec("c", "correct", "x", { mode: "low", tool: false }),
  ];
  it("averages per problem within a setting, and reports the reachable k", () => {
    const s = score(records, { k: [1, 2, 4] });
    const high = s.settings["high/with-tool"];
    expect(high.problems).toBe(2);
    expect(high.traces).toBe(4);
    expect(high["pass@1"]).toBe(0.25); // (1/2 + 0) / 2
    expect(high["pass@k"][2]).toEqual({ value: 0.5, problems: 2 });
    expect(high["maj@k"][2]).toEqual({ value: 0.5, problems: 2, ties: 1 });
    expect(high["pass@k"][4]).toBeUndefined();
    expect(high.k).toBe(2);
    expect(s.settings["low/no-tool"].k).toBe(1);
    expect(s.settings["medium/no-tool"]).toMatchObject({ problems: 0, "pass@1": null, k: null });
    expect(Object.keys(s.settings)).toEqual([
      "high/with-tool", "high/no-tool", "medium/with-tool", "medium/no-tool", "low/with-tool", "low/no-tool", "all",
    ]);
    expect(s.totals).toMatchObject({ rows: 5, correct: 2, incorrect: 3 });
  });

  it("merging the summaries of disjoint parts gives the summary of the whole", () => {
    const whole = score(records, { k: [1, 2] });
    const part1 = score(records.filter((r) => r.problemId !== "b"), { k: [1, 2] });
    const part2 = score(records.filter((r) => r.problemId === "b"), { k: [1, 2] });
    expect(JSON.stringify(mergeSummaries([part2, part1]))).toBe(JSON.stringify(whole));
    expect(() => mergeSummaries([part1, part1])).toThrow(/more than one input/);
    expect(() => mergeSummaries([part1, score([], { k: [1] })])).toThrow(/different options/);
  });
});

describe("NeMo-Skills compatibility through the score board", () => {
  for (const [name, bench] of Object.entries<any>(fixture)) {
    it(`reproduces ${name} from per-sample records`, () => {
      const board = new ScoreBoard({ k: [1, 2, 3], compat: "nemo-skills" });
      for (const record of fixtureRecords(bench)) board.add(record);
      const summary = summarize(board.scoreProblems(), totalsFrom(board.statusCounts), { k: [1, 2, 3], compat: "nemo-skills" });
      expect(summary.settings.all.nemo_skills).toStrictEqual(bench.expected_metrics);
      // The table's own figures follow NeMo-Skills' arithmetic too (fractions, not percentages).
      expect(100 * summary.settings.all["maj@k"][2].value).toBeCloseTo(bench.expected_metrics["majority@2"].symbolic_correct, 12);
      expect(100 * summary.settings.all["pass@k"][2].value).toBeCloseTo(bench.expected_metrics["pass@2"].symbolic_correct, 12);
    });
  }
});

describe("prefix grouping", () => {
  // Same partition as grouping each prefix on its own (groupEquivalent), from pair verdicts computed once.
  const partition = (classes: number[]) => {
    const first = new Map<number, number>();
    return classes.map((c, i) => (c < 0 ? -1 : (first.has(c) ? first.get(c)! : (first.set(c, i), i))));
  };
  it("equals groupEquivalent on every prefix", () => {
    const pool = ["1/2", "0.5", "\\frac12", "2", "02", "x = 2", "\\sqrt4", "3", null, "0.333333", "\\frac13", "1/3", "\\pi", "3.141593", "-2", "4/2"];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const options = { verifyOptions: { fallback: false } };
    for (let trial = 0; trial < 40; trial++) {
      const answers = Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => pool[Math.floor(rnd() * pool.length)]);
      const ks = [1, 2, 4, 8, 16].filter((k) => k <= answers.length);
      const fast = prefixVoteClasses(answers, ks, options);
      ks.forEach((k, i) => expect(partition(fast[i]), JSON.stringify(answers.slice(0, k))).toEqual(partition(voteClasses(answers.slice(0, k), options))));
    }
  });
});
