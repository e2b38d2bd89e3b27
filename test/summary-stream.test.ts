// The summary written and read problem by problem: writeSummary's bytes equal JSON.stringify of the
// in-memory summary (on the bundled example, under compat on NeMo-Skills' fixture, with no problems, with
// ids that need escapes), readSummary gives back the same head and problems for the pretty and compacted
// layouts, and the streaming merge of shards equals the summary of one run.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureRecords } from "./helpers/metrics-fixture.js";
import { gradeFiles, recordOf, type VerdictRow } from "../src/grade/index.js";
import { shardOf } from "../src/grade/shard.js";
import { readJsonRows } from "../src/io/lines.js";
import { readSmallLines } from "../src/io/small-lines.js";
import {
  emptyTotals,
  mergeSummaries,
  mergeSummaryStreams,
  readSummary,
  ScoreBoard,
  summarize,
  SummaryBuilder,
  totalsFrom,
  writeSummary,
  type ProblemScore,
  type ScoreOptions,
  type Summary,
} from "../src/score/index.js";

const EXAMPLE = ["high", "medium", "low"].map((m) => `examples/nemotron-math-v2/${m}.part_00.jsonl.gz`);
const fixture = JSON.parse(readFileSync(new URL("../../shared/corpus/metrics_fixture.json", import.meta.url), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "veritrace-summary-stream-"));
const spillDir = mkdtempSync(join(tmpdir(), "veritrace-summary-spill-"));

const pretty = (s: Summary) => JSON.stringify(s, null, 2) + "\n";

/** writeSummary's text, collected from two sinks (which must agree). */
async function written(problems: Iterable<ProblemScore> | AsyncIterable<ProblemScore>, s: Summary, chunkBytes?: number) {
  const a: string[] = [];
  const b: string[] = [];
  const options: ScoreOptions = { k: s.options.k, compat: (s.options.compat ?? undefined) as ScoreOptions["compat"] };
  const head = await writeSummary(problems, () => s.totals, options, [(t) => void a.push(t), async (t) => void b.push(t)], { tmpDir: spillDir, chunkBytes });
  expect(a.join("")).toBe(b.join(""));
  return { text: a.join(""), head, chunks: a.length };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** The example graded in one run, and NeMo-Skills' fixture scored under compat. */
let example: Summary;
let exampleCompat: Summary;
let fixtureCompat: Summary[];

/** The example graded, then scored in memory from its verdict rows (the summary of a run, made the old way). */
async function gradeExample(options: ScoreOptions, name: string): Promise<Summary> {
  const out = join(dir, `${name}.verdicts.jsonl`);
  await gradeFiles({ files: EXAMPLE, threads: 0, out, k: options.k, compat: options.compat });
  const board = new ScoreBoard(options);
  for await (const { row } of readJsonRows(out)) board.add(recordOf(row as VerdictRow));
  return summarize(board.scoreProblems(), totalsFrom(board.statusCounts), options);
}

beforeAll(async () => {
  example = await gradeExample({}, "default");
  exampleCompat = await gradeExample({ compat: "nemo-skills", k: [1, 2, 4] }, "compat");
  fixtureCompat = Object.values<any>(fixture).map((bench) => {
    const options: ScoreOptions = { k: [1, 2, 3], compat: "nemo-skills" };
    const board = new ScoreBoard(options);
    for (const record of fixtureRecords(bench)) board.add(record);
    return summarize(board.scoreProblems(), totalsFrom(board.statusCounts), options);
  });
}, 120_000);

afterAll(() => {
  for (const d of [dir, spillDir]) rmSync(d, { recursive: true, force: true });
});

describe("writeSummary", () => {
  it("writes the bytes of JSON.stringify(summary, null, 2) on the example, in one batch and spilled in small ones", async () => {
    expect(example.problems.length).toBeGreaterThan(10);
    const { text, head } = await written(example.problems, example);
    expect(text).toBe(pretty(example));
    const { problems, ...expectedHead } = example;
    expect(head).toStrictEqual(expectedHead);
    // Small buffers: the problems go through the temporary file, in batches of several problems (64 KiB)
    // or each one on its own (4 KiB, smaller than a problem), and are read back in pieces.
    for (const chunkBytes of [64 << 10, 4096]) {
      const spilled = await written(
        (async function* () {
          yield* example.problems;
        })(),
        example,
        chunkBytes,
      );
      expect(spilled.chunks).toBeGreaterThan(5);
      expect(spilled.text).toBe(pretty(example));
    }
    expect(readdirSync(spillDir)).toEqual([]); // the temporary directory is gone
  });

  it("writes the same bytes under --compat nemo-skills (example and NeMo-Skills' fixture)", async () => {
    expect(exampleCompat.settings.all.nemo_skills).toBeDefined();
    expect((await written(exampleCompat.problems, exampleCompat, 2048)).text).toBe(pretty(exampleCompat));
    for (const s of fixtureCompat) {
      expect(s.settings.all.nemo_skills).toBeDefined();
      expect((await written(s.problems, s)).text).toBe(pretty(s));
    }
    // The fixture's figures, through the incremental accumulator.
    Object.values<any>(fixture).forEach((bench, i) => expect(fixtureCompat[i].settings.all.nemo_skills).toStrictEqual(bench.expected_metrics));
  });

  it('writes "problems": [] when there are none', async () => {
    const empty = summarize([], emptyTotals(), {});
    const { text } = await written([], empty);
    expect(text).toBe(pretty(empty));
    expect(text).toMatch(/\n {2}"problems": \[\]\n\}\n$/);
  });

  it("escapes ids and answers with quotes, backslashes, newlines and non-ASCII text the way JSON.stringify does", async () => {
    const ids = ['a "quoted" id', "line\nbreak\ttab", "\u00e9t\u00e9 \u{1f600}", "\u2028sep", "back\\slash", "ctl\u0001"];
    const board = new ScoreBoard({ k: [1, 2] });
    for (const id of ids) {
      board.add({ problemId: id, mode: "high", tool: true, sample: null, status: "correct", answer: `x = "${id}"\n` });
      board.add({ problemId: id, mode: "low", tool: false, sample: null, status: "no_answer", answer: null });
    }
    const s = summarize(board.scoreProblems(), totalsFrom(board.statusCounts), { k: [1, 2] });
    // Pieces of 7 bytes (and some of 8 KiB) cut UTF-8 sequences of the temporary file: they must be joined back.
    for (const chunk of [undefined, 7, 8192]) expect((await written(s.problems, s, chunk)).text).toBe(pretty(s));
  });

  it("removes its temporary file when a sink fails", async () => {
    const failing = writeSummary(example.problems, example.totals, {}, [() => Promise.reject(new Error("disk full"))], { tmpDir: spillDir, chunkBytes: 4096 });
    await expect(failing).rejects.toThrow("disk full");
    expect(readdirSync(spillDir)).toEqual([]);
  });
});

