// One benchmark thread for verifyBatch: loads the engine, warms up, then on "go" verifies batches of the
// seeded mix until the deadline and reports how many pairs it verified.
import { parentPort, workerData } from "node:worker_threads";
import { answerPairs, type AnswerPair } from "./mix.js";

interface VerifyWorkerData {
  seed: number;
  batchSize: number;
  /** Distinct batches cycled through (so a thread does not verify one batch over and over). */
  batches: number;
}

type VerifyBatch = (pairs: AnswerPair[]) => unknown;

const port = parentPort!;
const { seed, batchSize, batches } = workerData as VerifyWorkerData;

async function main(): Promise<void> {
  // The engine is loaded by path at run time: the benchmark reports it as unavailable instead of failing.
  const specifier = "../verify/index.js";
  let verifyBatch: VerifyBatch;
  try {
    const mod = (await import(specifier)) as { verifyBatch?: VerifyBatch };
    if (typeof mod.verifyBatch !== "function") throw new Error("src/verify does not export verifyBatch");
    verifyBatch = mod.verifyBatch;
  } catch (err) {
    port.postMessage({ type: "unavailable", reason: err instanceof Error ? err.message.split("\n")[0] : String(err) });
    return;
  }
  const work: AnswerPair[][] = [];
  const pairs = answerPairs(batchSize * batches, seed);
  for (let b = 0; b < batches; b++) work.push(pairs.slice(b * batchSize, (b + 1) * batchSize));
  for (const batch of work) await verifyBatch(batch); // warm-up: code paths compiled, caches filled
  port.postMessage({ type: "ready" });
  port.once("message", async ({ deadline }: { deadline: number }) => {
    let pairsDone = 0;
    let b = 0;
    const start = Date.now();
    while (Date.now() < deadline) {
      await verifyBatch(work[b]);
      pairsDone += work[b].length;
      b = (b + 1) % work.length;
    }
    port.postMessage({ type: "done", pairs: pairsDone, ms: Date.now() - start });
  });
}

void main();
