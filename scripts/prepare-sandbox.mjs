#!/usr/bin/env node
// Builds the sandbox's cached assets ahead of first use: fetches the pure-Python packages
// (scripts/fetch-python-packages.sh: Debian 13's sympy and mpmath), then builds their .pyc bundles
// (compiled by Pyodide's own Python) and the interpreter memory snapshot into $VERITRACE_CACHE_DIR or
// .veritrace-cache/sandbox, the directory Sandbox.start reads. Sandbox.start builds the same files on
// first use when they are missing; running this at install or image-build time moves that cost out of
// the first run. Needs dist/ (npm run build:ts).
//
//   node scripts/prepare-sandbox.mjs                 (npm run sandbox:prepare) fails (exit 1) on any error
//   node scripts/prepare-sandbox.mjs --best-effort   (npm's postprepare, after `prepare` compiled dist/):
//       any failure prints one warning line and exits 0, so `npm install` never fails because of it.
//       VERITRACE_SKIP_SANDBOX_PREPARE=1 skips it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bestEffort = process.argv.includes("--best-effort");
const root = fileURLToPath(new URL("..", import.meta.url));
/** Bounds of the two steps: apt on a slow mirror, a snapshot build on a loaded machine. */
const FETCH_LIMIT_MS = 300_000;
const BUILD_LIMIT_MS = 600_000;

function giveUp(reason) {
  if (!bestEffort) {
    process.stderr.write(`prepare-sandbox: ${reason}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `veritrace: WARNING: sandbox snapshot not prepared at install (${reason}); Sandbox.start builds it on first use once the packages are in place (docs/sandbox.md; retry: npm run sandbox:prepare)\n`,
  );
  process.exit(0);
}

if (bestEffort && process.env.VERITRACE_SKIP_SANDBOX_PREPARE) process.exit(0);
if (!existsSync(new URL("../dist/sandbox/assets.js", import.meta.url))) giveUp("dist/ is not built (npm run build:ts)");

const t0 = performance.now();
const fetched = spawnSync("bash", [fileURLToPath(new URL("./fetch-python-packages.sh", import.meta.url))], {
  cwd: root,
  encoding: "utf8",
  timeout: FETCH_LIMIT_MS,
  stdio: ["ignore", "pipe", "pipe"],
});
if (fetched.status !== 0) {
  const why = fetched.error?.message ?? (fetched.stderr || fetched.stdout || "").trim().split("\n").pop() ?? `exit ${fetched.status}`;
  giveUp(`could not fetch the Python packages: ${why}`);
}

const timer = setTimeout(() => giveUp(`building the snapshot took over ${BUILD_LIMIT_MS / 1000} s`), BUILD_LIMIT_MS);
timer.unref();
try {
  const { prepareAssets, defaultCacheDir, defaultIndexURL, defaultPackagesDir } = await import("../dist/sandbox/assets.js");
  const indexURL = defaultIndexURL();
  const assets = await prepareAssets({
    packages: ["sympy", "mpmath"],
    packagesDir: defaultPackagesDir(),
    indexURL,
    packageCacheDir: indexURL,
    cacheDir: defaultCacheDir(),
    snapshot: true,
    memoryCapBytes: 2048 * 1024 * 1024,
  });
  if (!assets.snapshotPath) giveUp(assets.warnings[0] ?? "no snapshot was built");
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (bestEffort) process.stderr.write(`veritrace: sandbox snapshot ready (${seconds} s): ${assets.snapshotPath}\n`);
  else {
    for (const w of assets.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`bundles:  ${assets.bundles.map((b) => b.path).join(", ")}\nsnapshot: ${assets.snapshotPath}\nready in ${seconds} s\n`);
  }
  process.exit(0);
} catch (err) {
  giveUp(String(err?.message ?? err).split("\n")[0]);
}
