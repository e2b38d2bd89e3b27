// The Python tool-call sandbox (DESIGN.md "Sandbox"): Pyodide interpreters in an isolated pool process.
export { Sandbox } from "./sandbox.js";
export type { RunResult, RunStatus, RunOptions, SandboxOptions, SandboxInfo } from "./types.js";
