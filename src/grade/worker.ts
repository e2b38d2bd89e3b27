// Piscina worker: grades batches of raw lines (process.ts). The options arrive once, as workerData.
import { workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { makeContext, runBatch } from "./process.js";
import type { BatchResult, WireBatch, WorkerOptions } from "./types.js";

const ctx = makeContext(workerData as WorkerOptions);

export default function gradeTask(batch: WireBatch): BatchResult {
  const result: BatchResult = { ...runBatch(batch, ctx), bytes: batch.bytes };
  // The batch's buffer goes back with the result (moved, not copied): the reader fills it again, and this
  // thread does not collect a 4 MiB buffer per batch.
  return move({ [transferableSymbol]: [batch.bytes.buffer], [valueSymbol]: result } as never) as unknown as BatchResult;
}
