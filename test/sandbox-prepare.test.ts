// scripts/prepare-sandbox.mjs, which npm runs after `prepare` (postprepare) in best-effort mode: where the
// Python packages cannot be fetched it prints one warning line and exits 0 (npm install goes on); run by
// hand (npm run sandbox:prepare) it fails. Where everything is in place it leaves the snapshot that
// Sandbox.start then uses.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Sandbox } from "../dist/sandbox/index.js";
import { repoRoot } from "./helpers/cli.js";
import { ensurePythonPackages } from "./helpers/sandbox-setup.js";

const script = join(repoRoot, "scripts", "prepare-sandbox.mjs");
const scratch = mkdtempSync(join(tmpdir(), "veritrace-prepare-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A PATH with node and bash but no apt-get: a machine where the packages cannot be fetched. */
function pathWithoutApt(): string {
  const bin = join(scratch, "bin");
  spawnSync("mkdir", ["-p", bin]);
  for (const tool of ["node", "bash", "dirname"]) {
    const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    symlinkSync(found, join(bin, tool));
  }
  return bin;
}

function prepare(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 600_000, env: { ...process.env, ...env } });
}

describe("prepare-sandbox.mjs", () => {
  it("best effort: without apt and packages, one warning line and exit 0; by hand: exit 1", () => {
    const env = { PATH: pathWithoutApt(), VERITRACE_PYTHON_PACKAGES: join(scratch, "no-packages"), VERITRACE_CACHE_DIR: join(scratch, "cache") };
    const lenient = prepare(["--best-effort"], env);
    expect(lenient.status).toBe(0);
    const lines = lenient.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^veritrace: WARNING: sandbox snapshot not prepared at install \(could not fetch the Python packages: .*apt-get' not found/);
    const strict = prepare([], env);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("could not fetch the Python packages");
  });

  it("VERITRACE_SKIP_SANDBOX_PREPARE skips it silently", () => {
    const r = prepare(["--best-effort"], { VERITRACE_SKIP_SANDBOX_PREPARE: "1", VERITRACE_CACHE_DIR: join(scratch, "skipped") });
    expect(r.status).toBe(0);
    expect(r.stderr + r.stdout).toBe("");
  });

  it("with the packages in place, leaves the snapshot that Sandbox.start then starts from", async () => {
    ensurePythonPackages();
    const r = prepare(["--best-effort"], {});
    expect(r.status).toBe(0);
    const snapshot = /snapshot ready \([\d.]+ s\): (.+\.bin)$/m.exec(r.stderr)?.[1];
    expect(snapshot).toBeDefined();
    const sb = await Sandbox.start({ workers: 1 });
    try {
      expect(sb.info().snapshotPath).toBe(snapshot);
      expect(sb.info().workerStarts[0]?.from).toBe("snapshot");
    } finally {
      await sb.close();
    }
  }, 600_000);
});