describe("readSummary", () => {
  it("reads back the head and the problems, in order, from the pretty layout and from a compacted file", async () => {
    for (const [name, s] of [
      ["example", example],
      ["compat", exampleCompat],
    ] as const) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, pretty(s));
      const compact = join(dir, `${name}.compact.json`);
      writeFileSync(compact, JSON.stringify(s));
      const { problems, ...head } = s;
      for (const f of [file, compact]) {
        const r = await readSummary(f);
        expect(r.head).toStrictEqual(head);
        expect(await collect(r.problems)).toStrictEqual(problems);
        expect(await collect(r.problems)).toStrictEqual(problems); // each loop reads again
      }
    }
    const emptyFile = join(dir, "empty.json");
    writeFileSync(emptyFile, pretty(summarize([], emptyTotals())));
    const r = await readSummary(emptyFile);
    expect(r.head.settings.all.problems).toBe(0);
    expect(await collect(r.problems)).toEqual([]);
  });

  it("names the file of a malformed summary, and the line when it can", async () => {
    const text = pretty(example);
    const broken = join(dir, "broken.json");
    // A problem cut in the middle: the head is fine, the damage shows when that problem is read.
    const lines = text.split("\n");
    const at = lines.indexOf("    },", lines.indexOf('  "problems": [')) + 3;
    writeFileSync(broken, [...lines.slice(0, at), '      "rows": ,', ...lines.slice(at)].join("\n"));
    const r = await readSummary(broken);
    // The message names the problem's first line (1-based: lines[at - 2] is its "    {").
    await expect(collect(r.problems)).rejects.toThrow(new RegExp(`broken\\.json:${at - 1}: invalid JSON`));
    // Problems not separated by a comma (the problems array itself is malformed).
    const noComma = join(dir, "no-comma.json");
    const second = lines.indexOf("    },", lines.indexOf('  "problems": ['));
    writeFileSync(noComma, [...lines.slice(0, second), "    }", ...lines.slice(second + 1)].join("\n"));
    await expect(collect((await readSummary(noComma)).problems)).rejects.toThrow(new RegExp(`no-comma\\.json:${second + 2}: a missing comma`));
    const truncated = join(dir, "truncated.json");
    writeFileSync(truncated, text.slice(0, text.length >> 1));
    await expect(readSummary(truncated)).rejects.toThrow(/truncated\.json:\d+: invalid JSON at column \d+/);
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ format: "something-else", problems: [] }, null, 2));
    await expect(readSummary(other)).rejects.toThrow(/other\.json: not a veritrace summary/);
    await expect(readSummary(join(dir, "missing.json"))).rejects.toThrow(/missing\.json: no such file/);
  });
});

