// `filterProblems` and `veritrace filter` on a hand-built dump whose decisions are known in advance:
// a trivial problem, a repaired reference, a tie, missing references, metadata-only pass rates, a kept
// reference that the majority disagrees with, a problem without high-mode attempts, invalid rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterProblems, withReference, type FilterOptions, type FilterSummary } from "../src/pipeline/filter.js";
import { runCli } from "./helpers/cli.js";

type Mode = "high" | "medium" | "low";
/** One attempt: its answer (null: never boxed), tool use and sample index. */
interface Attempt {
  answer: string | null;
  tool: boolean;
  sample?: number;
}

function attempt(problem: string, gold: string | null, a: Attempt, extra: Record<string, unknown> = {}): string {
  const final = a.answer === null ? "I could not finish." : `The answer is \\boxed{${a.answer}}.`;
  const messages: unknown[] = [{ role: "user", content: `Solve ${problem}.` }];
  if (a.tool) {
    messages.push({
      role: "assistant",
      content: "",
      reasoning_content: "Let me compute.",
      tool_calls: [{ id: "call_0", type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code: "print(1)" }) } }],
    });
    messages.push({ role: "tool", name: "stateful_python_code_exec", tool_call_id: "call_0", content: "1" });
  }
  messages.push({ role: "assistant", reasoning_content: "Thinking.", content: final });
  const row: Record<string, unknown> = { uuid: problem, problem: `Solve ${problem}.`, expected_answer: gold, messages, ...extra };
  if (a.sample !== undefined) row.sample = a.sample;
  return JSON.stringify(row);
}

/** n attempts per setting (no tool, tool) with the answers given in order. */
function setting(answers: Array<string | null>, tool: boolean): Attempt[] {
  return answers.map((answer, sample) => ({ answer, tool, sample }));
}
const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

interface Dataset {
  files: Record<Mode, string[]>;
}

/** The hand-built dataset; every comment states the decision the rules must reach. */
function dataset(): Dataset {
  const files: Dataset["files"] = { high: [], medium: [], low: [] };
  const add = (mode: Mode, problem: string, gold: string | null, attempts: Attempt[], extra: Record<string, unknown> = {}) => {
    for (const a of attempts) files[mode].push(attempt(problem, gold, a, extra));
  };
  // trivial: low mode 14/16 correct = 0.875 > 0.8 ▸ dropped (source: traces).
  add("high", "trivial", "42", [...setting(times(8, "42"), false), ...setting(times(8, "42"), true)]);
  add("low", "trivial", "42", [...setting([...times(7, "42"), "41"], false), ...setting([...times(7, "42"), null], true)]);

  // repaired: reference 7 matched by no high vote; majority class {0.5, \frac{1}{2}} (14 votes) ▸ replaced
  // by its first member in vote order (no-tool sample 0: "0.5"). Low pass rate vs 0.5: 4/16 ▸ kept.
  add("high", "repaired", "7", [
    ...setting(["0.5", "\\frac{1}{2}", "\\frac{1}{2}", "0.5", "3", "\\frac12", "0.5", "\\frac{1}{2}"], false),
    ...setting([...times(6, "\\frac{1}{2}"), "3", "0.5"], true),
  ]);
  add("low", "repaired", "7", [...setting([...times(4, "1/2"), ...times(4, "7")], false), ...setting(times(8, "3"), true)]);

  // tie: no reference; high votes 8 × "6" and 8 × "5". The tool rows come first in the file, but the
  // vote order puts no-tool attempts first, and no-tool sample 0 says "6" ▸ filled with "6".
  add("high", "tie", null, setting([...times(4, "5"), ...times(4, "6")], true));
  add("high", "tie", null, setting(["6", "6", "5", "5", "6", "6", "5", "5"], false));

  // missing: empty reference, majority 12 (10 votes) against 13 (5) and one missing answer ▸ filled with 12.
  add("high", "missing", "", [...setting([...times(5, "12"), ...times(3, "13")], false), ...setting([...times(5, "12"), ...times(2, "13"), null], true)]);

  // meta-trivial: no low traces; metadata low 8/8 + 7/8 = 15/16 ▸ dropped (source: metadata).
  const metaEasy = { metadata: { reason_low_with_tool: { count: 8, pass: 8, accuracy: 1 }, reason_low_no_tool: { count: 8, pass: 7, accuracy: 0.875 } } };
  add("high", "meta-trivial", "9", [...setting(times(8, "9"), false), ...setting(times(8, "9"), true)], metaEasy);
  // meta-hard: metadata low 2/8 + 6/8 = 0.5 ▸ kept (source: metadata); 13 traces answer 9.
  const metaHard = { metadata: { reason_low_with_tool: { count: 8, pass: 6, accuracy: 0.75 }, reason_low_no_tool: { count: 8, pass: 2, accuracy: 0.25 } } };
  add("high", "meta-hard", "9", [...setting([...times(6, "9"), "8", "8"], false), ...setting([...times(7, "9"), null], true)], metaHard);

  // kept-minority: reference 100 matched by 7 high votes, majority 99 (9 votes) ▸ reference kept;
  // only the 7 traces answering 100 (one written 100.0) stay.
  add("high", "kept-minority", "100", [...setting([...times(5, "99"), ...times(3, "100")], false), ...setting([...times(4, "99"), "100.0", ...times(3, "100")], true)]);

  // no-high: only medium attempts; votes from all attempts ▸ filled with 2 (3 votes against 1).
  add("medium", "no-high", null, setting(["2", "2", "4", "2"], false));

  // An invalid row and a blank line in the medium file.
  files.medium.push("{broken json", "");
  return { files };
}

