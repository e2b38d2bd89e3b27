// The README's library example runs as a user would run it (`import ... from "veritrace"`, over dist/)
// and prints what its comments say.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";

describe("examples/library-usage.mjs", () => {
  it("verifies, grades and runs Python through the package's public entry point", () => {
    const run = spawnSync(process.execPath, ["examples/library-usage.mjs"], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "correct exact boxed 1/2 1/2",
      "[ 'correct', 'incorrect', 'incorrect' ]",
      "p1 correct 0.75",
      "null invalid_input null",
      'completed "(x - 1)*(x + 1)\\n"',
    ]);
  });
});
