// Builds the sandbox's cached assets in a worker thread of the library process (trusted inputs only):
//   { task: "bundle", indexURL, sourceDir, modules }  -> .pyc zip of those packages, compiled by Pyodide's
//        own Python (a .pyc must come from the same Python version as the interpreter that imports it);
//   { task: "snapshot", indexURL, bundles, preload, memoryCapBytes } -> a memory snapshot of an interpreter
//        with the runner and the preloaded modules imported.
// The result (a Uint8Array) is posted back to the parent.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { installMemoryCap, loadInterpreter } from "./interpreter.mjs";

const SKIPPED_DIRS = new Set(["tests", "test", "benchmarks", "__pycache__"]);

function copyTree(py, hostDir, memDir) {
  py.FS.mkdirTree(memDir);
  for (const entry of readdirSync(hostDir, { withFileTypes: true })) {
    const host = join(hostDir, entry.name);
    const mem = `${memDir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) copyTree(py, host, mem);
    } else if (entry.name.endsWith(".py")) {
      py.FS.writeFile(mem, readFileSync(host));
    }
  }
}

async function buildBundle({ indexURL, sourceDir, modules }) {
  const { loadPyodide } = await import(new URL("pyodide.mjs", `file://${indexURL.endsWith("/") ? indexURL : indexURL + "/"}`).href);
  const py = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  for (const m of modules) {
    const dir = join(sourceDir, m);
    let isPackage = true;
    try {
      readdirSync(dir);
    } catch {
      isPackage = false;
    }
    if (isPackage) copyTree(py, dir, `/build/src/${m}`);
    else {
      py.FS.mkdirTree("/build/src");
      py.FS.writeFile(`/build/src/${m}.py`, readFileSync(join(sourceDir, `${m}.py`)));
    }
  }
  py.runPython(`
import compileall, os, zipfile, warnings
warnings.simplefilter("ignore")
# Frames of these modules name site-packages paths, as on a regular installation.
compileall.compile_dir("/build/src", quiet=2, legacy=True, workers=1, ddir="/lib/python3.14/site-packages")
with zipfile.ZipFile("/build/bundle.zip", "w", zipfile.ZIP_STORED) as z:
    for root, dirs, files in sorted(os.walk("/build/src")):
        for f in sorted(files):
            if f.endswith(".pyc"):
                full = os.path.join(root, f)
                z.write(full, os.path.relpath(full, "/build/src"))
`);
  return py.FS.readFile("/build/bundle.zip");
}

async function buildSnapshot({ indexURL, bundles, preload, memoryCapBytes }) {
  installMemoryCap(memoryCapBytes);
  const { py } = await loadInterpreter({
    indexURL,
    bundles: bundles.map((b) => ({ name: b.name, bytes: readFileSync(b.path) })),
    preload,
    packages: [],
    snapshot: null,
    makeSnapshot: true,
  });
  return py.makeMemorySnapshot();
}

const task = workerData.task === "bundle" ? buildBundle(workerData) : buildSnapshot(workerData);
task.then(
  (bytes) => parentPort.postMessage({ ok: true, bytes }),
  (err) => parentPort.postMessage({ ok: false, message: String(err?.stack ?? err) }),
);
