// The verdict layers behind /verify and /grade, in a pool of worker threads (src/serve/verdict-worker.ts)
// so that a slow batch never holds up the event loop that serves /execute and /health. Every task has a
// deadline: past it the task is dropped (a running one by replacing its thread) and the request fails alone.
import { Piscina } from "piscina";
import type { VerdictTask } from "./verdict-worker.js";
import { VerdictDeadlineError, type VerdictEngine } from "./verdicts.js";

export async function verdictEngine(threads: number, deadlineMs: number): Promise<VerdictEngine> {
  const pool = new Piscina({
    filename: new URL("./verdict-worker.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
  });
  const run = async (task: VerdictTask, limitMs = deadlineMs): Promise<unknown> => {
    const signal = AbortSignal.timeout(limitMs);
    try {
      return await pool.run(task, { signal });
    } catch (err) {
      if (signal.aborted) throw new VerdictDeadlineError(limitMs);
      throw err;
    }
  };
  // Load the engine (and its native addon) in every thread now: a server that cannot verify fails at start.
  const warmUp = { op: "verify", gold: "1", pred: "1" } as const;
  await Promise.all(Array.from({ length: threads }, () => run(warmUp, Math.max(deadlineMs, 120_000))));
  return {
    verify: (gold, pred, options) => run({ op: "verify", gold, pred, options }),
    verifyBatch: (pairs, options) => run({ op: "verifyBatch", pairs, options }) as Promise<unknown[]>,
    grade: (rows, options) => run({ op: "grade", rows, options }) as Promise<unknown[]>,
    close: () => pool.destroy(),
  };
}
