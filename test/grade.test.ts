// `veritrace grade` and the library `grade()` on the example dump and on hand-made inputs: one row per
// input line in order, invalid lines, gzip, --gold, NeMo-Skills compat on the fixture, thread-count
// independence, exit codes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { grade } from "../src/grade/index.js";
import { runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-grade-"));
const EXAMPLE = ["high", "medium", "low"].map((m) => `examples/nemotron-math-v2/${m}.part_00.jsonl.gz`);
const fixture = JSON.parse(readFileSync(new URL("../../shared/corpus/metrics_fixture.json", import.meta.url), "utf8"));

const readRows = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));

function nemotronRow(uuid: string, answerText: string, gold: string | null, extra: object = {}) {
  return {
    uuid,
    problem: `Problem ${uuid}`,
    ...(gold === null ? {} : { expected_answer: gold }),
    messages: [
      { role: "user", content: `Problem ${uuid}` },
      { role: "assistant", reasoning_content: "thinking", content: answerText },
    ],
    metadata: {},
    tools: [],
    ...extra,
  };
}

describe("grade on the example dump", () => {
  it("writes the same bytes with 1 and 2 threads, one row per input line, in order", () => {
    const outs = [1, 2].map((t) => {
      // Output folders that do not exist yet are made.
      const out = join(dir, `t${t}`, "verdicts", "ex.jsonl");
      const summary = join(dir, `t${t}`, "ex.json");
      const r = runCli(["grade", ...EXAMPLE, "--out", out, "--summary", summary, "--threads", String(t)]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return { out: readFileSync(out), summary: readFileSync(summary), stdout: r.stdout };
    });
    expect(outs[0].out.equals(outs[1].out)).toBe(true);
    expect(outs[0].summary.equals(outs[1].summary)).toBe(true);
    expect(outs[0].stdout).toBe(outs[1].stdout);

    const rows = readRows(join(dir, "t1", "verdicts", "ex.jsonl"));
    expect(rows.length).toBe(2880);
    // In input order: file by file, line by line.
    rows.forEach((row, i) => {
      expect(row.file).toBe(EXAMPLE[Math.floor(i / 960)]);
      expect(row.line).toBe((i % 960) + 1);
    });
    expect(Object.keys(rows[0])).toEqual(["file", "line", "problem_id", "sample", "mode", "tool", "format", "status", "method", "answer", "extraction", "gold"]);
    // Other forms of the reference are judged correct: 0.5 for \frac{1}{2}-like golds, 016 for 16, 27 for 27.0.
    const otherForms = rows.filter((r) => r.status === "correct" && r.answer !== r.gold);
    expect(otherForms.length).toBeGreaterThan(100);
    expect(otherForms.some((r) => /^0\d+$/.test(r.answer))).toBe(true);
    expect(otherForms.some((r) => /^-?\d*\.\d+$/.test(r.answer) && r.gold.includes("frac"))).toBe(true);
    // The table: six settings and "all", with the k column.
    const table = outs[0].stdout.split("\n");
    expect(table[0]).toMatch(/^setting\s+problems\s+traces\s+k\s+pass@1\s+maj@k\s+pass@k\s+no-answer$/);
    for (const s of ["high/with-tool", "high/no-tool", "medium/with-tool", "medium/no-tool", "low/with-tool", "low/no-tool"]) {
      expect(table.some((l) => new RegExp(`^${s}\\s+60\\s+480\\s+8\\s`).test(l))).toBe(true);
    }
    expect(table.some((l) => /^all\s+60\s+2880\s+16\s/.test(l))).toBe(true);
  }, 120_000);

  it("agrees with the pass counts the generator wrote into each row's metadata", () => {
    const rows = readRows(join(dir, "t1", "verdicts", "ex.jsonl"));
    const counted = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.problem_id}/reason_${r.mode}_${r.tool ? "with" : "no"}_tool`;
      counted.set(key, (counted.get(key) ?? 0) + (r.status === "correct" ? 1 : 0));
    }
    let checked = 0;
    for (const file of EXAMPLE) {
      for (const line of gunzipSync(readFileSync(file)).toString("utf8").trimEnd().split("\n")) {
        const row = JSON.parse(line);
        for (const [key, m] of Object.entries<any>(row.metadata)) {
          if (!key.startsWith(`reason_${file.includes("high") ? "high" : file.includes("medium") ? "medium" : "low"}_`)) continue;
          expect(counted.get(`${row.uuid}/${key}`), `${row.uuid}/${key}`).toBe(m.pass);
          checked++;
        }
      }
    }
    expect(checked).toBe(2880 * 2);
  });
});

describe("nothing lost", () => {
  it("gives every line one row: malformed, empty, no response, unknown format, no reference", () => {
    const lines = [
      JSON.stringify(nemotronRow("u1", "So \\boxed{\\frac{1}{2}}.", "0.5")),
      "{not json",
      "",
      JSON.stringify({ uuid: "u2", expected_answer: "3" }),
      JSON.stringify({ id: "u3", weird: true }),
      JSON.stringify(nemotronRow("u4", "\\boxed{7}", null)),
      JSON.stringify(nemotronRow("u5", "I could not work out the answer to this problem, sorry.", "5")),
      "[1,2,3]",
      JSON.stringify(nemotronRow("u6", "\\boxed{4}", "5")) + "\r",
    ];
    const file = join(dir, "mixed.jsonl");
    writeFileSync(file, "\ufeff" + lines.join("\n")); // BOM, CRLF on the last line, no final newline
    const out = join(dir, "mixed.out.jsonl");
    const r = runCli(["grade", file, "--out", out, "--threads", "1", "--json"]);
    expect(r.code).toBe(0);
    const rows = readRows(out);
    expect(rows.map((x) => x.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.map((x) => x.status)).toEqual([
      "correct",
      "invalid_input",
      "invalid_input",
      "invalid_input",
      "invalid_input",
      "no_reference",
      "no_answer",
      "invalid_input",
      "incorrect",
    ]);
    expect(rows[1].reason).toMatch(/^malformed JSON/);
    expect(rows[2].reason).toBe("empty line");
    expect(rows[3].problem_id).toBe("u2");
    expect(rows[3].reason.length).toBeGreaterThan(0);
    expect(rows[4].reason).toMatch(/fits no trace format/);
    expect(rows[5].answer).toBe("7");
    expect(rows[7].problem_id).toBeNull();
    const summary = JSON.parse(r.stdout);
    expect(summary.totals).toEqual({
      rows: 9, correct: 1, incorrect: 1, no_answer: 1, unparsable: 0, too_complex: 0, no_reference: 1, invalid_input: 5,
    });
  });

  it("reads .jsonl.gz as it reads .jsonl", () => {
    const text = [1, 2, 3].map((i) => JSON.stringify(nemotronRow(`g${i}`, `\\boxed{${i}}`, "2"))).join("\n") + "\n";
    writeFileSync(join(dir, "plain.jsonl"), text);
    writeFileSync(join(dir, "plain.jsonl.gz"), gzipSync(text));
    const a = runCli(["grade", join(dir, "plain.jsonl"), "--out", join(dir, "plain.out"), "--threads", "1"]);
    const b = runCli(["grade", join(dir, "plain.jsonl.gz"), "--out", join(dir, "gz.out"), "--threads", "1"]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const strip = (rows: any[]) => rows.map(({ file, ...rest }) => rest);
    expect(strip(readRows(join(dir, "gz.out")))).toEqual(strip(readRows(join(dir, "plain.out"))));
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("--gold", () => {
  it("joins reference answers by problem id, and takes precedence over the row's", () => {
    const file = join(dir, "nogold.jsonl");
    writeFileSync(
      file,
      [
        nemotronRow("q1", "\\boxed{016}", null),
        nemotronRow("q2", "\\boxed{0.75}", "9"),
        nemotronRow("q3", "\\boxed{1}", null),
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const gold = join(dir, "gold.jsonl");
    writeFileSync(gold, '{"uuid":"q1","answer":"16"}\n{"problem_id":"q2","expected_answer":"\\\\frac{3}{4}"}\n');
    const out = join(dir, "gold.out.jsonl");
    expect(runCli(["grade", file, "--gold", gold, "--out", out, "--threads", "1"]).code).toBe(0);
    const rows = readRows(out);
    expect(rows.map((r) => [r.status, r.gold])).toEqual([
      ["correct", "16"],
      ["correct", "\\frac{3}{4}"],
      ["no_reference", null],
    ]);
    const bad = join(dir, "gold-bad.jsonl");
    writeFileSync(bad, '{"uuid":"q1"}\n');
    const r = runCli(["grade", file, "--gold", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("gold-bad.jsonl:1");
  });
});

describe("--compat nemo-skills", () => {
  for (const [name, bench] of Object.entries<any>(fixture)) {
    it(`reproduces metrics_fixture.json (${name}) from NeMo-Skills generation files`, () => {
      // One output-rs{j}.jsonl per sample, line i = problem i, as NeMo-Skills writes them.
      mkdirSync(join(dir, name), { recursive: true });
      const files = bench.input_files_in_sorted_order.map((_: string, j: number) => join(dir, name, `output-rs${j}.jsonl`));
      files.forEach((file: string, j: number) => {
        const lines = bench.problems.map((samples: any[], i: number) => {
          const s = samples[j];
          // A reference the correct answers equal and the wrong ones do not.
          const right = samples.find((x: any) => x.symbolic_correct)?.predicted_answer ?? "none of these";
          return JSON.stringify({
            problem: `${name} problem ${i}`,
            expected_answer: right,
            generation: s.predicted_answer === null ? "I cannot decide." : `Reasoning... the answer is \\boxed{${s.predicted_answer}}`,
            num_generated_tokens: s.num_generated_tokens,
            ...(s.reward_model_score !== undefined ? { reward_model_score: s.reward_model_score } : {}),
          });
        });
        writeFileSync(file, lines.join("\n") + "\n");
      });
      const r = runCli(["grade", ...files, "--compat", "nemo-skills", "--json", "--threads", "1"]);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.settings.all.nemo_skills).toStrictEqual(bench.expected_metrics);
      // Sample indices come from the file names (output-rs{j}.jsonl).
      expect(summary.problems[0].settings.all.n).toBe(files.length);
    });
  }
});

describe("library grade()", () => {
  it("takes rows as objects, strings or bytes and yields one verdict row each, in order", async () => {
    const rows = [
      nemotronRow("l1", "\\boxed{\\sqrt{4}}", "2"),
      JSON.stringify(nemotronRow("l2", "\\boxed{3}", "2")),
      new TextEncoder().encode("nope"),
    ];
    async function* source() {
      yield* rows;
    }
    const out = [];
    for await (const v of grade(source(), { file: "high.jsonl", batchRows: 2 })) out.push(v);
    expect(out.map((v) => [v.line, v.problem_id, v.mode, v.status])).toEqual([
      [1, "l1", "high", "correct"],
      [2, "l2", "high", "incorrect"],
      [3, null, null, "invalid_input"],
    ]);
    const threaded = [];
    for await (const v of grade(rows, { file: "high.jsonl", threads: 2, batchRows: 1 })) threaded.push(v);
    expect(threaded).toEqual(out);
  });
});

describe("exit codes and usage", () => {
  it("exits 2 on usage errors and unreadable input, naming the problem", () => {
    const cases: Array<[string[], RegExp]> = [
      [["grade"], /no input files/],
      [["grade", join(dir, "missing.jsonl")], /missing\.jsonl: no such file/],
      [["grade", EXAMPLE[0], "--k", "0,2"], /--k/],
      [["grade", EXAMPLE[0], "--shard", "3/3"], /--shard/],
      [["grade", EXAMPLE[0], "--resume"], /--resume needs --out/],
      [["grade", EXAMPLE[0], "--compat", "lm-eval"], /--compat/],
      [["grade", EXAMPLE[0], "--bogus"], /bogus/],
      [["grade", EXAMPLE[0], EXAMPLE[0]], /twice/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
  it("exits 2 on a corrupt gzip input and names the file", () => {
    const file = join(dir, "corrupt.jsonl.gz");
    const text = Array.from({ length: 3000 }, (_, i) => JSON.stringify(nemotronRow(`c${i}`, `\\boxed{${i}}`, String(i)))).join("\n");
    const gz = gzipSync(text);
    writeFileSync(file, gz.subarray(0, gz.length >> 1));
    const r = runCli(["grade", file, "--threads", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/corrupt\.jsonl\.gz:\d+: cannot read/);
  });
  it("--no-fallback grades the example as the default does (the native engine decides all its pairs)", () => {
    const a = runCli(["grade", EXAMPLE[2], "--threads", "1"]);
    const b = runCli(["grade", EXAMPLE[2], "--threads", "1", "--no-fallback"]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(b.stdout).toBe(a.stdout);
  });
  it("prints help with examples", () => {
    const r = runCli(["grade", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/examples:/);
  });
});

describe("progress bar", () => {
  it("shows the fraction, traces/s, MB/s and ETA, and stays silent off a terminal", async () => {
    const { renderProgress, progressBar, formatDuration } = await import("../src/cli/progress.js");
    const text = renderProgress({ bytesRead: 50e6, bytesTotal: 200e6, rows: 1000 }, 2);
    expect(text).toContain(" 25.0%");
    expect(text).toContain("1,000 traces");
    expect(text).toContain("500 traces/s");
    expect(text).toContain("25.0 MB/s");
    expect(text).toContain("ETA 0:06"); // 150 MB left at 25 MB/s
    expect(formatDuration(3725)).toBe("1:02:05");
    const written: string[] = [];
    const fake = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressBar(fake);
    bar.update({ bytesRead: 1, bytesTotal: 2, rows: 1 });
    bar.done();
    expect(written).toEqual([]);
  });
});
