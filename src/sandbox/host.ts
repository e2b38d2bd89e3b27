// Entry point of the isolated pool process (started by Sandbox.start through src/sandbox/isolation.ts).
// It holds the interpreter pool and answers the library process over the IPC channel; it exits when
// that channel closes, so an abandoned pool never outlives its owner.
import { InterpreterPool } from "./pool.js";
import type { FromPool, ToPool } from "./types.js";

let pool: InterpreterPool | null = null;

function send(message: FromPool): void {
  process.send?.(message);
}

async function onMessage(message: ToPool): Promise<void> {
  switch (message.type) {
    case "init": {
      try {
        pool = new InterpreterPool(message.config);
        send({ type: "ready", workerStarts: await pool.ready() });
      } catch (err) {
        send({ type: "init-failed", message: String((err as Error)?.message ?? err) });
      }
      return;
    }
    case "run": {
      if (!pool) return;
      const result = await pool.run(message.session, message.code, message.ephemeral, message.timeoutMs);
      send({ type: "result", id: message.id, result });
      return;
    }
    case "close-session":
      pool?.closeSession(message.session);
      return;
    case "shutdown":
      await pool?.close();
      process.exit(0);
  }
}

process.on("message", (message) => void onMessage(message as ToPool));
process.on("disconnect", () => process.exit(0));
