// The Sandbox: runs tool-call Python the way NeMo-Skills' stateful sandbox does, in Pyodide
// interpreters held by a pool process of its own (src/sandbox/host.ts) that runs isolated
// (src/sandbox/isolation.ts). This class lives in the caller's process: it prepares the cached assets,
// starts the pool process, forwards calls over IPC, and restarts the pool process if it ever dies
// (calls in flight then return status "error"). Every call is bounded in time on this side too.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT, WASM_DIR, defaultCacheDir, defaultIndexURL, defaultPackagesDir, prepareAssets, type Assets } from "./assets.js";
import { launchCommand, packageDir, type Launch } from "./isolation.js";
import type { FromPool, PoolConfig, RunOptions, RunResult, SandboxInfo, SandboxOptions, ToPool } from "./types.js";

const HOST_SCRIPT = fileURLToPath(new URL("./host.js", import.meta.url));
/** Time allowed for the pool process to start all its interpreters (cold starts on a loaded machine). */
const START_TIMEOUT_MS = 180_000;
/** Longest cell accepted (a tool call is a few KB; this keeps IPC and parsing bounded). */
const MAX_CODE_CHARS = 1 << 22;
/** Default upper bound of a call's own time limit (when above the pool's timeoutMs). */
const DEFAULT_MAX_TIMEOUT_MS = 60_000;
/** Longest time limit accepted at all (timers stay far from Node's 2^31 ms limit). */
const MAX_TIMEOUT_MS = 24 * 3600 * 1000;
/**
 * Trivial calls sent through the whole path (this process → pool process → worker) per worker before
 * start() returns: the first ~20 calls of a fresh pool ran 3-20 ms each while V8 compiled the JS of the
 * three hops (IPC handlers, the pool, piscina's messaging), and they made the p99 of trivial cells.
 */
const WARMUP_CALLS_PER_WORKER = 40;
/** Slack on top of timeout + grace before this side gives up on a call (a worker being replaced, IPC). */
const CALL_SLACK_MS = 60_000;

interface Pending {
  resolve: (r: RunResult) => void;
  timer: NodeJS.Timeout;
}

function failure(message: string): RunResult {
  const stderr = message + "\n";
  return { status: "error", stdout: "", stderr, output: stderr };
}

export class Sandbox {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private starting: Promise<void> | null = null;
  private workerStarts: SandboxInfo["workerStarts"] = [];

  private constructor(
    private readonly config: PoolConfig,
    private readonly maxTimeoutMs: number,
    private readonly launch: Launch,
    private readonly assets: Assets,
    private readonly warn: (message: string) => void,
  ) {}