let dir: string;
let paths: Record<Mode, string>;
let summary: FilterSummary;
let curated: Array<Record<string, any>>;
let audit: Array<Record<string, any>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "veritrace-filter-"));
  const { files } = dataset();
  paths = { high: join(dir, "high.jsonl"), medium: join(dir, "medium.jsonl"), low: join(dir, "low.jsonl.gz") };
  writeFileSync(paths.high, files.high.join("\n") + "\n");
  writeFileSync(paths.medium, files.medium.join("\n") + "\n");
  writeFileSync(paths.low, gzipSync(files.low.join("\n") + "\n"));
  summary = await filterProblems([paths.high, paths.medium, paths.low], { out: join(dir, "curated.jsonl"), audit: join(dir, "audit.jsonl") });
  curated = readFileSync(join(dir, "curated.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  audit = readFileSync(join(dir, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
}, 120_000);
afterAll(() => (process.env.KEEP_TMP ? undefined : rmSync(dir, { recursive: true, force: true })));

const auditOf = (problem: string, rule: string): Record<string, any> => audit.find((a) => a.problem === problem && a.rule === rule)!;
const rowsOf = (problem: string) => curated.filter((r) => r.uuid === problem);
const answerOf = (r: Record<string, any>) => /\\boxed\{(.*)\}/.exec(r.messages[r.messages.length - 1].content)?.[1];

