// Piscina worker: grades batches of raw lines (process.ts). The options arrive once, as workerData.
import { workerData } from "node:worker_threads";
import { gradeBatch, makeContext } from "./process.js";
import type { BatchResult, WireBatch, WorkerOptions } from "./types.js";

const ctx = makeContext(workerData as WorkerOptions);

export default function gradeTask(batch: WireBatch): BatchResult {
  return gradeBatch(batch, ctx);
}
