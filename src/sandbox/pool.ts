// The interpreter pool: one single-thread piscina pool per slot, so that a session's namespace stays on
// the slot it was bound to and a slot runs one call at a time (its time limit starts when it runs, not
// while it waits). Calls are bounded: the interrupt buffer at timeoutMs, then a hard kill (abort, which
// terminates the worker) after graceMs; piscina replaces a terminated worker. A slot whose interpreter
// failed or whose heap grew past recycleBytes gets a fresh pool. Runs inside the isolated pool process.
import { Piscina } from "piscina";
import type { PoolConfig, RunResult } from "./types.js";

/** Time a replacement interpreter gets to start (a cold start on a loaded machine can take seconds). */
const WORKER_START_LIMIT_MS = 120_000;

interface WorkerReply {
  status: "completed" | "error" | "interrupted";
  stdout: string;
  stderr: string;
  memoryBytes: number;
  fatal: boolean;
}

interface Slot {
  index: number;
  pool: Piscina;
  /** Bumped whenever the slot's interpreter is replaced: namespaces of older generations are gone. */
  generation: number;
  /** Serializes the slot's calls. */
  queue: Promise<unknown>;
  sessions: number;
}

interface SessionState {
  slot: Slot;
  generation: number;
  calls: number;
  /** Whether the session ran at least once (so a replaced worker means a reset, not a first call). */
  started: boolean;
}

/** Python's repr of a float, as NeMo-Skills formats `timeout` into its message (10 -> "10.0"). */
export function pythonSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? s.toFixed(1) : String(s);
}

export function timeoutResult(timeoutMs: number): RunResult {
  const stderr = `Execution timed out after ${pythonSeconds(timeoutMs)} seconds\n`;
  return { status: "timeout", stdout: "", stderr, output: stderr };
}

function errorResult(message: string): RunResult {
  const stderr = message.endsWith("\n") ? message : message + "\n";
  return { status: "error", stdout: "", stderr, output: stderr };
}

export class InterpreterPool {
  private readonly slots: Slot[] = [];
  private readonly sessions = new Map<string, SessionState>();

  constructor(private readonly config: PoolConfig) {
    for (let i = 0; i < config.workers; i++) {
      this.slots.push({ index: i, pool: this.newPiscina(), generation: 0, queue: Promise.resolve(), sessions: 0 });
    }
  }

  private newPiscina(): Piscina {
    const c = this.config;
    const pool = new Piscina({
      filename: c.workerFile,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 1,
      idleTimeout: Infinity,
      // The wasm heap is capped by the worker itself (installMemoryCap); V8's limits cover the JS side.
      workerData: {
        memoryCapBytes: c.memoryCapBytes,
        indexURL: c.indexURL,
        packageCacheDir: c.packageCacheDir,
        bundles: c.bundles,
        preload: c.preload,
        packages: c.packages,
        snapshotPath: c.snapshotPath,
        timeoutSeconds: c.timeoutMs / 1000,
      },
    });
    // A worker that dies is replaced by piscina; its error is reported through the task it was running.
    pool.on("error", () => {});
    return pool;
  }

  /** Waits until every slot's interpreter is up; returns how each started. */
  async ready(): Promise<Array<{ from: string; startMs: number }>> {
    return Promise.all(this.slots.map((slot) => slot.pool.run({ op: "ping" }) as Promise<{ from: string; startMs: number }>));
  }

  async run(sessionId: string, code: string, ephemeral: boolean): Promise<RunResult> {
    const session = this.bind(sessionId);
    session.calls += 1;
    if (session.calls > this.config.maxCallsPerSession) {
      return errorResult(`Session call limit reached: session '${sessionId}' has used its ${this.config.maxCallsPerSession} calls`);
    }
    const slot = session.slot;
    const result = await this.enqueue(slot, async () => {
      const reset = session.started && session.generation !== slot.generation;
      session.generation = slot.generation;
      session.started = true;
      const r = await this.execute(slot, sessionId, code);
      return reset ? { ...r, sessionReset: true } : r;
    });
    if (ephemeral) this.closeSession(sessionId);
    return result;
  }

  closeSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    session.slot.sessions -= 1;
    const slot = session.slot;
    const generation = session.generation;
    void this.enqueue(slot, async () => {
      if (slot.generation === generation) await slot.pool.run({ op: "close", session: sessionId }).catch(() => {});
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.pool.destroy().catch(() => {})));
  }

  private bind(sessionId: string): SessionState {
    let session = this.sessions.get(sessionId);
    if (!session) {
      // A new session goes to the slot holding the fewest sessions (ties: lowest index).
      const slot = this.slots.reduce((a, b) => (b.sessions < a.sessions ? b : a));
      slot.sessions += 1;
      session = { slot, generation: slot.generation, calls: 0, started: false };
      this.sessions.set(sessionId, session);
    }
    return session;
  }

  private enqueue<T>(slot: Slot, job: () => Promise<T>): Promise<T> {
    const next = slot.queue.then(job, job);
    slot.queue = next.catch(() => {});
    return next;
  }

  /** Runs one cell on the slot's worker with the interrupt, the hard kill and the recycling rules. */
  private async execute(slot: Slot, sessionId: string, code: string): Promise<RunResult> {
    const c = this.config;
    const interrupt = new SharedArrayBuffer(4);
    const flag = new Int32Array(interrupt);
    const abort = new AbortController();
    let interrupted = false;
    let killed = false;
    const soft = setTimeout(() => {
      interrupted = true;
      Atomics.store(flag, 0, 2); // SIGINT: Python raises KeyboardInterrupt at its next check
    }, c.timeoutMs);
    const hard = setTimeout(() => {
      killed = true;
      abort.abort(); // piscina terminates the worker and starts a new one
    }, c.timeoutMs + c.graceMs);
    let reply: WorkerReply;
    try {
      reply = (await slot.pool.run(
        { op: "run", session: sessionId, code, maxChars: c.maxOutputChars, interrupt },
        { signal: abort.signal },
      )) as WorkerReply;
    } catch (err) {
      clearTimeout(soft);
      clearTimeout(hard);
      // piscina replaces the terminated worker; the slot's next call starts once it is up, so that its
      // time limit does not count the new interpreter's start-up.
      slot.generation += 1;
      await this.waitUntilUp(slot);
      if (killed) return timeoutResult(c.timeoutMs);
      return errorResult(`sandbox worker failed: ${String((err as Error)?.message ?? err).split("\n")[0]}`);
    }
    clearTimeout(soft);
    clearTimeout(hard);
    if (reply.fatal || reply.memoryBytes > c.recycleBytes) await this.recycle(slot);
    const status = interrupted ? "timeout" : reply.status === "completed" ? "completed" : "error";
    return { status, stdout: reply.stdout, stderr: reply.stderr, output: reply.stdout + reply.stderr };
  }

  /** Waits (bounded) until the slot's current worker answers. */
  private async waitUntilUp(slot: Slot): Promise<void> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), WORKER_START_LIMIT_MS);
    try {
      await slot.pool.run({ op: "ping" }, { signal: abort.signal });
    } catch {
      /* the next call reports the failure */
    } finally {
      clearTimeout(timer);
    }
  }

  /** Gives the slot a fresh interpreter (its namespaces are gone). */
  private async recycle(slot: Slot): Promise<void> {
    const old = slot.pool;
    slot.pool = this.newPiscina();
    slot.generation += 1;
    await old.destroy().catch(() => {});
    await this.waitUntilUp(slot);
  }
}
