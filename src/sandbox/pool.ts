// The interpreter pool: one single-thread piscina pool per slot, so that a session's namespace stays on
// the slot it was bound to. A slot runs its jobs in order, with the next job already posted to the
// worker while the current one runs (a pipeline of depth 2: the worker never waits for a round trip).
// A job's time limit starts when it becomes the running one, not while it waits. Calls are bounded: the
// interrupt buffer at the call's timeoutMs, then a hard kill (abort, which terminates the worker) after graceMs;
// piscina replaces a terminated worker and the jobs queued behind the killed one are posted again to the
// new worker (they had not started). A slot whose interpreter failed or whose heap grew past recycleBytes
// drains and gets a fresh pool. Runs inside the isolated pool process.
import { Piscina } from "piscina";
import type { PoolConfig, RunResult } from "./types.js";

/** Jobs posted to a worker ahead of time. */
const PIPELINE_DEPTH = 2;
/** Time a replacement interpreter gets to start (a cold start on a loaded machine can take seconds). */
const WORKER_START_LIMIT_MS = 120_000;

interface WorkerReply {
  status: "completed" | "error" | "interrupted";
  stdout: string;
  stderr: string;
  memoryBytes: number;
  fatal: boolean;
}

interface Job {
  /** The task for the worker (the interrupt buffer is added per dispatch). */
  task: { op: "run"; session: string; code: string; maxChars: number } | { op: "close"; session: string } | { op: "ping" };
  session: SessionState | null;
  /** Time limit of a run job (the interrupt at it, the kill graceMs later). */
  timeoutMs: number;
  done: (result: RunResult | null) => void;
  /** Bumped on every dispatch, so that answers to an abandoned dispatch are ignored. */
  token: number;
  abort: AbortController | null;
  flag: Int32Array | null;
  soft: NodeJS.Timeout | null;
  hard: NodeJS.Timeout | null;
  interrupted: boolean;
  killed: boolean;
  reset: boolean;
}

