// The packed form in which workers hand a batch's verdicts to a grading run's main thread: its text is
// the rows' JSONL, and its records are what recordOf() makes of the rows, on the example dump's real
// verdicts and on rows with every optional field. Also: a sample index past the score state's range is
// invalid input, not a failed run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeFiles, recordOf, type VerdictRow } from "../src/grade/index.js";
import { packVerdicts, unpackRecords } from "../src/grade/packed.js";
import { SAMPLE_INDEX_LIMIT } from "../src/score/index.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-packed-"));
const EXAMPLE = ["high", "medium", "low"].map((m) => `examples/nemotron-math-v2/${m}.part_00.jsonl.gz`);

const readRows = (file: string): VerdictRow[] =>
  readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("packed verdicts", () => {
  it("carry the rows' JSONL and their score records, on the example dump and on hand-made rows", async () => {
    const out = join(dir, "example.jsonl");
    await gradeFiles({ files: EXAMPLE, out, threads: 0 });
    const rows: VerdictRow[] = readRows(out);
    const unusual: VerdictRow[] = [
      { file: "a", line: 1, problem_id: null, sample: null, mode: null, tool: null, format: null, status: "invalid_input", method: null, answer: null, extraction: null, gold: null, reason: "malformed JSON: x" },
      { file: "a", line: 2, problem_id: "p", sample: 7, mode: "low", tool: false, format: "nemo-skills", status: "correct", method: "exact", answer: "é\u2028\"", extraction: "boxed", gold: "é\u2028\"", reward_model_score: -0.25 },
      { file: "a", line: 3, problem_id: "p", sample: 0, mode: "low", tool: true, format: "nemo-skills", status: "no_reference", method: null, answer: "3", extraction: "boxed", gold: null },
    ];
    for (const batch of [rows.slice(0, 1000), unusual, [...unusual, null, ...rows.slice(5, 9)]]) {
      const packed = packVerdicts(batch);
      const present = batch.filter((r): r is VerdictRow => r !== null);
      expect(packed.count).toBe(present.length);
      expect(Buffer.from(packed.jsonl).toString("utf8")).toBe(present.map((r) => JSON.stringify(r) + "\n").join(""));
      // Records are read one at a time (the object is reused), so copy each.
      const records: object[] = [];
      for (const record of unpackRecords(packed)) records.push({ ...record });
      expect(records).toEqual(present.map((r) => recordOf(r)));
    }
  });

  it("turns a row whose sample index is out of range into invalid input", async () => {
    const file = join(dir, "samples.jsonl");
    const row = (sample: number) =>
      JSON.stringify({ problem_id: "p", problem: "1+1?", expected_answer: "2", generation: "\\boxed{2}", sample });
    writeFileSync(file, [row(SAMPLE_INDEX_LIMIT - 1), row(SAMPLE_INDEX_LIMIT), row(1e15)].join("\n") + "\n");
    const out = join(dir, "samples-verdicts.jsonl");
    const result = await gradeFiles({ files: [file], out, threads: 0 });
    const rows = readRows(out);
    expect(rows.map((r) => r.status)).toEqual(["correct", "invalid_input", "invalid_input"]);
    expect(rows[1].reason).toBe(`sample index ${SAMPLE_INDEX_LIMIT} is out of range (0 to ${SAMPLE_INDEX_LIMIT - 1})`);
    expect(rows[2].problem_id).toBe("p");
    expect(result.summary.totals).toMatchObject({ rows: 3, correct: 1, invalid_input: 2 });
  });
});
