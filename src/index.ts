// The public API: names only. Each line re-exports one layer (DESIGN.md "Interfaces").
export type * from "./types.js";
export { extractAnswer, finalPart, looksLikeResponse, type ExtractOptions } from "./extract/index.js";
export { Sandbox, type RunResult, type RunStatus, type RunOptions, type SandboxOptions, type SandboxInfo } from "./sandbox/index.js";
