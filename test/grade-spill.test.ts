// Grading and merging with a score state too large for its memory budget: the state goes to disk and
// comes back, and every output is the same, byte for byte, as with the state in memory. Temporary files
// go to --tmp-dir and are gone at the end, also when the run fails.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeFiles } from "../src/grade/index.js";
import { binPath, repoRoot, runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-grade-spill-"));
const EXAMPLE = ["high", "medium", "low"].map((m) => `examples/nemotron-math-v2/${m}.part_00.jsonl.gz`);

describe("grade under a small score-memory budget", () => {
  it("writes the same verdicts and summary as a run that keeps its state in memory, at 1 and 2 threads", async () => {
    const inMemory = await gradeFiles({ files: EXAMPLE, out: join(dir, "mem.jsonl"), summary: join(dir, "mem.json"), threads: 1 });
    for (const threads of [1, 2]) {
      const tmp = join(dir, `tmp-${threads}`);
      mkdirSync(tmp);
      // About 10 KB of state before each spill: the 60 problems go to disk in many runs.
      const spilled = await gradeFiles({
        files: EXAMPLE,
        out: join(dir, `spill-${threads}.jsonl`),
        summary: join(dir, `spill-${threads}.json`),
        threads,
        tmpDir: tmp,
        scoreMemoryBytes: 10_000,
      });
      expect(readFileSync(join(dir, `spill-${threads}.json`)).equals(readFileSync(join(dir, "mem.json")))).toBe(true);
      expect(readFileSync(join(dir, `spill-${threads}.jsonl`)).equals(readFileSync(join(dir, "mem.jsonl")))).toBe(true);
      expect(spilled.summary).toEqual(inMemory.summary);
      expect(spilled.problems).toBe(60);
      expect(readdirSync(tmp)).toEqual([]);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("merges shard verdict files under a small budget into the single run's summary", async () => {
    const shards = [0, 1, 2].map((i) => join(dir, `shard-${i}.jsonl`));
    for (let i = 0; i < 3; i++) await gradeFiles({ files: EXAMPLE, out: shards[i], shard: { index: i, count: 3 }, threads: 1 });
    const tmp = join(dir, "tmp-merge");
    mkdirSync(tmp);
    const r = runCli(["merge", ...shards, "--summary", join(dir, "merged.json"), "--tmp-dir", tmp, "--score-memory", "1"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "merged.json")).equals(readFileSync(join(dir, "mem.json")))).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
    // --json streams the same document to stdout.
    const json = runCli(["merge", ...shards, "--json", "--tmp-dir", tmp]);
    expect(json.stdout).toBe(readFileSync(join(dir, "mem.json"), "utf8"));
  });

  it("rejects a bad --score-memory, and leaves no temporary files when the run fails", () => {
    for (const bad of ["0", "-1", "1.5", "lots"]) {
      const r = runCli(["grade", EXAMPLE[0], "--score-memory", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain("--score-memory");
    }
    const tmp = join(dir, "tmp-fail");
    mkdirSync(tmp);
    const r = runCli(["merge", EXAMPLE[0], "--tmp-dir", tmp]); // a trace dump is not a shard output
    expect(r.code).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe("grade stopped by a signal", () => {
  it("removes its temporary files on SIGTERM, exits 143, and resumes to the uninterrupted result", async () => {
    // 20K problems x 8 short rows: enough state to spill past --score-memory 1 within the first second.
    const dump = join(dir, "many.jsonl");
    const lines: string[] = [];
    for (let s = 0; s < 8; s++) {
      for (let p = 0; p < 20_000; p++) {
        lines.push(JSON.stringify({ problem_id: `problem-${p}`, problem: "?", expected_answer: String(p % 97), generation: `so \\boxed{${(p * (s + 1)) % 97}}`, sample: s }));
      }
    }
    writeFileSync(dump, lines.join("\n") + "\n");
    const whole = join(dir, "whole");
    mkdirSync(whole);
    expect(runCli(["grade", dump, "--out", join(whole, "v.jsonl"), "--summary", join(whole, "s.json"), "--threads", "1"]).code).toBe(0);

    const tmp = join(dir, "tmp-signal");
    mkdirSync(tmp);
    const out = join(dir, "stopped.jsonl");
    const summary = join(dir, "stopped.json");
    const args = ["grade", dump, "--out", out, "--summary", summary, "--threads", "1", "--tmp-dir", tmp, "--score-memory", "1"];
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Wait until the score state has spilled, then stop the run.
    for (let waited = 0; readdirSync(tmp).length === 0; waited += 20) {
      if (waited > 60_000) throw new Error("the run never spilled");
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(`${summary}.partial`)).toBe(false);

    const resumed = runCli([...args, "--resume"]);
    expect(resumed.code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(whole, "v.jsonl")))).toBe(true);
    expect(readFileSync(summary).equals(readFileSync(join(whole, "s.json")))).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});