describe("filterProblems on the hand-built dataset", () => {
  it("counts problems and decisions", () => {
    expect(summary.rows).toEqual({ read: 149, invalid: 1 });
    expect(summary.problems).toEqual({
      in: 8,
      droppedTrivial: 2,
      droppedNoVotes: 0,
      referenceFilled: 3,
      referenceKept: 4,
      referenceReplaced: 1,
      curated: 6,
    });
    expect(summary.trivialSource).toEqual({ traces: 2, metadata: 2, "traces+metadata": 0, none: 4 });
  });

  it("drops a trivial problem by its low-mode traces", () => {
    expect(auditOf("trivial", "trivial")).toMatchObject({
      inputs: { source: "traces", pass: 14, count: 16, rate: 0.875, threshold: 0.8 },
      outcome: "dropped",
    });
    expect(rowsOf("trivial")).toEqual([]);
  });

  it("replaces a reference that no vote matches by the majority, and records the original", () => {
    const ref = auditOf("repaired", "reference");
    expect(ref.outcome).toBe("replaced: 0.5");
    expect(ref.inputs).toMatchObject({ reference: "7", votes: "high", cast: 16, majority: "0.5", tie: false, reference_votes: 0 });
    expect(ref.inputs.classes).toEqual([
      { answer: "0.5", votes: 14 },
      { answer: "3", votes: 2 },
    ]);
    expect(auditOf("repaired", "trivial")).toMatchObject({ inputs: { source: "traces", pass: 4, count: 16 }, outcome: "kept" });
    const rows = rowsOf("repaired");
    // 14 high traces and the 4 low traces answering 1/2.
    expect(rows).toHaveLength(18);
    for (const r of rows) {
      expect(r.expected_answer).toBe("0.5");
      expect(r.original_expected_answer).toBe("7");
      expect(r.changed_answer_to_majority).toBe(true);
    }
    expect(new Set(rows.map(answerOf))).toEqual(new Set(["0.5", "\\frac{1}{2}", "\\frac12", "1/2"]));
  });

  it("breaks a tie by the documented vote order, not by file order", () => {
    const ref = auditOf("tie", "reference");
    expect(ref.inputs).toMatchObject({ reference: null, tie: true, majority: "6" });
    expect(ref.outcome).toBe("filled: 6");
    const rows = rowsOf("tie");
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.expected_answer).toBe("6");
      expect(r.original_expected_answer).toBeNull();
      expect(r.changed_answer_to_majority).toBe(false);
    }
  });

  it("fills a missing reference with the majority answer", () => {
    const ref = auditOf("missing", "reference");
    expect(ref.inputs).toMatchObject({ reference: null, cast: 15, no_answer: 1, majority: "12" });
    expect(rowsOf("missing").map((r) => r.expected_answer)).toEqual(times(10, "12"));
    expect(auditOf("missing", "trivial")).toMatchObject({ inputs: { source: "none" }, outcome: "kept (no attempts or counts)" });
  });

  it("uses the metadata counts when the low-mode traces are absent", () => {
    expect(auditOf("meta-trivial", "trivial")).toMatchObject({
      inputs: {
        source: "metadata",
        settings: { "low/no_tool": { source: "metadata", pass: 7, count: 8 }, "low/with_tool": { source: "metadata", pass: 8, count: 8 } },
        pass: 15,
        count: 16,
      },
      outcome: "dropped",
    });
    expect(rowsOf("meta-trivial")).toEqual([]);
    expect(auditOf("meta-hard", "trivial")).toMatchObject({ inputs: { source: "metadata", pass: 8, count: 16, rate: 0.5 }, outcome: "kept" });
    expect(rowsOf("meta-hard")).toHaveLength(13);
  });

  it("keeps a reference that some vote matches, even against the majority, and keeps only matching traces", () => {
    const ref = auditOf("kept-minority", "reference");
    expect(ref.outcome).toBe("kept");
    expect(ref.inputs).toMatchObject({ majority: "99", reference_votes: 7 });
    const rows = rowsOf("kept-minority");
    expect(rows.map(answerOf).sort()).toEqual(["100", "100", "100", "100", "100", "100", "100.0"]);
    for (const r of rows) expect(r.original_expected_answer).toBe("100");
    expect(auditOf("kept-minority", "keep_correct").outcome.settings).toEqual({
      "high/no_tool": { kept: 3, dropped: 5 },
      "high/with_tool": { kept: 4, dropped: 4 },
    });
  });

  it("votes with all attempts when a problem has no high-mode attempt", () => {
    expect(auditOf("no-high", "reference")).toMatchObject({ inputs: { votes: "all (no high-mode attempts)", majority: "2" }, outcome: "filled: 2" });
    expect(rowsOf("no-high")).toHaveLength(3);
  });

  it("reports the invalid row and counts traces kept per setting", () => {
    const invalid = audit.filter((a) => a.rule === "invalid_input");
    expect(invalid).toHaveLength(1);
    expect(invalid[0].inputs).toEqual({ file: paths.medium, line: 5 });
    expect(summary.traces.bySetting["high/no_tool"]).toEqual({ in: 56, kept: 7 + 4 + 5 + 6 + 3 });
    expect(summary.traces.kept).toBe(curated.length);
    expect(audit[audit.length - 1].rule).toBe("summary");
  });

  it("leaves rows unchanged but for the reference fields", () => {
    const original = readFileSync(paths.high, "utf8").split("\n").map((l) => JSON.parse(l || "null"));
    const source = original.find((r) => r && r.uuid === "kept-minority" && answerOf(r) === "100.0");
    const out = rowsOf("kept-minority").find((r) => answerOf(r) === "100.0")!;
    const { expected_answer, original_expected_answer, changed_answer_to_majority, reasoning_effort, ...rest } = out;
    const { expected_answer: e0, ...restIn } = source;
    expect(rest).toEqual(restIn);
    expect([expected_answer, original_expected_answer, changed_answer_to_majority, e0]).toEqual(["100", "100", false, "100"]);
    // The mode came from the file name: the curated row says it, since the curated file mixes modes.
    expect(reasoning_effort).toBe("high");
  });

  it("keeps the bytes of a row that already carries its final reference and mode", () => {
    const line = '{"uuid":"u","expected_answer":"0.50","original_expected_answer":"0.50","changed_answer_to_majority":false,"reasoning_effort":"low","x":1.0,"s":"\\u00e9"}';
    expect(withReference(line, "0.50", "0.50", false, "low")).toBe(line);
    const changed = JSON.parse(withReference(line, "1/2", "0.50", true, "low"));
    expect(changed).toMatchObject({ expected_answer: "1/2", original_expected_answer: "0.50", changed_answer_to_majority: true, reasoning_effort: "low", x: 1 });
    const generic = JSON.parse(withReference('{"id":"g","gold":"3","response":"\\boxed{4}"}', "4", "3", true, "medium"));
    expect(generic).toMatchObject({ gold: "4", expected_answer: "4", original_expected_answer: "3", reasoning_effort: "medium" });
  });

  it("gives the same bytes with worker threads", async () => {
    const out = join(dir, "curated-threads.jsonl");
    const auditPath = join(dir, "audit-threads.jsonl");
    await filterProblems([paths.high, paths.medium, paths.low], { out, audit: auditPath, threads: 2 });
    expect(readFileSync(out)).toEqual(readFileSync(join(dir, "curated.jsonl")));
    expect(readFileSync(auditPath)).toEqual(readFileSync(join(dir, "audit.jsonl")));
  });

  it("gives the same bytes whatever the order of the input files", async () => {
    const out2 = join(dir, "curated-2.jsonl");
    const audit2 = join(dir, "audit-2.jsonl");
    await filterProblems([paths.low, paths.medium, paths.high], { out: out2, audit: audit2 });
    const sorted = (p: string) => readFileSync(p, "utf8").trim().split("\n").sort();
    expect(sorted(out2)).toEqual(sorted(join(dir, "curated.jsonl")));
    const decisions = (p: string) =>
      readFileSync(p, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .filter((a) => a.rule === "reference" || a.rule === "trivial")
        .map((a) => JSON.stringify([a.problem, a.outcome]))
        .sort();
    expect(decisions(audit2)).toEqual(decisions(join(dir, "audit.jsonl")));
  });
});

