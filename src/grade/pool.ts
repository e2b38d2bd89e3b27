// Runs batches through worker threads (piscina) and hands their results back in input order. A bounded
// number of batches is in flight, so memory does not grow with the input: the reader waits while the
// workers are busy. `threads: 0` grades inline, in the calling thread.
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { Piscina } from "piscina";
import { makeContext, runBatch } from "./process.js";
import type { BatchResult, WireBatch, WorkerOptions } from "./types.js";

/** The compiled worker (dist/grade/worker.js), also when this module runs from src/ under tsx/vitest. */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts") ? new URL("../../dist/grade/worker.js", here) : new URL("./worker.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`grade worker not built: ${path} is missing (run npm run build:ts)`);
  return path;
}

/** Young generation per grading worker (MiB). */
const WORKER_YOUNG_GENERATION_MB = 4;

export interface BatchRunner {
  run(batch: WireBatch): Promise<BatchResult>;
  /** How many batches may be in flight. */
  readonly concurrency: number;
  close(): Promise<void>;
}

export function createRunner(threads: number, options: WorkerOptions): BatchRunner {
  if (threads <= 0) {
    const ctx = makeContext(options);
    return {
      concurrency: 1,
      run: async (batch) => runBatch(batch, ctx),
      close: async () => {},
    };
  }
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    workerData: options,
    idleTimeout: 60_000,
    // A worker's garbage is short-lived (one batch), so a small young generation is enough; V8's default
    // (two 16 MiB semi-spaces per thread) would hold about 30 MiB per worker for nothing.
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return {
    concurrency: threads * 2 + 1,
    run: (batch) => pool.run(batch, { transferList: [batch.bytes.buffer as ArrayBuffer] }) as Promise<BatchResult>,
    close: () => pool.destroy(),
  };
}

/**
 * Maps `run` over the batches with up to `concurrency` in flight, yielding results in input order.
 * On an error, the rest is drained (not awaited) and the error is thrown.
 */
export async function* inOrder<B, R>(
  batches: AsyncIterable<B>,
  run: (batch: B) => Promise<R>,
  concurrency: number,
): AsyncGenerator<{ batch: B; result: R }> {
  const queue: Array<Promise<{ batch: B; result: R }>> = [];
  try {
    for await (const batch of batches) {
      const p = run(batch).then((result) => ({ batch, result }));
      p.catch(() => {}); // observed below, in order
      queue.push(p);
      if (queue.length >= concurrency) yield await queue.shift()!;
    }
    while (queue.length > 0) yield await queue.shift()!;
  } finally {
    queue.length = 0;
  }
}
