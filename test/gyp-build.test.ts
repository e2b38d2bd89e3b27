// binding.gyp builds the same addon as CMakeLists.txt (issue 2 item 1): node-gyp in a temporary copy of
// binding.gyp and native/, against the local Node headers (--nodedir, nothing downloaded), then the two
// builds must give the same answers. Each addon is loaded in its own process, so that the symbols of one
// cannot stand in for the other's.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";

/** The prefix whose include/node holds the headers of the running Node (e.g. /usr for /usr/bin/node). */
function localNodeDir(): string {
  const prefix = resolve(dirname(process.execPath), "..");
  const header = join(prefix, "include", "node", "node_api.h");
  if (!existsSync(header)) {
    throw new Error(`no Node headers at ${header}: node-gyp would download them, and this test must build offline`);
  }
  return prefix;
}

// Answers and pairs covering the engine's main paths (exact, decimal rule, symbolic, sets, too complex).
const PAIRS: Array<[string, string]> = [
  ["\\frac{1}{2}", "0.5"],
  ["2^{100}", "1267650600228229401496703205376"],
  ["\\frac{1}{2^{98}}", "\\frac{1}{2^{99}}"],
  ["\\pi", "3.141593"],
  ["(x+1)^2", "x^2+2x+1"],
  ["[1,3)", "[1,3]"],
  ["\\{1,2\\}", "\\{2,1\\}"],
  ["10^{10^{10}}", "10^{10^{10}}+1"],
  ["016", "16"],
  ["x = 5", "5"],
];

/** Runs the addon at `addonPath` in a child process over PAIRS; returns what it printed (JSON). */
function answersOf(addonPath: string): unknown {
  const script = `
    const addon = require(${JSON.stringify(addonPath)});
    const pairs = JSON.parse(process.argv[1]);
    const out = {
      version: addon.coreVersion(),
      verdicts: pairs.map(([g, p]) => addon.verifyOne(g, p, 6, 1)),
      canonical: pairs.map(([g]) => addon.canonical(g, 6, 1)),
    };
    process.stdout.write(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ["-e", script, JSON.stringify(PAIRS)], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`loading ${addonPath} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("node-gyp build", () => {
  const work = mkdtempSync(join(tmpdir(), "veritrace-gyp-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    "builds from binding.gyp offline, and the addon answers as the cmake-js build does",
    () => {
      cpSync(join(repoRoot, "binding.gyp"), join(work, "binding.gyp"));
      cpSync(join(repoRoot, "native"), join(work, "native"), { recursive: true });
      symlinkSync(join(repoRoot, "node_modules"), join(work, "node_modules"), "dir");

      const gyp = spawnSync(
        process.execPath,
        [join(repoRoot, "node_modules", "node-gyp", "bin", "node-gyp.js"), "rebuild", `--nodedir=${localNodeDir()}`, "--jobs", "2"],
        { cwd: work, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, npm_config_nodedir: localNodeDir() } },
      );
      expect(gyp.status, `node-gyp failed:\n${gyp.stdout.slice(-4000)}\n${gyp.stderr.slice(-4000)}`).toBe(0);
      // Nothing was fetched: node-gyp says when it downloads headers.
      expect(gyp.stderr + gyp.stdout).not.toMatch(/http GET|http request|downloading/i);

      const gypAddon = join(work, "build", "Release", "veritrace.node");
      expect(existsSync(gypAddon)).toBe(true);
      const cmakeAddon = join(repoRoot, "build", "Release", "veritrace.node");
      const fromGyp = answersOf(gypAddon) as { version: string; verdicts: unknown[] };
      const fromCmake = answersOf(cmakeAddon);
      expect(fromGyp.version).toMatch(/^\d+\.\d+\.\d+$/);
      // The engine decided these pairs (status 0 correct, 1 incorrect, 4 too complex), the same way in both builds.
      expect(fromGyp.verdicts.length).toBe(PAIRS.length);
      expect(fromGyp).toEqual(fromCmake);
      expect((fromGyp.verdicts[0] as number[])[0]).toBe(0);
      expect((fromGyp.verdicts[2] as number[])[0]).toBe(1);
    },
    // A full C++ build at -O3 on a loaded 2-core machine.
    900_000,
  );
});
