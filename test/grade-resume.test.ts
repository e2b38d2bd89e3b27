// --resume after SIGKILL: a run killed mid-way and resumed writes the same bytes (verdict rows and
// summary) as a run that was never interrupted.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeDump } from "../examples/make-example-dump.js";
import { binPath, repoRoot, runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-resume-"));
const benchmarks = join(repoRoot, "..", "shared", "corpus", "benchmarks");

describe("grade --resume", () => {
  it("continues a run killed with SIGKILL and ends with the bytes of an uninterrupted run", async () => {
    // A dump big enough to take a few seconds: 150 problems × 6 settings × 8 samples = 7,200 traces.
    const dump = makeDump({ seed: 3, problems: 150, samples: 8, benchmarks });
    const files = (["high", "medium", "low"] as const).map((mode) => {
      const file = join(dir, `${mode}.jsonl`);
      writeFileSync(file, dump[mode].join("\n") + "\n");
      return file;
    });
    const full = join(dir, "full.jsonl");
    const fullSummary = join(dir, "full.json");
    const ref = runCli(["grade", ...files, "--out", full, "--summary", fullSummary, "--threads", "1"]);
    expect(ref.code).toBe(0);
    const fullSize = statSync(full).size;

    const part = join(dir, "part.jsonl");
    const partSummary = join(dir, "part.json");
    const child = spawn(process.execPath, [binPath, "grade", ...files, "--out", part, "--summary", partSummary, "--threads", "1"], {
      cwd: repoRoot,
      stdio: "ignore",
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    let finished = false;
    void exited.then(() => (finished = true));
    // Kill as soon as the first rows are out (the first batch is about a seventh of the run), which leaves
    // the widest margin before the run would end on its own.
    while (!finished) {
      if (existsSync(part) && statSync(part).size > 0) {
        child.kill("SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const { signal } = await exited;
    expect(signal).toBe("SIGKILL");
    const partial = statSync(part).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(fullSize);
    expect(existsSync(partSummary)).toBe(false);
    // And a torn last line, as a kill in the middle of a write leaves.
    appendFileSync(part, '{"file":"' + files[1] + '","line":12,"problem_');

    const resumed = runCli(["grade", ...files, "--out", part, "--summary", partSummary, "--resume", "--threads", "2"]);
    expect(resumed.code).toBe(0);
    expect(readFileSync(part).equals(readFileSync(full))).toBe(true);
    expect(readFileSync(partSummary).equals(readFileSync(fullSummary))).toBe(true);
    expect(resumed.stdout).toBe(ref.stdout);

    // Resuming a finished run changes nothing.
    const again = runCli(["grade", ...files, "--out", part, "--summary", partSummary, "--resume"]);
    expect(again.code).toBe(0);
    expect(readFileSync(part).equals(readFileSync(full))).toBe(true);
    expect(readFileSync(partSummary).equals(readFileSync(fullSummary))).toBe(true);
  }, 180_000);

  it("refuses to resume from a file that is not a verdict file of these inputs", () => {
    const input = join(dir, "one.jsonl");
    writeFileSync(input, JSON.stringify({ uuid: "a", problem: "p", expected_answer: "1", messages: [{ role: "assistant", content: "\\boxed{1}" }] }) + "\n");
    const foreign = join(dir, "foreign.jsonl");
    writeFileSync(foreign, '{"hello":1}\n');
    const r = runCli(["grade", input, "--out", foreign, "--resume"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/foreign\.jsonl:1: not a verdict row/);
    const other = join(dir, "other.jsonl");
    writeFileSync(other, JSON.stringify({ file: "elsewhere.jsonl", line: 1, problem_id: "a", status: "correct" }) + "\n");
    const s = runCli(["grade", input, "--out", other, "--resume"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/elsewhere\.jsonl, which is not among the inputs/);
  });
});
