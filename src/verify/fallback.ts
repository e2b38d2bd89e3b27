// The symbolic fallback: pairs the native engine leaves undecided go to @cortex-js/compute-engine
// (chosen by measurement: bench/fallback-compare.ts, docs/verdict-rules.md "Fallback").
//
// fallbackVerify is synchronous and bounded without signals. A synchronous library call cannot be
// interrupted on the thread that runs it, so the library runs in a dedicated worker thread; this side
// posts the request and blocks on Atomics.wait with the budget as timeout. A request that outlives its
// budget gets "undecided", and its worker is terminated and replaced (the replacement loads while the
// caller goes on). Inputs past the size guards never reach the library.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { FallbackResult } from "./fallback/compare.js";
import { DONE_SLOT, READY_SLOT, SIGNAL_SLOTS, type FallbackReply, type FallbackRequest } from "./fallback/protocol.js";

export type { FallbackResult } from "./fallback/compare.js";

export const FALLBACK_LIMITS = {
  /** Longest answer (UTF-16 code units, each side) handed to the library. */
  maxInputChars: 2_000,
  /** Deepest nesting of (), [], {} handed to the library. */
  maxNesting: 64,
  /** Longest budget honoured; a longer one is cut to this. */
  maxBudgetMs: 60_000,
  /** How long a new worker may take to load the library (not part of any call's budget). */
  startupTimeoutMs: 60_000,
  /** Heap of the worker: a request that needs more dies with its worker, and is undecided. */
  workerHeapMb: 512,
};

/** Share of the budget given to the library's own cooperative limit, so that it usually stops first and the worker survives. */
const LIBRARY_SHARE = 0.7;

const UNDECIDED: FallbackResult = Object.freeze({ status: "undecided" });

export interface FallbackStats {
  calls: number;
  /** Calls that reached the library (past the guards). */
  evaluated: number;
  /** Calls whose budget ran out before the worker answered (each one replaced the worker). */
  timeouts: number;
  workersStarted: number;
  /** Why the fallback is unavailable, when its worker could not load the library. */
  unavailable: string | null;
}

/** The compiled worker module; null when it is missing (a checkout run from sources without a build). */
function workerUrl(): URL | null {
  // Beside this module in dist/; from the TypeScript sources (vitest, tsx), the compiled file in dist/.
  for (const candidate of ["./fallback/worker.js", "../../dist/verify/fallback/worker.js"]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

/** One worker thread with its reply port and shared signal. */
class FallbackWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  exited = false;

  constructor(url: URL) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(url, {
      workerData: { port: channel.port2, signal: this.signal },
      transferList: [channel.port2],
      // A small young generation: about 25 MB less per fallback worker (one per grading thread that
      // needs it), for about 15% more time per call, on a path that few pairs take.
      resourceLimits: { maxOldGenerationSizeMb: FALLBACK_LIMITS.workerHeapMb, maxYoungGenerationSizeMb: 4 },
      // Not the parent's flags: some (--input-type, --eval) make a worker fail before its first line, and
      // the compiled worker needs no loader.
      execArgv: [],
      // The library's console output is not ours to print: the worker silences its console, and whatever
      // still reaches its stdout/stderr stays in these pipes (never read: reading would keep the process alive).
      stdout: true,
      stderr: true,
    });
    // Neither the thread nor its port keeps the process alive.
    this.worker.unref();
    this.port.unref();
    this.worker.on("error", () => {
      this.exited = true;
    });
    this.worker.on("exit", () => {
      this.exited = true;
    });
  }

  /** Blocks until the library is loaded; returns null when ready, else the reason it is not. */
  waitReady(): string | null {
    if (Atomics.load(this.signal, READY_SLOT) === 0) {
      Atomics.wait(this.signal, READY_SLOT, 0, FALLBACK_LIMITS.startupTimeoutMs);
    }
    const state = Atomics.load(this.signal, READY_SLOT);
    if (state === 1) return null;
    if (state === -1) {
      const reply = receiveMessageOnPort(this.port)?.message as FallbackReply | undefined;
      return reply && "error" in reply ? `the symbolic library failed to load: ${reply.error.split("\n")[0]}` : "the symbolic library failed to load";
    }
    return `the fallback worker did not start within ${FALLBACK_LIMITS.startupTimeoutMs} ms`;
  }

  /** Sends one request and waits at most budgetMs for its reply; null when the budget ran out. */
  request(request: FallbackRequest, budgetMs: number): FallbackResult | null {
    const seen = Atomics.load(this.signal, DONE_SLOT);
    this.worker.postMessage(request);
    const deadline = performance.now() + budgetMs;
    for (;;) {
      const left = deadline - performance.now();
      if (Atomics.load(this.signal, DONE_SLOT) !== seen) break;
      if (left <= 0) return null;
      Atomics.wait(this.signal, DONE_SLOT, seen, left);
    }
    // Drain the port up to this request's reply (earlier replies belong to nobody any more).
    for (let msg = receiveMessageOnPort(this.port); msg; msg = receiveMessageOnPort(this.port)) {
      const reply = msg.message as FallbackReply;
      if (reply.id === request.id && "result" in reply) return reply.result;
    }
    return UNDECIDED;
  }

  terminate(): void {
    this.exited = true;
    this.port.close();
    this.worker.terminate().catch(() => undefined);
  }
}

