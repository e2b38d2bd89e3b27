#!/usr/bin/env node
// Builds the sandbox's cached assets ahead of first use (`npm run sandbox:prepare`): the .pyc bundles of
// the pure-Python packages (compiled by Pyodide's own Python) and the interpreter memory snapshot, into
// $VERITRACE_CACHE_DIR or .veritrace-cache/sandbox. Sandbox.start builds the same files on first use when
// they are missing; running this at install or image-build time moves that cost (~30 s) out of the first run.
// Needs dist/ (npm run build:ts) and the packages directory (scripts/fetch-python-packages.sh).
import { prepareAssets, defaultCacheDir, defaultIndexURL, defaultPackagesDir } from "../dist/sandbox/assets.js";

const t = performance.now();
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
for (const w of assets.warnings) process.stderr.write(`warning: ${w}\n`);
process.stdout.write(
  `bundles:  ${assets.bundles.map((b) => b.path).join(", ")}\nsnapshot: ${assets.snapshotPath ?? "(none)"}\nready in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
);
