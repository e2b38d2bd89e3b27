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
export {
  score,
  scoreProblems,
  summarize,
  mergeSummaries,
  passAtK,
  majorityVote,
  nemoSkillsMetrics,
  ScoreBoard,
  SETTINGS,
  SummaryBuilder,
  writeSummary,
  readSummary,
  mergeSummaryStreams,
  type BoardMemory,
  type SummaryHead,
  type TextOut,
  type Summary,
  type SettingSummary,
  type ProblemScore,
  type GroupScore,
  type ScoreRecord,
  type ScoreOptions,
  type MajorityResult,
  type MajorityClass,
  type MajorityOptions,
  type NemoSkillsSample,
} from "./score/index.js";
export {
  grade,
  gradeFiles,
  summarizeVerdicts,
  formatTable,
  parseShard,
  shardOf,
  type GradeOptions,
  type GradeFilesOptions,
  type VerdictRow,
  type Shard,
} from "./grade/index.js";
export { createServer, type ServeOptions, type VeritraceServer, type ExecuteResponse } from "./serve/index.js";
export {
  filterProblems,
  bucketize,
  assignBuckets,
  planFromAssignment,
  estimateCost,
  renderTrace,
  fileSource,
  textSource,
  DEFAULT_EDGES,
  type FilterOptions,
  type FilterSummary,
  type BucketOptions,
  type BucketPlan,
  type StagePlan,
  type MixShares,
  type CostEstimate,
  type JsonlSource,
  type AuditRow,
} from "./pipeline/index.js";
export { loadTokenizer, countSegments, DEFAULT_TOKENIZER, type TokenCounter, type Segment } from "./tokenize/index.js";
export { renderReport, buildReportModel, renderHtml, parseSummary, parsePlan, AuditTally, ReportInputError, type ReportInputs, type ReportModel } from "./report/index.js";
export { runBench, defaultThreadCounts, fitUsl, uslThroughput, uslPeakThreads, type BenchReport, type BenchOptions, type UslFit, type UslParams } from "./bench/index.js";
