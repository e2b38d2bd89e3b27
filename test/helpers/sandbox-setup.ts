// Shared by the sandbox suites: makes sure the offline Python packages are in place (Debian 13's
// sympy and mpmath, fetched with apt into .veritrace-cache; idempotent and locked) before a Sandbox starts.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../scripts/fetch-python-packages.sh", import.meta.url));

export function ensurePythonPackages(): void {
  const r = spawnSync("bash", [script], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`scripts/fetch-python-packages.sh failed (${r.status}):\n${r.stdout}${r.stderr}`);
}
