// Piscina worker: grades batches of raw lines (process.ts). The options arrive once, as workerData.
import { workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { isShared } from "../io/buffer-pool.js";
import { makeContext, runBatch } from "./process.js";
import type { BatchResult, WireBatch, WorkerOptions } from "./types.js";

const ctx = makeContext(workerData as WorkerOptions);

export default function gradeTask(batch: WireBatch): BatchResult {
  const result = runBatch(batch, ctx);
  // Moved back with the result (not copied): the verdicts' bytes, and the batch's buffer unless it is
  // shared (then the reader still has it), for the reader to fill again.
  const moved: ArrayBuffer[] = result.packed ? [result.packed.jsonl.buffer as ArrayBuffer] : [];
  if (!isShared(batch.bytes.buffer)) {
    result.bytes = batch.bytes;
    moved.push(batch.bytes.buffer as ArrayBuffer);
  }
  return move({ [transferableSymbol]: moved, [valueSymbol]: result } as never) as unknown as BatchResult;
}
