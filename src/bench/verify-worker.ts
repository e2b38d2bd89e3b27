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

const port = parentPort!;
const { seed, batchSize, batches } = workerData as VerifyWorkerData;

async function main(): Promise<void> {
  // Loaded here rather than imported statically: when the engine cannot load (no addon built), the
  // benchmark reports the component as unavailable instead of failing.
  let verifyBatch: typeof import("../verify/index.js").verifyBatch;
  try {
    ({ verifyBatch } = await import("../verify/index.js"));
  } catch (err) {
    port.postMessage({ type: "unavailable", reason: err instanceof Error ? err.message.split("\n")[0] : String(err) });
    return;
  }
  const work: AnswerPair[][] = [];
  const pairs = answerPairs(batchSize * batches, seed);
  for (let b = 0; b < batches; b++) work.push(pairs.slice(b * batchSize, (b + 1) * batchSize));
  for (const batch of work) verifyBatch(batch); // warm-up: code paths compiled, caches filled
  port.postMessage({ type: "ready" });
  port.once("message", ({ deadline }: { deadline: number }) => {
    let pairsDone = 0;
    let b = 0;
    const start = Date.now();
    while (Date.now() < deadline) {
      verifyBatch(work[b]);
      pairsDone += work[b].length;
      b = (b + 1) % work.length;
    }
    port.postMessage({ type: "done", pairs: pairsDone, ms: Date.now() - start });
  });
}

void main();
