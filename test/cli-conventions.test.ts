// The CLI conventions of DESIGN.md, checked across every command in src/cli/commands/: --help with usage
// and examples (exit 0), unknown options rejected with exit 2 and a message, --version, unreadable input
// named in the error with exit 2, and no progress output when stderr is not a terminal.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./helpers/cli.js";

const commands = readdirSync(join(repoRoot, "src/cli/commands"))
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map((f) => f.slice(0, -3))
  .sort();

// Generous: a command that ignored an unknown option might start working (or serving); it must not hang the suite.
const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), "veritrace-conventions-"));
const missing = join(dir, "no-such-input.jsonl");

/** Minimal invocations that give each file-reading command an input file that does not exist. */
const UNREADABLE: Record<string, string[]> = {
  grade: [missing],
  filter: [missing, "--out", join(dir, "curated.jsonl")],
  bucket: [missing, "--out-dir", join(dir, "buckets")],
  merge: [missing, join(dir, "also-missing.json")],
  report: [missing, "--html", join(dir, "r.html")],
  exec: [missing],
};

describe("CLI conventions", () => {
  it("finds the commands", () => {
    expect(commands.length).toBeGreaterThan(0);
  });

  it("`veritrace --version` prints the package version and `veritrace --help` lists every command", () => {
    const v = runCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of commands) expect(help.stdout, c).toMatch(new RegExp(`^\\s+${c}\\s`, "m"));
  });

  describe.each(commands)("veritrace %s", (command) => {
    it("--help exits 0 and prints usage with at least one example", () => {
      const res = runCli([command, "--help"], { timeout: TIMEOUT });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/usage:/i);
      expect(res.stdout).toMatch(/examples?:/i);
      expect(res.stdout).toMatch(new RegExp(`^\\s*(\\$ )?veritrace ${command}\\b`, "m"));
    });

    it("an unknown option exits 2 with a message that names it", () => {
      const res = runCli([command, "--no-such-option-xyz"], { timeout: TIMEOUT });
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain("--no-such-option-xyz");
    });

    it.runIf(command in UNREADABLE)("unreadable input exits 2 and names the file", () => {
      const res = runCli([command, ...UNREADABLE[command]], { timeout: TIMEOUT });
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(missing);
    });
  });

  it.runIf(commands.includes("verify"))("verify exits 0 for a correct answer and 1 for an incorrect one, as cmp does", () => {
    expect(runCli(["verify", "\\frac{1}{2}", "0.5"]).code).toBe(0);
    expect(runCli(["verify", "\\frac{1}{2}", "0.6"]).code).toBe(1);
  });

  it("malformed JSON input exits 2 and names the file and line (report, merge)", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{\n  "format": "veritrace-summary/1",\n  oops\n}\n');
    for (const args of [["report", bad, "--html", join(dir, "bad.html")], ...(commands.includes("merge") ? [["merge", bad, bad]] : [])]) {
      const res = runCli(args, { timeout: TIMEOUT });
      expect(res.code, args[0]).toBe(2);
      expect(res.stderr, args[0]).toContain(`${bad}:3`);
    }
  });

  it("--json prints one JSON document on stdout and no progress on a piped stderr (verify, exec, grade, filter, bucket, merge)", () => {
    const example = join(repoRoot, "examples/nemotron-math-v2/low.part_00.jsonl.gz");
    // A few traces with tool calls for exec (which starts the sandbox).
    const high = gunzipSync(readFileSync(join(repoRoot, "examples/nemotron-math-v2/high.part_00.jsonl.gz"))).toString("utf8");
    const few = join(dir, "few.jsonl");
    writeFileSync(few, high.split("\n").slice(0, 12).join("\n") + "\n");
    const runs: string[][] = [
      ["verify", "\\frac{1}{2}", "0.5", "--json"],
      ["exec", few, "--json"],
      ["grade", example, "--summary", join(dir, "s.json"), "--json"],
      ["filter", example, "--out", join(dir, "c.jsonl"), "--json"],
      ["bucket", example, "--out-dir", join(dir, "b"), "--json"],
      ["merge", join(dir, "s.json"), "--json"],
    ];
    for (const args of runs.filter((a) => commands.includes(a[0]))) {
      const res = runCli(args, { timeout: 300_000 });
      expect(res.code, `${args[0]}: ${res.stderr}`).toBe(0);
      expect(() => JSON.parse(res.stdout), `${args[0]} --json stdout`).not.toThrow();
      // stderr is a pipe here: no progress bar, no cursor control.
      expect(res.stderr, `${args[0]} stderr`).not.toMatch(/\r|\x1b\[/);
    }
  }, 600_000);

  it.runIf(commands.includes("grade"))("grade writes no progress to a stderr that is not a terminal", () => {
    const example = join(repoRoot, "examples/nemotron-math-v2/low.part_00.jsonl.gz");
    const res = runCli(["grade", example, "--json"], { timeout: 300_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/\r|\x1b\[/);
    expect(() => JSON.parse(res.stdout)).not.toThrow();
  }, 300_000);
});
