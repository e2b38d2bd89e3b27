// The sandbox behind /execute: src/sandbox's Pyodide pool.
import { Sandbox } from "../sandbox/index.js";
import type { ExecutionSandbox } from "./execute.js";

export type SandboxStartOptions = NonNullable<Parameters<typeof Sandbox.start>[0]>;

/** Starts the pool. Its time limit is set once, at start: every call gets `timeoutMs`. */
export async function startSandbox(options: SandboxStartOptions): Promise<ExecutionSandbox> {
  const sandbox = await Sandbox.start(options);
  return {
    fixedTimeoutMs: options.timeoutMs ?? 10_000,
    run: (code, { session }) => sandbox.run(code, session === undefined ? {} : { session }),
    closeSession: (id) => sandbox.closeSession(id),
    close: () => sandbox.close(),
  };
}
