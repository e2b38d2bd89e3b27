// A piscina worker of the sandbox pool: one Pyodide interpreter, loaded once (from the memory snapshot
// when it matches) and reused for every task sent to this worker. Tasks:
//   { op: "run", session, code, maxChars, interrupt: SharedArrayBuffer }  -> { status, stdout, stderr, memoryBytes, fatal }
//   { op: "close", session }                                              -> { sessions }
//   { op: "ping" }                                                        -> { from, startMs, warmup, memoryBytes, sessions }
// The interrupt buffer is per task: the pool writes 2 (SIGINT) into it when the call's time is up.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { workerData } from "piscina";
import { installMemoryCap, loadInterpreter } from "./interpreter.mjs";

/** Refuses the host-facing parts of the Pyodide API and of `process` to JS reached from Python. */
function neuterHostApi(py) {
  const refuse = (what) => () => {
    throw new Error(`${what} is not available in the veritrace sandbox`);
  };
  for (const name of ["mountNodeFS", "mountNativeFS", "useNodeSockFS", "loadPackage", "loadPackagesFromImports", "registerJsModule", "unregisterJsModule"]) {
    try {
      Object.defineProperty(py, name, { value: refuse(`pyodide.${name}`), configurable: false, writable: false });
    } catch {
      /* a non-configurable property stays as it is */
    }
  }
  if (py.FS?.filesystems) {
    for (const fs of ["NODEFS", "NATIVEFS_ASYNC", "PROXYFS", "WORKERFS"]) delete py.FS.filesystems[fs];
  }
  for (const name of ["getBuiltinModule", "kill", "abort", "dlopen", "chdir", "_linkedBinding", "reallyExit", "setuid", "setgid", "seteuid", "setegid", "setgroups", "initgroups", "_kill", "_rawDebug", "binding"]) {
    try {
      Object.defineProperty(process, name, { value: refuse(`process.${name}`), configurable: false, writable: false });
    } catch {
      /* ignore */
    }
  }
}

// Warm-up before the worker takes tasks. V8 runs Pyodide's wasm first as baseline (Liftoff) code and
// recompiles the hot functions with TurboFan after enough calls ("dynamic tiering"); on a busy 2-core
// machine those recompilations stalled the first ~300 cells of a fresh worker by 4-30 ms each, which
// made the p99 of trivial cells (measured: in-thread p99 2.3-3.4 ms, max 30 ms, against 0.4-1.4 ms once warm).
// Running a few hundred trivial cells here moves that cost into start-up, bounded by count and time.
const WARMUP_CELLS = ["1 + 1", "print(2)", "x = 3\nx * 2"];
const WARMUP_MAX_CELLS = 300;
const WARMUP_MAX_MS = 150;
/** A session name no caller's session can equal before the warm-up closes it (callers run only after). */
const WARMUP_SESSION = "\u0000veritrace-warmup";

function warmUp(py, runner) {
  const t0 = performance.now();
  py.setInterruptBuffer(new Int32Array(new SharedArrayBuffer(4)));
  let cells = 0;
  while (cells < WARMUP_MAX_CELLS && performance.now() - t0 < WARMUP_MAX_MS) {
    const result = runner.run_cell(WARMUP_SESSION, WARMUP_CELLS[cells % WARMUP_CELLS.length], 1000);
    result.toJs();
    result.destroy();
    cells++;
  }
  runner.close_session(WARMUP_SESSION);
  return { cells, ms: performance.now() - t0 };
}

function readIfPresent(path) {
  if (!path) return null;
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

async function init() {
  const cfg = workerData;
  installMemoryCap(cfg.memoryCapBytes);
  const t0 = performance.now();
  const bundles = cfg.bundles.map((b) => ({ name: b.name, bytes: readFileSync(b.path) }));
  const { py, runner, from } = await loadInterpreter({
    indexURL: cfg.indexURL,
    packageCacheDir: cfg.packageCacheDir,
    bundles,
    preload: cfg.preload,
    packages: cfg.packages,
    snapshot: readIfPresent(cfg.snapshotPath),
  });
  runner.reseed(Array.from(randomBytes(32)));
  runner.guard();
  neuterHostApi(py);
  const warmup = warmUp(py, runner);
  const startMs = performance.now() - t0;
  const heap = py._module?.HEAP8 ?? null;
  const memoryBytes = () => (py._module?.HEAP8 ?? heap)?.buffer.byteLength ?? 0;
  const sessions = () => Number(runner.session_count());

  return function handle(task) {
    switch (task.op) {
      case "run": {
        py.setInterruptBuffer(new Int32Array(task.interrupt));
        let result;
        try {
          result = runner.run_cell(task.session, task.code, task.maxChars);
        } catch (err) {
          // run_cell catches every Python exception: a JS error here means the interpreter failed.
          return { status: "error", stdout: "", stderr: `sandbox interpreter failed: ${String(err?.message ?? err).split("\n")[0]}\n`, memoryBytes: memoryBytes(), fatal: true };
        }
        const [status, stdout, stderr] = result.toJs();
        result.destroy();
        return { status, stdout, stderr, memoryBytes: memoryBytes(), fatal: false };
      }
      case "close":
        runner.close_session(task.session);
        return { sessions: sessions() };
      case "ping":
        return { from, startMs, warmup, memoryBytes: memoryBytes(), sessions: sessions() };
      default:
        throw new Error(`unknown sandbox task '${task.op}'`);
    }
  };
}

export default init();
