// Resolves what the interpreters load and builds the cached assets on first use: a .pyc bundle per
// pure-Python package (compiled by Pyodide's own Python) and a memory snapshot of an interpreter with
// the runner and those packages imported. Both are keyed by their inputs, so a new Pyodide build, a
// changed package directory or a changed runner gives new files; the snapshot is also checked by
// Pyodide itself on restore (build id), and a rejected snapshot means a cold start.
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export const WASM_DIR = fileURLToPath(new URL("../../wasm/", import.meta.url));
export const PACKAGE_ROOT = resolve(WASM_DIR, "..");

export interface AssetOptions {
  packages: string[];
  packagesDir: string;
  indexURL: string;
  packageCacheDir: string;
  cacheDir: string;
  snapshot: boolean;
  memoryCapBytes: number;
}

export interface Assets {
  indexURL: string;
  packageCacheDir: string;
  bundles: Array<{ name: string; path: string }>;
  /** Pure-Python packages imported when an interpreter starts (and kept in the snapshot). */
  preload: string[];
  /** Pyodide packages (wheels) loaded from packageCacheDir. */
  packages: string[];
  snapshotPath: string | null;
  warnings: string[];
}

export function defaultPackagesDir(): string {
  return process.env.VERITRACE_PYTHON_PACKAGES || join(PACKAGE_ROOT, ".veritrace-cache", "python-packages");
}

export function defaultCacheDir(): string {
  return process.env.VERITRACE_CACHE_DIR || join(PACKAGE_ROOT, ".veritrace-cache", "sandbox");
}

export function defaultIndexURL(): string {
  return dirname(fileURLToPath(import.meta.resolve("pyodide")));
}

function sha(parts: Array<string | Buffer>): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

/** A cheap fingerprint of a file tree: relative paths, sizes and modification times of its .py files. */
function treeFingerprint(path: string): string {
  const parts: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full, `${rel}/${e.name}`);
      else if (e.name.endsWith(".py")) {
        const s = statSync(full);
        parts.push(`${rel}/${e.name}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  if (statSync(path).isDirectory()) walk(path, "");
  else parts.push(`${path}:${statSync(path).size}:${statSync(path).mtimeMs}`);
  return sha(parts);
}

/**
 * The Pyodide build: its version and a hash of its wasm module's content (~10 MB, a few ms). Not its
 * modification time, which is the time of `npm install`: every clone and CI run would rebuild the cache.
 */
function pyodideFingerprint(indexURL: string): string {
  const wasm = readFileSync(join(indexURL, "pyodide.asm.wasm"));
  let version = "unknown";
  try {
    version = JSON.parse(readFileSync(join(indexURL, "package.json"), "utf8")).version;
  } catch {
    /* a distribution directory without package.json */
  }
  return `${version}:${wasm.length}:${sha([wasm])}`;
}

function runInWorker(data: Record<string, unknown>): Promise<Uint8Array> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(new URL("build-assets.mjs", `file://${WASM_DIR}`), { workerData: data });
    let settled = false;
    worker.once("message", (m: { ok: boolean; bytes?: Uint8Array; message?: string }) => {
      settled = true;
      void worker.terminate();
      if (m.ok && m.bytes) resolvePromise(m.bytes);
      else reject(new Error(m.message));
    });
    worker.once("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`asset builder exited with code ${code}`));
    });
  });
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** Bumped when the way bundles are built changes (their cache key includes it). */
const BUNDLE_FORMAT = "2";

/** A lock older than this is taken to be left by a process that died while building. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Builds `path` with `build` unless it exists, one process at a time (several test files or servers may
 * start at once on a fresh machine): the others wait for the lock and then find the file.
 */
