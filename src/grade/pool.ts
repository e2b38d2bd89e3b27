// Runs batches through worker threads (piscina) and hands their results back in input order. A bounded
// number of batches is in flight, so memory does not grow with the input: the reader waits while the
// workers are busy. `threads: 0` grades inline, in the calling thread.
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { Piscina } from "piscina";
import { isShared } from "../io/buffer-pool.js";
import { makeContext, runBatch, type GradeContext } from "./process.js";
import type { BatchResult, WireBatch, WorkerOptions } from "./types.js";

/** The compiled worker (dist/grade/worker.js), also when this module runs from src/ under tsx/vitest. */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts") ? new URL("../../dist/grade/worker.js", here) : new URL("./worker.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`grade worker not built: ${path} is missing (run npm run build:ts)`);
  return path;
}

/**
 * Heap limits of a grading worker (MiB). A worker's garbage is short-lived (one batch), so a small young
 * generation is enough; and without a cap on the old one, V8 lets each worker's heap grow to several
 * times what it holds before collecting (V8's defaults: two 16 MiB semi-spaces, old space up to
 * gigabytes). A batch needs far less than the cap: at most 4 MiB of lines, whose reasoning text is not
 * even decoded. Batches larger than LARGE_BATCH_BYTES (a line of megabytes) are graded in the calling
 * thread, which has no such cap, and so is a batch whose worker ran out of heap all the same.
 */
export const WORKER_HEAP_MB = { young: 4, old: 48 };
const LARGE_BATCH_BYTES = 8 << 20;

export interface BatchRunner {
  run(batch: WireBatch): Promise<BatchResult>;
  /** How many batches may be in flight. */
  readonly concurrency: number;
  close(): Promise<void>;
}

export function createRunner(threads: number, options: WorkerOptions, heapMb = WORKER_HEAP_MB): BatchRunner {
  let inlineContext: GradeContext | null = null;
  const inline = (batch: WireBatch) => runBatch(batch, (inlineContext ??= makeContext(options)));
  if (threads <= 0) {
    return {
      concurrency: 1,
      run: async (batch) => inline(batch),
      close: async () => {},
    };
  }
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    workerData: options,
    idleTimeout: 60_000,
    resourceLimits: { maxYoungGenerationSizeMb: heapMb.young, maxOldGenerationSizeMb: heapMb.old },
  });
  return {
    concurrency: threads * 2 + 1,
    run: async (batch) => {
      if (batch.bytes.byteLength > LARGE_BATCH_BYTES) return inline(batch);
      const buffer = batch.bytes.buffer;
      if (!isShared(buffer)) return (await pool.run(batch, { transferList: [buffer as ArrayBuffer] })) as BatchResult;
      // A shared batch is read in place, and is still here if its worker dies of a full heap (piscina
      // replaces the worker): then it is graded in this thread.
      try {
        return (await pool.run(batch)) as BatchResult;
      } catch (err) {
        if ((err as { code?: string })?.code !== "ERR_WORKER_OUT_OF_MEMORY") throw err;
        return inline(batch);
      }
    },
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