describe("readSmallLines", () => {
  it("gives the lines and where each ends, for lines shorter and longer than its reads", async () => {
    const lines = ["{", "", "x".repeat(100), "\u00e9\u00e9\u00e9\u{1f600}\u{1f600}", "short", "y".repeat(40) + "\u00e9", "last without newline"];
    const file = join(dir, "lines.txt");
    writeFileSync(file, lines.join("\n"));
    for (const chunkBytes of [1, 5, 16, 64 << 10]) {
      const got = await collect(readSmallLines(file, { chunkBytes }));
      expect(got.map((l) => l.text)).toEqual(lines);
      expect(got.map((l) => l.line)).toEqual(lines.map((_, i) => i + 1));
      expect(got.map((l) => l.end)).toEqual(lines.map((_, i) => Math.min(Buffer.byteLength(lines.slice(0, i + 1).join("\n")) + 1, readFileSync(file).length)));
      // Starting at a line's offset reads from that line on.
      const from = await collect(readSmallLines(file, { chunkBytes, start: got[2].end }));
      expect(from.map((l) => l.text)).toEqual(lines.slice(3));
    }
  });
});

describe("SummaryBuilder and merges", () => {
  it("refuses problems out of id order or given twice", () => {
    const [a, b] = example.problems;
    const builder = new SummaryBuilder({});
    builder.add(a);
    builder.add(b);
    expect(() => builder.add(a)).toThrow(/out of id order/);
    expect(() => builder.add(b)).toThrow(/given twice \(overlapping inputs\?\)/);
  });

  it("mergeSummaries and the streaming merge of three shards equal one run, and both refuse overlaps", async () => {
    const shards = [0, 1, 2].map((i) => {
      const problems = example.problems.filter((p) => shardOf(p.problem_id, 3) === i);
      // Split the totals too: one shard takes the whole counts, the others none (merges add them).
      return summarize(problems, i === 0 ? example.totals : emptyTotals(), {});
    });
    expect(shards.every((s) => s.problems.length > 0)).toBe(true);
    expect(pretty(mergeSummaries([shards[2], shards[0], shards[1]]))).toBe(pretty(example));
    expect(() => mergeSummaries([shards[0], shards[1], shards[0]])).toThrow(/appears in more than one input/);

    const files = shards.map((s, i) => {
      const file = join(dir, `shard.${i}.json`);
      writeFileSync(file, pretty(s));
      return file;
    });
    const parts = await Promise.all(files.map(async (name) => ({ name, ...(await readSummary(name)) })));
    const merged = mergeSummaryStreams(parts);
    expect((await written(merged.problems, { ...example, totals: merged.totals })).text).toBe(pretty(example));

    const overlapping = mergeSummaryStreams([parts[0], parts[1], parts[0]]);
    await expect(collect(overlapping.problems)).rejects.toThrow(/appears in more than one input/);
    writeFileSync(join(dir, "other-options.json"), pretty(exampleCompat));
    const compat = await readSummary(join(dir, "other-options.json"));
    expect(() => mergeSummaryStreams([parts[0], { name: "compat", ...compat }])).toThrow(/different options/);
  });
});
