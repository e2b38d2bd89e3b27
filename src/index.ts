// The public API: names only. Each line re-exports one layer (DESIGN.md "Interfaces").
export type * from "./types.js";
export { extractAnswer, finalPart, looksLikeResponse, type ExtractOptions } from "./extract/index.js";
export { Sandbox, type RunResult, type RunStatus, type RunOptions, type SandboxOptions, type SandboxInfo } from "./sandbox/index.js";
export {
  parseTrace,
  detectFormat,
  problemIdOf,
  modeFromFileName,
  sampleFromFileName,
  parseHarmony,
  parseOpenMathTir,
  renderToolOutput,
  normalizeToolOutput,
  recordedToolCalls,
  type ParseContext,
  type ParsedText,
  type ExecutionOutput,
} from "./traces/index.js";
export {
  verify,
  verifyBatch,
  verifyPacked,
  packPairs,
  canonicalKey,
  groupEquivalent,
  type VerifyOptions,
  type VerifyPair,
  type PackedResult,
} from "./verify/index.js";
