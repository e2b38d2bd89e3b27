// Grading workers run with capped heaps (pool.ts). A batch whose worker runs out of heap is graded again
// in the calling thread, from its shared buffer, with the same result; a line of megabytes is graded
// there from the start.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeFiles } from "../src/grade/index.js";
import { createRunner } from "../src/grade/pool.js";
import type { WireBatch, WorkerOptions } from "../src/grade/types.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-heap-"));
const options: WorkerOptions = { loose: true, maxLineBytes: 1 << 28, skim: true, packed: true };

/** One line in a batch, in a shared buffer or not. */
function batchOf(line: string, shared: boolean): WireBatch {
  const bytes = Buffer.from(line + "\n");
  const buffer = shared ? new SharedArrayBuffer(bytes.length) : new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return { file: "x.jsonl", firstLine: 1, bytes: new Uint8Array(buffer), ends: Uint32Array.from([bytes.length - 1]), oversized: [] };
}

describe("grading workers with capped heaps", () => {
  // 2 MB of JSON that parses into 700,000 arrays: far more heap than a 12 MiB old generation holds.
  const heavy = JSON.stringify({
    problem_id: "p",
    problem: "1+1?",
    expected_answer: "2",
    generation: "so \\boxed{2}",
    junk: Array.from({ length: 700_000 }, () => []),
  });

  it("grades a batch again in the calling thread when its worker runs out of heap", async () => {
    const inline = createRunner(0, options);
    const expected = Buffer.from((await inline.run(batchOf(heavy, true))).packed!.jsonl).toString();
    expect(JSON.parse(expected)).toMatchObject({ problem_id: "p", status: "correct", answer: "2" });

    const capped = createRunner(1, options, { young: 1, old: 12 });
    try {
      // Not shared: the batch moved to the worker that died with it, so the error is all there is.
      await expect(capped.run(batchOf(heavy, false))).rejects.toMatchObject({ code: "ERR_WORKER_OUT_OF_MEMORY" });
      // Shared (as gradeFiles reads): the same batch is graded here instead, and the pool goes on.
      const got = await capped.run(batchOf(heavy, true));
      expect(Buffer.from(got.packed!.jsonl).toString()).toBe(expected);
      const small = await capped.run(batchOf(JSON.stringify({ problem_id: "q", expected_answer: "3", generation: "\\boxed{4}" }), true));
      expect(JSON.parse(Buffer.from(small.packed!.jsonl).toString())).toMatchObject({ problem_id: "q", status: "incorrect" });
    } finally {
      await capped.close();
    }
  });

  it("grades lines of megabytes (batches over 8 MiB go to the calling thread)", async () => {
    const file = join(dir, "long.jsonl");
    const long = (i: number) =>
      JSON.stringify({
        uuid: `u${i}`,
        problem: "What is 6 times 7?",
        expected_answer: "42",
        messages: [
          { role: "user", content: "What is 6 times 7?" },
          { role: "assistant", reasoning_content: "thinking ".repeat(1_100_000), content: `\\boxed{${40 + i}}` },
        ],
        tools: [],
      });
    writeFileSync(file, [long(2), long(3), long(2)].join("\n") + "\n");
    const out = join(dir, "long-verdicts.jsonl");
    await gradeFiles({ files: [file], out, threads: 1 });
    const rows = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.line, r.status, r.answer])).toEqual([
      [1, "correct", "42"],
      [2, "incorrect", "43"],
      [3, "correct", "42"],
    ]);
  });
});