let current: FallbackWorker | null = null;
let nextId = 1;
const stats: FallbackStats = { calls: 0, evaluated: 0, timeouts: 0, workersStarted: 0, unavailable: null };

function startWorker(): FallbackWorker | null {
  const url = workerUrl();
  if (!url) {
    stats.unavailable = "the compiled fallback worker (dist/verify/fallback/worker.js) is missing: run `npm run build:ts`";
    current = null;
    return null;
  }
  stats.workersStarted++;
  current = new FallbackWorker(url);
  return current;
}

/** Input guards: what the library is not given at all. */
function withinGuards(answer: string): boolean {
  if (answer.length === 0 || answer.length > FALLBACK_LIMITS.maxInputChars) return false;
  let depth = 0;
  for (let i = 0; i < answer.length; i++) {
    const c = answer.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > FALLBACK_LIMITS.maxNesting) return false;
    } else if (c === 41 || c === 93 || c === 125) {
      depth--;
    }
  }
  return true;
}

/**
 * Decides a pair of bare answers (LaTeX or plain text) with the symbolic library, within budgetMs
 * of waiting. "undecided" when the library cannot tell, the input is past the guards, the budget ran out,
 * or the library is unavailable. Never throws for any input.
 */
export function fallbackVerify(gold: string, pred: string, budgetMs: number): FallbackResult {
  stats.calls++;
  if (typeof gold !== "string" || typeof pred !== "string") return UNDECIDED;
  if (!(budgetMs > 0)) return UNDECIDED;
  const budget = Math.min(budgetMs, FALLBACK_LIMITS.maxBudgetMs);
  const g = gold.trim();
  const p = pred.trim();
  if (!withinGuards(g) || !withinGuards(p)) return UNDECIDED;
  if (stats.unavailable) return UNDECIDED;

  const worker = current && !current.exited ? current : startWorker();
  if (!worker) return UNDECIDED;
  const notReady = worker.waitReady();
  if (notReady) {
    worker.terminate();
    current = null;
    stats.unavailable = notReady;
    return UNDECIDED;
  }

  stats.evaluated++;
  const request: FallbackRequest = { id: nextId++, gold: g, pred: p, budgetMs: budget * LIBRARY_SHARE };
  const result = worker.request(request, budget);
  if (result) return result;

  // Out of budget: the thread may be stuck in a synchronous call. Replace it; the new one loads meanwhile.
  stats.timeouts++;
  worker.terminate();
  startWorker();
  return UNDECIDED;
}

/** Counters since the process started (for reports and tests). */
export function fallbackStats(): Readonly<FallbackStats> {
  return { ...stats };
}

/** Terminates the worker (a later call starts a new one) and forgets an earlier load failure. */
export function shutdownFallback(): void {
  current?.terminate();
  current = null;
  stats.unavailable = null;
}
