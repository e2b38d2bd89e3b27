// The verdict layers behind /verify and /grade, in a pool of worker threads (src/serve/verdict-worker.ts)
// so that a slow batch never holds up the event loop that serves /execute and /health.
import { Piscina } from "piscina";
import type { VerdictTask } from "./verdict-worker.js";
import type { VerdictEngine } from "./verdicts.js";

export async function verdictEngine(threads: number): Promise<VerdictEngine> {
  const pool = new Piscina({
    filename: new URL("./verdict-worker.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
  });
  const run = (task: VerdictTask) => pool.run(task);
  // Load the engine (and its native addon) in every thread now: a server that cannot verify fails at start.
  await Promise.all(Array.from({ length: threads }, () => run({ op: "verify", gold: "1", pred: "1" })));
  return {
    verify: (gold, pred, options) => run({ op: "verify", gold, pred, options }),
    verifyBatch: (pairs, options) => run({ op: "verifyBatch", pairs, options }) as Promise<unknown[]>,
    grade: (rows, options) => run({ op: "grade", rows, options }) as Promise<unknown[]>,
    close: () => pool.destroy(),
  };
}
