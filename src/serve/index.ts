// The HTTP face (`veritrace serve`): NeMo-Skills' sandbox protocol plus /verify and /grade.
export { createServer, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_CHARS } from "./server.js";
export type { ServeOptions, VeritraceServer } from "./server.js";
export { cutOutput } from "./execute.js";
export type { ExecuteResponse, ExecutionSandbox } from "./execute.js";
export type { VerdictEngine } from "./verdicts.js";
