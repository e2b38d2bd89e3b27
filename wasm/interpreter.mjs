// Loads one Pyodide interpreter for the sandbox: from a memory snapshot when one matches this Pyodide
// build, else cold; with the package bundles in its in-memory file system and the runner
// (wasm/runner.py) imported. Shared by the pool's worker (wasm/worker.mjs) and the snapshot builder
// (src/sandbox/assets.ts, which runs it in a worker thread of its own).
import { readFileSync, constants as fsConstants } from "node:fs";
import { constants as osConstants } from "node:os";
import { fileURLToPath } from "node:url";

const RUNNER_SOURCE = readFileSync(new URL("./runner.py", import.meta.url), "utf8");
const LIB_DIR = "/lib/veritrace";
export const RUNNER_PATH = `${LIB_DIR}/veritrace_runner.py`;
const WASM_PAGE = 65536;

let memoryCapInstalled = false;

/**
 * Caps every WebAssembly memory of this thread at `capBytes`: a grow past it throws, which Emscripten's
 * allocator turns into a failed malloc and Python into MemoryError. Must run before Pyodide loads.
 */
export function installMemoryCap(capBytes) {
  if (memoryCapInstalled) return;
  memoryCapInstalled = true;
  const realGrow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function grow(deltaPages) {
    if (this.buffer.byteLength + Number(deltaPages) * WASM_PAGE > capBytes) {
      throw new RangeError(`veritrace sandbox: memory cap of ${capBytes} bytes reached`);
    }
    return realGrow.call(this, deltaPages);
  };
}

/**
 * NODEFS reads `process.binding('constants')` when Pyodide starts; Node's permission model forbids
 * process.binding. Answer that one call from the public constants and refuse every other.
 */
function shimProcessBinding() {
  const constants = { fs: fsConstants, os: osConstants };
  process.binding = (name) => {
    if (name === "constants") return constants;
    throw new Error(`process.binding('${name}') is not available in the veritrace sandbox`);
  };
}

/**
 * Grows the wasm memory to the snapshot's size between instantiation and restore: Pyodide copies the
 * snapshot into the heap without growing it first (pyodide issue 6254), which fails above ~30 MB.
 */
async function withMemoryPreGrown(bytes, load) {
  const realInstantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function instantiate(...args) {
    const result = await realInstantiate.apply(this, args);
    const memory = (result.instance ?? result).exports?.memory;
    if (memory instanceof WebAssembly.Memory) {
      const missing = Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE);
      if (missing > 0) memory.grow(missing);
    }
    return result;
  };
  try {
    return await load();
  } finally {
    WebAssembly.instantiate = realInstantiate;
  }
}

function writeLibFiles(py, bundles) {
  py.FS.mkdirTree(LIB_DIR);
  py.FS.writeFile(RUNNER_PATH, RUNNER_SOURCE);
  for (const bundle of bundles) py.FS.writeFile(`${LIB_DIR}/${bundle.name}`, bundle.bytes);
}

/**
 * @param {object} o
 * @param {string} o.indexURL         directory of the Pyodide distribution (pyodide.asm.wasm, python_stdlib.zip, lock file)
 * @param {string} [o.packageCacheDir] where loadPackage finds wheels (a local full Pyodide distribution)
 * @param {{name: string, bytes: Uint8Array}[]} o.bundles  .pyc zip bundles to put on sys.path
 * @param {string[]} o.preload         modules imported at start (kept in the snapshot)
 * @param {string[]} o.packages        Pyodide packages (wheels) to load from packageCacheDir
 * @param {Uint8Array | null} o.snapshot  a memory snapshot made by buildSnapshot with the same inputs
 * @param {boolean} [o.makeSnapshot]  load so that makeMemorySnapshot() can be called afterwards
 */
export async function loadInterpreter(o) {
  shimProcessBinding();
  const { loadPyodide } = await import(new URL("pyodide.mjs", toDirUrl(o.indexURL)).href);
  const base = {
    indexURL: o.indexURL,
    packageCacheDir: o.packageCacheDir ?? o.indexURL,
    jsglobals: Object.create(null), // `import js` sees an empty namespace, not globalThis
    stdout: () => {},
    stderr: () => {},
    env: { HOME: "/home/pyodide", PYTHONHASHSEED: "0" },
  };
  let py = null;
  let from = "cold";
  if (o.snapshot && !o.makeSnapshot) {
    try {
      py = await withMemoryPreGrown(o.snapshot.byteLength, () => loadPyodide({ ...base, _loadSnapshot: o.snapshot }));
      from = "snapshot";
    } catch (err) {
      from = `cold (snapshot rejected: ${String(err?.message ?? err).split("\n")[0]})`;
      py = null;
    }
  }
  if (py) {
    writeLibFiles(py, o.bundles);
    return { py, runner: py.pyimport("veritrace_runner"), from };
  }
  py = await loadPyodide({ ...base, ...(o.makeSnapshot ? { _makeSnapshot: true } : {}) });
  writeLibFiles(py, o.bundles);
  await loadPackages(py, o.packages ?? []);
  py.runPython(`import sys\nif '${LIB_DIR}' not in sys.path: sys.path.insert(0, '${LIB_DIR}')`);
  const runner = py.pyimport("veritrace_runner");
  runner.setup(py.toPy(o.bundles.map((b) => `${LIB_DIR}/${b.name}`)));
  runner.preload(py.toPy(o.preload));
  return { py, runner, from };
}

/** loadPackage resolves with [] when a package is missing (it only logs): check and throw instead. */
async function loadPackages(py, names) {
  if (names.length === 0) return;
  const messages = [];
  const loaded = await py.loadPackage(names, {
    messageCallback: (m) => messages.push(m),
    errorCallback: (m) => messages.push(m),
    checkIntegrity: false,
  });
  const got = new Set((loaded ?? []).map((p) => p.name.toLowerCase()));
  const missing = names.filter((n) => !got.has(n.toLowerCase()) && !isAlreadyLoaded(py, n));
  if (missing.length > 0) {
    throw new Error(
      `veritrace sandbox: package(s) ${missing.join(", ")} could not be loaded from ${py.lockfileBaseUrl ?? "the Pyodide distribution"}` +
        (messages.length ? `: ${messages.filter((m) => /fail|error|not found|unknown/i.test(m)).join("; ") || messages.at(-1)}` : ""),
    );
  }
}

function isAlreadyLoaded(py, name) {
  return Object.prototype.hasOwnProperty.call(py.loadedPackages ?? {}, name);
}

function toDirUrl(dir) {
  if (dir.startsWith("file:")) return dir.endsWith("/") ? dir : dir + "/";
  const href = new URL(`file://${dir}`).href;
  return href.endsWith("/") ? href : href + "/";
}

/** The directory of the `pyodide` npm package this module resolves to. */
export function defaultIndexURL() {
  return fileURLToPath(new URL(".", import.meta.resolve("pyodide")));
}