async function buildOnce(path: string, build: () => Promise<Uint8Array>): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const lock = `${path}.lock`;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
      } catch {
        /* released meanwhile */
      }
      await new Promise((r) => setTimeout(r, 250));
      if (existsSync(path)) return;
    }
  }
  try {
    if (!existsSync(path)) writeAtomically(path, await build());
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Snapshots kept besides the one in use (other checkouts or versions may share the cache directory). */
const SNAPSHOTS_KEPT = 3;

/**
 * Deletes all but the most recently written snapshots (~55 MB each; one per runner/package/Pyodide
 * version). A process still pointing at a deleted one starts its next worker cold.
 */
function pruneSnapshots(dir: string, inUse: string): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => /^snapshot-[0-9a-f]+\.bin$/.test(f))
      .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
      .filter((f) => f.path !== inUse)
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of files.slice(SNAPSHOTS_KEPT - 1)) rmSync(old.path, { force: true });
  } catch {
    /* pruning is best effort */
  }
}

function isPurePython(packagesDir: string, name: string): string | null {
  const dir = join(packagesDir, name);
  if (existsSync(join(dir, "__init__.py"))) return dir;
  if (existsSync(`${dir}.py`)) return `${dir}.py`;
  return null;
}

/** Checks that a compiled (wheel) package exists in the Pyodide distribution, else explains what is missing. */
function checkWheel(name: string, o: AssetOptions): void {
  let lock: { packages?: Record<string, { file_name: string }> };
  try {
    lock = JSON.parse(readFileSync(join(o.indexURL, "pyodide-lock.json"), "utf8"));
  } catch {
    throw new Error(`Python package '${name}' not found: not in ${o.packagesDir} and no pyodide-lock.json in ${o.indexURL}`);
  }
  const entry = lock.packages?.[name.toLowerCase()];
  if (!entry) {
    throw new Error(
      `Python package '${name}' not found: not in ${o.packagesDir} (pure-Python packages) and not listed in ${join(o.indexURL, "pyodide-lock.json")}. ` +
        `Run scripts/fetch-python-packages.sh for sympy/mpmath, or point packagesDir / pyodideIndexURL at a directory that has it (docs/sandbox.md).`,
    );
  }
  const wheel = join(o.packageCacheDir, entry.file_name);
  if (!existsSync(wheel)) {
    throw new Error(
      `Python package '${name}' not found: ${entry.file_name} is missing from ${o.packageCacheDir}. ` +
        `The npm pyodide package ships no wheels; use a full Pyodide distribution (pyodideIndexURL / packageCacheDir, docs/sandbox.md).`,
    );
  }
}

export async function prepareAssets(o: AssetOptions): Promise<Assets> {
  const warnings: string[] = [];
  const pyodide = pyodideFingerprint(o.indexURL);
  const bundles: Assets["bundles"] = [];
  const preload: string[] = [];
  const wheels: string[] = [];
  for (const name of o.packages) {
    const source = isPurePython(o.packagesDir, name);
    if (!source) {
      checkWheel(name, o);
      wheels.push(name);
      continue;
    }
    const path = join(o.cacheDir, "bundles", `${name}-${sha([pyodide, BUNDLE_FORMAT, treeFingerprint(source)])}.zip`);
    await buildOnce(path, () => runInWorker({ task: "bundle", indexURL: o.indexURL, sourceDir: o.packagesDir, modules: [name] }));
    bundles.push({ name: `${name}.zip`, path });
    preload.push(name);
  }

  let snapshotPath: string | null = null;
  // Snapshots hold the wasm heap only: packages with compiled libraries are loaded cold instead.
  if (o.snapshot && wheels.length === 0) {
    const inputs = [pyodide, ...bundles.map((b) => basename(b.path)), ...preload, readFileSync(join(WASM_DIR, "runner.py")), readFileSync(join(WASM_DIR, "interpreter.mjs"))];
    const path = join(o.cacheDir, "snapshots", `snapshot-${sha(inputs)}.bin`);
    try {
      await buildOnce(path, () => runInWorker({ task: "snapshot", indexURL: o.indexURL, bundles, preload, memoryCapBytes: o.memoryCapBytes }));
    } catch (err) {
      warnings.push(`could not build an interpreter snapshot (workers start cold): ${String((err as Error).message).split("\n")[0]}`);
    }
    if (existsSync(path)) {
      snapshotPath = path;
      pruneSnapshots(dirname(path), path);
    }
  }
  return { indexURL: o.indexURL, packageCacheDir: o.packageCacheDir, bundles, preload, packages: wheels, snapshotPath, warnings };
}