describe("filter options", () => {
  const decisions = async (name: string, options: Partial<FilterOptions>) => {
    const auditPath = join(dir, `${name}.audit.jsonl`);
    const result = await filterProblems([paths.high, paths.medium, paths.low], { out: null, audit: auditPath, ...options });
    const rows = readFileSync(auditPath, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    return { result, find: (problem: string, rule: string) => rows.find((a) => a.problem === problem && a.rule === rule) };
  };

  it("--repair-votes all lets low-mode attempts vote: the reference 7 of 'repaired' is then matched and kept", async () => {
    const { result, find } = await decisions("votes-all", { repairVotes: "all" });
    expect(find("repaired", "reference")).toMatchObject({ inputs: { votes: "all", reference_votes: 4 }, outcome: "kept" });
    expect(result.problems.referenceReplaced).toBe(0);
  });

  it("--trivial-mode high measures triviality on the high-mode attempts", async () => {
    const { result, find } = await decisions("trivial-high", { trivialMode: "high" });
    expect(find("repaired", "trivial")).toMatchObject({ inputs: { mode: "high", source: "traces", pass: 14, count: 16 }, outcome: "dropped" });
    expect(find("meta-trivial", "trivial")).toMatchObject({ inputs: { source: "traces", pass: 16, count: 16 }, outcome: "dropped" });
    expect(find("kept-minority", "trivial")).toMatchObject({ inputs: { pass: 7, count: 16 }, outcome: "kept" });
    expect(result.trivialSource.metadata).toBe(0);
  });

  it("--trivial-threshold 0.875 keeps a problem whose pass rate equals it (the rule is strictly above)", async () => {
    const { find } = await decisions("threshold", { trivialThreshold: 0.875 });
    expect(find("trivial", "trivial")).toMatchObject({ inputs: { rate: 0.875 }, outcome: "kept" });
  });
});

describe("veritrace filter", () => {
  it("prints the counts and writes the curated rows and the audit", () => {
    const out = join(dir, "cli.jsonl");
    const res = runCli(["filter", paths.high, paths.medium, paths.low, "--out", out, "--audit", join(dir, "cli-audit.jsonl"), "--json"]);
    expect(res.code).toBe(0);
    const printed = JSON.parse(res.stdout);
    expect(printed.problems).toEqual(summary.problems);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(join(dir, "curated.jsonl"), "utf8"));
    const table = runCli(["filter", paths.high, paths.medium, paths.low, "--out", join(dir, "cli2.jsonl"), "--trivial-threshold", "0.9"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/dropped as trivial 1 /);
  });

  it("exits 2 on usage errors and unreadable input", () => {
    // The whole result is compared so that a failure shows stderr.
    const exit = (args: string[]) => {
      const r = runCli(args);
      return { code: r.code, stderr: r.stderr.split("\n")[0] };
    };
    expect(exit(["filter", paths.high])).toEqual({ code: 2, stderr: "veritrace filter: --out is required" });
    expect(exit(["filter", paths.high, "--out", join(dir, "x.jsonl"), "--repair-votes", "some"])).toEqual({ code: 2, stderr: "veritrace filter: --repair-votes: 'some' is not high or all" });
    expect(exit(["filter", paths.high, "--out", join(dir, "x.jsonl"), "--trivial-threshold", "2"])).toEqual({ code: 2, stderr: "veritrace filter: --trivial-threshold: '2' is not a number in [0, 1]" });
    expect(exit(["filter", join(dir, "none.jsonl"), "--out", join(dir, "x.jsonl")])).toEqual({ code: 2, stderr: `veritrace filter: ${join(dir, "none.jsonl")}: no such file` });
  });
});

describe("raw harmony rows", () => {
  it("curates harmony-text rows without a reference, and reports bare strings it cannot group", async () => {
    const gen = (answer: string) =>
      `<|channel|>analysis<|message|>Compute.<|end|><|start|>assistant<|channel|>final<|message|>So \\boxed{${answer}}`;
    const path = join(dir, "raw-low.jsonl");
    // No reference: the majority (4 of 5) fills it. A bare string has no problem to group it under.
    const rows = ["4", "4", "4", "5", "4"].map((a) => JSON.stringify({ problem: "2+2?", text: gen(a) }));
    writeFileSync(path, [...rows, JSON.stringify(gen("4"))].join("\n") + "\n");
    const out = join(dir, "raw-curated.jsonl");
    const auditPath = join(dir, "raw-audit.jsonl");
    const result = await filterProblems([path], { out, audit: auditPath, repairVotes: "all" });
    expect(result.problems).toMatchObject({ in: 1, referenceFilled: 1 });
    expect(result.rows).toEqual({ read: 6, invalid: 1 });
    const curatedRows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(curatedRows).toHaveLength(4);
    expect(curatedRows[0]).toEqual({ problem: "2+2?", text: gen("4"), expected_answer: "4", original_expected_answer: null, changed_answer_to_majority: false, reasoning_effort: "low" });
    const invalid = readFileSync(auditPath, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((r) => r.rule === "invalid_input");
    expect(invalid).toMatchObject([{ inputs: { line: 6 } }]);
    expect(invalid[0].outcome).toMatch(/no problem id/);
  });

  it("wraps a bare string row when it must carry reference fields", () => {
    expect(JSON.parse(withReference(JSON.stringify("<|channel|>final<|message|>\\boxed{1}"), "1", null, false, "high"))).toEqual({
      text: "<|channel|>final<|message|>\\boxed{1}",
      expected_answer: "1",
      original_expected_answer: null,
      changed_answer_to_majority: false,
      reasoning_effort: "high",
    });
  });
});

describe("the example dump (examples/nemotron-math-v2)", () => {
  it("measures each low-mode pass rate from the traces exactly as the dump's own metadata counts it", async () => {
    const files = ["high", "medium", "low"].map((m) => join("examples", "nemotron-math-v2", `${m}.part_00.jsonl.gz`));
    const auditPath = join(dir, "example-audit.jsonl");
    const result = await filterProblems(files, { out: join(dir, "example-curated.jsonl"), audit: auditPath });
    // The low-mode metadata (on the low rows), by problem; the generator states that it agrees with the attempts.
    const { gunzipSync } = await import("node:zlib");
    const meta = new Map<string, { pass: number; count: number }>();
    for (const f of files) {
      for (const line of gunzipSync(readFileSync(f)).toString("utf8").split("\n")) {
        if (!line) continue;
        const row = JSON.parse(line);
        const low = [row.metadata?.reason_low_no_tool, row.metadata?.reason_low_with_tool];
        if (low[0] && low[1]) meta.set(row.uuid, { pass: low[0].pass + low[1].pass, count: low[0].count + low[1].count });
      }
    }
    const trivial = readFileSync(auditPath, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((a) => a.rule === "trivial");
    expect(trivial).toHaveLength(result.problems.in);
    expect(result.problems.referenceReplaced + result.problems.referenceFilled).toBe(0);
    for (const row of trivial) {
      expect(row.inputs.source).toBe("traces");
      expect({ problem: row.problem, pass: row.inputs.pass, count: row.inputs.count }).toEqual({ problem: row.problem, ...meta.get(row.problem) });
      expect(row.outcome).toBe(row.inputs.pass / row.inputs.count > 0.8 ? "dropped" : "kept");
    }
    // Many batches through two worker threads: the same bytes.
    const threadedOut = join(dir, "example-curated-2.jsonl");
    await filterProblems(files, { out: threadedOut, audit: join(dir, "example-audit-2.jsonl"), threads: 2 });
    expect(readFileSync(threadedOut)).toEqual(readFileSync(join(dir, "example-curated.jsonl")));
    expect(readFileSync(join(dir, "example-audit-2.jsonl"))).toEqual(readFileSync(auditPath));
  });
});