interface Slot {
  index: number;
  pool: Piscina;
  /** Bumped whenever the slot's interpreter is replaced: namespaces of older generations are gone. */
  generation: number;
  waiting: Job[];
  /** Jobs posted to the worker, in order; the first is the one running. */
  posted: Job[];
  /** Set while the worker is being replaced: nothing is posted meanwhile. */
  restarting: boolean;
  /** Set when the interpreter must be replaced once its posted jobs are done. */
  draining: boolean;
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
      this.slots.push({ index: i, pool: this.newPiscina(), generation: 0, waiting: [], posted: [], restarting: false, draining: false, sessions: 0 });
    }
  }

  private newPiscina(): Piscina {
    const c = this.config;
    const pool = new Piscina({
      filename: c.workerFile,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: PIPELINE_DEPTH,
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

  /** Runs a cell with its own time limit (the caller bounds it; the pool's timeoutMs when not given). */
  async run(sessionId: string, code: string, ephemeral: boolean, timeoutMs = this.config.timeoutMs): Promise<RunResult> {
    const session = this.bind(sessionId);
    session.calls += 1;
    let result: RunResult;
    if (session.calls > this.config.maxCallsPerSession) {
      result = errorResult(`Session call limit reached: session '${sessionId}' has used its ${this.config.maxCallsPerSession} calls`);
    } else {
      const task = { op: "run" as const, session: sessionId, code, maxChars: this.config.maxOutputChars };
      result = (await this.submit(session.slot, task, session, timeoutMs))!;
    }
    if (ephemeral) this.closeSession(sessionId);
    return result;
  }

  closeSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    session.slot.sessions -= 1;
    if (session.started && session.generation === session.slot.generation) void this.submit(session.slot, { op: "close", session: sessionId }, null);
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

  private submit(slot: Slot, task: Job["task"], session: SessionState | null, timeoutMs = this.config.timeoutMs): Promise<RunResult | null> {
    return new Promise((done) => {
      slot.waiting.push({ task, session, timeoutMs, done, token: 0, abort: null, flag: null, soft: null, hard: null, interrupted: false, killed: false, reset: false });
      this.pump(slot);
    });
  }

  /** Posts waiting jobs to the worker, up to the pipeline depth. */
  private pump(slot: Slot): void {
    while (!slot.restarting && !slot.draining && slot.posted.length < PIPELINE_DEPTH && slot.waiting.length > 0) {
      const job = slot.waiting.shift()!;
      slot.posted.push(job);
      this.post(slot, job);
      if (slot.posted.length === 1) this.arm(slot, job);
    }
  }

  private post(slot: Slot, job: Job): void {
    const token = ++job.token;
    job.abort = new AbortController();
    const interrupt = new SharedArrayBuffer(4);
    job.flag = new Int32Array(interrupt);
    const task = job.task.op === "run" ? { ...job.task, interrupt } : job.task;
    slot.pool.run(task, { signal: job.abort.signal }).then(
      (reply) => {
        if (job.token === token) this.finished(slot, job, reply as WorkerReply);
      },
      (err) => {
        if (job.token === token) void this.failed(slot, job, err);
      },
    );
  }

  /** The job is now the one running on the worker: its clock starts. */
  private arm(slot: Slot, job: Job): void {
    const c = this.config;
    if (job.session) {
      job.reset = job.session.started && job.session.generation !== slot.generation;
      job.session.generation = slot.generation;
      job.session.started = true;
    }
    const limit = job.task.op === "run" ? job.timeoutMs : WORKER_START_LIMIT_MS;
    const flag = job.flag!;
    job.soft = setTimeout(() => {
      job.interrupted = true;
      Atomics.store(flag, 0, 2); // SIGINT: Python raises KeyboardInterrupt at its next check
    }, limit);
    job.hard = setTimeout(() => {
      job.killed = true;
      job.abort!.abort(); // piscina terminates the worker and starts a new one
    }, limit + c.graceMs);
  }

  private disarm(job: Job): void {
    if (job.soft) clearTimeout(job.soft);
    if (job.hard) clearTimeout(job.hard);
    job.soft = job.hard = null;
  }

  private finished(slot: Slot, job: Job, reply: WorkerReply): void {
    this.disarm(job);
    slot.posted.shift();
    if (job.task.op === "run") {
      const status = job.interrupted ? "timeout" : reply.status === "completed" ? "completed" : "error";
      const result: RunResult = { status, stdout: reply.stdout, stderr: reply.stderr, output: reply.stdout + reply.stderr };
      job.done(job.reset ? { ...result, sessionReset: true } : result);
      if (reply.fatal || reply.memoryBytes > this.config.recycleBytes) slot.draining = true;
    } else job.done(null);
    if (slot.posted.length > 0) this.arm(slot, slot.posted[0]);
    else if (slot.draining) void this.recycle(slot);
    this.pump(slot);
  }

  /**
   * The worker died (killed by us, or on its own): the running job (the head, whichever task's rejection
   * arrives first) failed; the jobs posted behind it never ran: post them again.
   */
  private async failed(slot: Slot, rejected: Job, err: unknown): Promise<void> {
    const job = slot.posted[0] ?? rejected;
    this.disarm(job);
    job.token++;
    const behind = slot.posted.filter((j) => j !== job);
    for (const j of behind) {
      this.disarm(j);
      j.token++; // their pending answers (rejections from the terminated worker) are ignored
    }
    slot.posted = [];
    slot.waiting.unshift(...behind);
    if (job.task.op === "run") {
      job.done(job.killed ? timeoutResult(job.timeoutMs) : errorResult(`sandbox worker failed: ${String((err as Error)?.message ?? err).split("\n")[0]}`));
    } else job.done(null);
    // piscina replaces the terminated worker; the next job starts once it is up, so that its time limit
    // does not count the new interpreter's start-up.
    slot.generation += 1;
    slot.restarting = true;
    await this.waitUntilUp(slot);
    slot.restarting = false;
    this.pump(slot);
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

  /** Gives a drained slot a fresh interpreter (its namespaces are gone). */
  private async recycle(slot: Slot): Promise<void> {
    slot.restarting = true;
    slot.draining = false;
    const old = slot.pool;
    slot.pool = this.newPiscina();
    slot.generation += 1;
    await old.destroy().catch(() => {});
    await this.waitUntilUp(slot);
    slot.restarting = false;
    this.pump(slot);
  }
}
