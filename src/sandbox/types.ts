// The sandbox's public types and the messages between the library process and the isolated pool process.

export type RunStatus = "completed" | "error" | "timeout";

export interface RunResult {
  status: RunStatus;
  stdout: string;
  stderr: string;
  /** What NeMo-Skills' stateful sandbox hands the model: stdout then stderr, each already cut. */
  output: string;
  /** True when this call ran in a fresh namespace although its session had run before (its worker was replaced). */
  sessionReset?: boolean;
}

export interface SandboxOptions {
  /** Interpreters (worker threads) in the pool. Default: 1. */
  workers?: number;
  /** Time limit of a call that names none. Default: 10,000 ms (NeMo-Skills' code_execution_timeout of 10 s). */
  timeoutMs?: number;
  /** Upper bound of a call's own `timeoutMs` (a call asking more gets this). Default: max(timeoutMs, 60,000 ms). */
  maxTimeoutMs?: number;
  /** Each of stdout and stderr is cut at this many characters, then `<output cut>` is appended. Default: 1,000. */
  maxOutputChars?: number;
  /** Wasm memory cap per interpreter in MiB; an allocation past it raises MemoryError. Default: 2,048. */
  memoryMb?: number;
  /**
   * Python packages importable besides the standard library. Pure-Python packages come from `packagesDir`
   * (default: sympy, mpmath); names that are not there are loaded as Pyodide packages (wheels) from
   * `pyodideIndexURL`/`packageCacheDir`. Default: ["sympy", "mpmath"].
   */
  packages?: string[];
  /** Calls allowed per session; past it a call returns status "error". Default: 1,000. */
  maxCallsPerSession?: number;
  /** Directory holding pure-Python packages (`sympy/`, `mpmath/`, ...). Default: $VERITRACE_PYTHON_PACKAGES or .veritrace-cache/python-packages. */
  packagesDir?: string;
  /** A full Pyodide distribution for compiled packages (numpy, ...). Default: the `pyodide` npm package. */
  pyodideIndexURL?: string;
  /** Where loadPackage looks for wheels. Default: pyodideIndexURL. */
  packageCacheDir?: string;
  /** Where compiled bundles and snapshots are kept. Default: $VERITRACE_CACHE_DIR or .veritrace-cache/sandbox. */
  cacheDir?: string;
  /** Start workers from a memory snapshot (built on first use). Default: true. */
  snapshot?: boolean;
  /** Run the pool in a child process under Node's permission model, without network where the OS allows. Default: true. */
  isolate?: boolean;
  /** Time a call gets after the interrupt before its worker is terminated. Default: 1,000 ms. */
  graceMs?: number;
  /** A worker whose wasm heap grew past this many MiB is replaced after its call. Default: 75% of memoryMb. */
  recycleMb?: number;
  /** Called with warnings (e.g. no network namespace available). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

export interface RunOptions {
  /** Session id; calls with the same id share a namespace. Without one, the call runs in a fresh namespace. */
  session?: string;
  /**
   * This call's time limit in ms (the interrupt at it, the hard kill `graceMs` later). Default: the pool's
   * `timeoutMs`; cut to `maxTimeoutMs`.
   */
  timeoutMs?: number;
}

export interface SandboxInfo {
  /** How each worker started: "snapshot" or "cold" (with the reason when a snapshot was rejected). */
  workerStarts: Array<{ from: string; startMs: number }>;
  isolation: { permissionModel: boolean; networkNamespace: "unshare -rn" | "unshare -n" | "none"; notes: string[] };
  snapshotPath: string | null;
  bundles: string[];
  /** Process id of the pool process (null while it restarts). */
  poolPid: number | null;
}

/** Settings the pool process needs (all paths absolute). */
export interface PoolConfig {
  workers: number;
  timeoutMs: number;
  graceMs: number;
  maxOutputChars: number;
  memoryCapBytes: number;
  recycleBytes: number;
  maxCallsPerSession: number;
  workerFile: string;
  indexURL: string;
  packageCacheDir: string;
  bundles: Array<{ name: string; path: string }>;
  preload: string[];
  packages: string[];
  snapshotPath: string | null;
}

export type ToPool =
  | { type: "init"; config: PoolConfig }
  | { type: "run"; id: number; session: string; code: string; ephemeral: boolean; timeoutMs: number }
  | { type: "close-session"; session: string }
  | { type: "shutdown" };

export type FromPool =
  | { type: "ready"; workerStarts: Array<{ from: string; startMs: number }> }
  | { type: "init-failed"; message: string }
  | { type: "result"; id: number; result: RunResult };