  /** Prepares the assets (first use: package bundles and snapshot into the cache dir) and starts the pool. */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const workers = options.workers ?? 1;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const maxOutputChars = options.maxOutputChars ?? 1000;
    const memoryMb = options.memoryMb ?? 2048;
    const maxCallsPerSession = options.maxCallsPerSession ?? 1000;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) throw new RangeError(`timeoutMs must be positive and at most ${MAX_TIMEOUT_MS}, got ${timeoutMs}`);
    const maxTimeoutMs = options.maxTimeoutMs ?? Math.max(timeoutMs, DEFAULT_MAX_TIMEOUT_MS);
    if (!(maxTimeoutMs >= timeoutMs && maxTimeoutMs <= MAX_TIMEOUT_MS)) {
      throw new RangeError(`maxTimeoutMs must be at least timeoutMs (${timeoutMs}) and at most ${MAX_TIMEOUT_MS}, got ${maxTimeoutMs}`);
    }
    if (!Number.isInteger(maxOutputChars) || maxOutputChars < 0) throw new RangeError(`maxOutputChars must be a non-negative integer, got ${maxOutputChars}`);
    if (!(memoryMb >= 128 && memoryMb <= 4096)) throw new RangeError(`memoryMb must be between 128 and 4096 (wasm32), got ${memoryMb}`);
    if (!Number.isInteger(maxCallsPerSession) || maxCallsPerSession < 1) throw new RangeError(`maxCallsPerSession must be a positive integer, got ${maxCallsPerSession}`);

    const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, "VeritraceSandboxWarning"));
    const indexURL = options.pyodideIndexURL ?? defaultIndexURL();
    const memoryCapBytes = memoryMb * 1024 * 1024;
    const assets = await prepareAssets({
      packages: options.packages ?? ["sympy", "mpmath"],
      packagesDir: options.packagesDir ?? defaultPackagesDir(),
      indexURL,
      packageCacheDir: options.packageCacheDir ?? indexURL,
      cacheDir: options.cacheDir ?? defaultCacheDir(),
      snapshot: options.snapshot ?? true,
      memoryCapBytes,
    });
    for (const w of assets.warnings) warn(w);

    const config: PoolConfig = {
      workers,
      timeoutMs,
      graceMs: options.graceMs ?? 1000,
      maxOutputChars,
      memoryCapBytes,
      recycleBytes: (options.recycleMb ?? Math.floor(memoryMb * 0.75)) * 1024 * 1024,
      maxCallsPerSession,
      workerFile: join(WASM_DIR, "worker.mjs"),
      indexURL: assets.indexURL,
      packageCacheDir: assets.packageCacheDir,
      bundles: assets.bundles,
      preload: assets.preload,
      packages: assets.packages,
      snapshotPath: assets.snapshotPath,
    };
    const readPaths = [
      dirname(HOST_SCRIPT),
      WASM_DIR,
      join(PACKAGE_ROOT, "package.json"), // Node reads it to learn that dist/*.js are ES modules
      packageDir("piscina"),
      assets.indexURL,
      assets.packageCacheDir,
      ...assets.bundles.map((b) => b.path),
      ...(assets.snapshotPath ? [assets.snapshotPath] : []),
    ];
    const launch = launchCommand(HOST_SCRIPT, readPaths, options.isolate ?? true);
    for (const note of launch.notes) warn(note);
    const sandbox = new Sandbox(config, maxTimeoutMs, launch, assets, warn);
    await sandbox.spawnPool();
    await sandbox.warmUp();
    return sandbox;
  }

  /** Runs WARMUP_CALLS_PER_WORKER trivial cells on every worker (one throwaway session each), then forgets them. */
  private async warmUp(): Promise<void> {
    await Promise.all(
      Array.from({ length: this.config.workers }, async (_, i) => {
        // A new session goes to the slot holding the fewest sessions: these land one per worker.
        const session = `\u0000veritrace-warmup-${i}-${randomUUID()}`;
        for (let n = 0; n < WARMUP_CALLS_PER_WORKER; n++) {
          // The longest time limit allowed: a short pool timeout must not get a worker killed here.
          if ((await this.run("1 + 1", { session, timeoutMs: this.maxTimeoutMs })).status !== "completed") break;
        }
        this.closeSession(session);
      }),
    );
  }

  /** How the pool started and how it is isolated. */
  info(): SandboxInfo {
    return {
      workerStarts: this.workerStarts,
      isolation: { permissionModel: this.launch.permissionModel, networkNamespace: this.launch.networkNamespace, notes: this.launch.notes },
      snapshotPath: this.assets.snapshotPath,
      bundles: this.assets.bundles.map((b) => b.path),
      poolPid: this.child?.pid ?? null,
    };
  }

  /**
   * Runs one cell, within `options.timeoutMs` (cut to `maxTimeoutMs`) or the pool's `timeoutMs`. Never throws
   * for what the code does: errors, timeouts and limits come back as a status.
   */
  async run(code: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.closed) throw new Error("Sandbox is closed");
    if (typeof code !== "string") throw new TypeError("code must be a string");
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${options.timeoutMs}`);
    const timeoutMs = Math.min(options.timeoutMs ?? this.config.timeoutMs, this.maxTimeoutMs);
    if (code.length > MAX_CODE_CHARS) return failure(`code of ${code.length} characters is over the sandbox's limit of ${MAX_CODE_CHARS}`);
    if (this.starting) await this.starting.catch(() => {});
    // A pool process that died and could not be restarted then: try again now.
    if (!this.child?.connected && !this.closed) await this.spawnPool().catch((err) => this.warn(String(err?.message ?? err)));
    const child = this.child;
    if (!child || !child.connected) return failure("sandbox pool process is not running");
    const id = this.nextId++;
    const session = options.session ?? `ephemeral:${randomUUID()}`;
    return new Promise<RunResult>((resolve) => {
      const limit = timeoutMs + this.config.graceMs + CALL_SLACK_MS;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(failure(`sandbox pool did not answer within ${limit} ms; the pool process is restarted`));
        this.restartPool();
      }, limit);
      this.pending.set(id, { resolve, timer });
      this.send({ type: "run", id, session, code, ephemeral: options.session === undefined, timeoutMs });
    });
  }

  /** Forgets a session's namespace. */
  closeSession(session: string): void {
    if (this.child?.connected) this.send({ type: "close-session", session });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    this.child = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(failure("Sandbox closed"));
      this.pending.delete(id);
    }
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.send({ type: "shutdown" } satisfies ToPool);
      else child.kill("SIGKILL");
    });
  }

  private send(message: ToPool): void {
    this.child?.send(message);
  }

  private spawnPool(): Promise<void> {
    const child = spawn(this.launch.command, this.launch.args, {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    this.child = child;
    // A failed spawn or a send on a channel that just closed: reported, never thrown at the caller
    // (the exit handler fails the calls in flight and restarts the pool).
    child.on("error", (err) => this.warn(`sandbox pool process: ${err.message}`));
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let ready = false;
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`sandbox pool did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const onMessage = (m: FromPool) => {
        if (m.type === "ready") {
          clearTimeout(timer);
          ready = true;
          this.workerStarts = m.workerStarts;
          resolve();
        } else if (m.type === "init-failed") {
          clearTimeout(timer);
          child.kill("SIGKILL");
          reject(new Error(`sandbox pool failed to start: ${m.message}`));
        } else if (m.type === "result") {
          const p = this.pending.get(m.id);
          if (!p) return;
          clearTimeout(p.timer);
          this.pending.delete(m.id);
          p.resolve(m.result);
        }
      };
      child.on("message", onMessage);
      child.once("error", (err) => {
        if (ready) return;
        clearTimeout(timer);
        reject(new Error(`sandbox pool process could not start (${this.launch.command}): ${err.message}`));
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`sandbox pool process exited (${signal ?? `code ${code}`}) while starting: ${stderr.trim() || "no output"}`));
        // Only a pool that was up is restarted: one that cannot start fails Sandbox.start instead of looping.
        if (this.child === child) {
          if (ready) this.onPoolExit(code, signal);
          else this.child = null;
        }
      });
    });
    child.send({ type: "init", config: this.config } satisfies ToPool);
    this.starting = started.finally(() => {
      this.starting = null;
    });
    return started;
  }

  /** The pool process died (killed from outside, or a crash): fail its calls and start a new one. */
  private onPoolExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.child = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(failure(`sandbox pool process exited (${signal ?? `code ${code}`}); it is restarted and sessions start afresh`));
      this.pending.delete(id);
    }
    if (!this.closed) {
      this.warn(`sandbox pool process exited (${signal ?? `code ${code}`}); restarting it`);
      this.spawnPool().catch((err) => this.warn(String(err?.message ?? err)));
    }
  }

  private restartPool(): void {
    this.child?.kill("SIGKILL"); // onPoolExit fails the pending calls and starts a new process
  }
}
