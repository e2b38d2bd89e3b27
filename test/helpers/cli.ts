// Runs the real CLI (bin/veritrace.js over dist/, compiled by the global setup) as a user would.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const binPath = fileURLToPath(new URL("../../bin/veritrace.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const res = spawnSync(process.execPath, [binPath, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    ...options,
  });
  return { code: res.status, stdout: String(res.stdout ?? ""), stderr: String(res.stderr ?? "") };
}
