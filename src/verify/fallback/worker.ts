// The fallback worker thread: one symbolic engine, one request at a time. The main thread waits for the
// answer synchronously (Atomics.wait on the shared signal) and terminates this thread when a request
// outlives its budget, so nothing here has to be interruptible; the library's own time limit still
// stops most long computations cooperatively and keeps the worker alive.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import type { FallbackResult } from "./compare.js";
import { DONE_SLOT, READY_SLOT, type FallbackReply, type FallbackRequest } from "./protocol.js";

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

// The library may warn on the console; a verdict command's output must not carry it.
for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) console[method] = () => undefined;

function publish(slot: number, value: number): void {
  Atomics.store(signal, slot, value);
  Atomics.notify(signal, slot);
}

try {
  // Loaded here, not with a static import, so that a broken install reports "unavailable" instead of a dead thread.
  const { SymbolicComparer } = await import("./compare.js");
  const comparer = new SymbolicComparer();
  comparer.warmUp();
  parentPort!.on("message", (request: FallbackRequest) => {
    let result: FallbackResult;
    try {
      result = comparer.compare(request.gold, request.pred, request.budgetMs);
    } catch {
      result = { status: "undecided" };
    }
    const reply: FallbackReply = { id: request.id, result };
    port.postMessage(reply);
    Atomics.add(signal, DONE_SLOT, 1);
    Atomics.notify(signal, DONE_SLOT);
  });
  publish(READY_SLOT, 1);
} catch (err) {
  port.postMessage({ id: -1, error: String((err as Error)?.stack ?? err) });
  publish(READY_SLOT, -1);
}
