// --shard i/N keeps whole problems together; `veritrace merge` of the N shards' summaries (or verdict
// files) equals the summary of a single run, byte for byte.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseShard, shardOf } from "../src/grade/shard.js";
import { runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-merge-"));
const EXAMPLE = ["high", "medium", "low"].map((m) => `examples/nemotron-math-v2/${m}.part_00.jsonl.gz`);
const rowsOf = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l));

describe("shards and merge", () => {
  it("three shards merged equal one run (summaries and verdict files)", () => {
    const single = runCli(["grade", ...EXAMPLE, "--out", join(dir, "all.jsonl"), "--summary", join(dir, "all.json"), "--threads", "1"]);
    expect(single.code).toBe(0);
    for (let i = 0; i < 3; i++) {
      const r = runCli(["grade", ...EXAMPLE, "--shard", `${i}/3`, "--out", join(dir, `v.${i}.jsonl`), "--summary", join(dir, `s.${i}.json`), "--threads", "1"]);
      expect(r.code).toBe(0);
    }
    // Whole problems per shard, every row in exactly one shard, each shard in input order.
    const all = rowsOf(join(dir, "all.jsonl"));
    const shards = [0, 1, 2].map((i) => rowsOf(join(dir, `v.${i}.jsonl`)));
    expect(shards.every((rows) => rows.length > 0)).toBe(true);
    expect(shards.reduce((n, rows) => n + rows.length, 0)).toBe(all.length);
    shards.forEach((rows, i) => {
      for (const row of rows) expect(shardOf(row.problem_id, 3)).toBe(i);
      const expected = all.filter((row) => shardOf(row.problem_id, 3) === i);
      expect(rows).toEqual(expected);
    });

    const fromSummaries = runCli(["merge", ...[0, 1, 2].map((i) => join(dir, `s.${i}.json`)), "--summary", join(dir, "m.json")]);
    expect(fromSummaries.code).toBe(0);
    expect(readFileSync(join(dir, "m.json"), "utf8")).toBe(readFileSync(join(dir, "all.json"), "utf8"));
    expect(fromSummaries.stdout).toBe(single.stdout);

    const fromVerdicts = runCli(["merge", ...[2, 0, 1].map((i) => join(dir, `v.${i}.jsonl`)), "--summary", join(dir, "m2.json")]);
    expect(fromVerdicts.code).toBe(0);
    expect(readFileSync(join(dir, "m2.json"), "utf8")).toBe(readFileSync(join(dir, "all.json"), "utf8"));
  }, 120_000);

  it("refuses overlapping inputs and unknown files", () => {
    const twice = runCli(["merge", join(dir, "s.0.json"), join(dir, "s.0.json")]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/more than one input/);
    const missing = runCli(["merge", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
    expect(runCli(["merge"]).code).toBe(2);
  });

  it("parses shard specs", () => {
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    expect(() => parseShard("8/8")).toThrow(RangeError);
    expect(() => parseShard("1-4")).toThrow(RangeError);
    // The hash is FNV-1a (32-bit) of the UTF-8 id: the published values for "a" and "b".
    expect([shardOf("a", 7), shardOf("b", 7), shardOf("é", 7)]).toEqual([0xe40c292c % 7, 0xe70c2de5 % 7, shardOfCheck("é", 7)]);
  });
});

function shardOfCheck(text: string, n: number): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, "utf8")) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h % n;
}
