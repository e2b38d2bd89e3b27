// The sandbox behind /execute: src/sandbox's Pyodide pool.
import { Sandbox } from "../sandbox/index.js";
import type { ExecutionSandbox } from "./execute.js";

export type SandboxStartOptions = NonNullable<Parameters<typeof Sandbox.start>[0]>;

/** Starts the pool; each call runs within its own time limit (the request's `timeout`, bounded by `maxTimeoutMs`). */
export async function startSandbox(options: SandboxStartOptions): Promise<ExecutionSandbox> {
  const sandbox = await Sandbox.start(options);
  return {
    run: (code, { session, timeoutMs }) => sandbox.run(code, { ...(session === undefined ? {} : { session }), ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
    closeSession: (id) => sandbox.closeSession(id),
    close: () => sandbox.close(),
  };
}
