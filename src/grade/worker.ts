// Piscina worker: grades batches of raw lines (process.ts). The options arrive once, as workerData.
import { workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { makeContext, runBatch } from "./process.js";
import type { BatchResult, WireBatch, WorkerOptions } from "./types.js";

const ctx = makeContext(workerData as WorkerOptions);

export default function gradeTask(batch: WireBatch): BatchResult {
  const result = runBatch(batch, ctx);
  // The verdicts' bytes are moved back with the result, not copied. The batch itself stays where it is:
  // a run's batches are shared buffers that the reader fills again once the result is in.
  if (!result.packed) return result;
  return move({ [transferableSymbol]: [result.packed.jsonl.buffer as ArrayBuffer], [valueSymbol]: result } as never) as unknown as BatchResult;
}
