// Curation pipeline (DESIGN.md "Pipeline", docs/pipeline.md): filter (answer repair, trivial filter,
// keep-correct) and length buckets with mode mix and training-cost estimate.
export { filterProblems, withReference } from "./filter.js";
export type { FilterOptions, FilterSummary, SettingCounts } from "./filter.js";
export { decideProblem, settingCode, settingName } from "./decide.js";
export type { Decision, DecideOptions, ProblemInput, TraceVote, MetaCount, ReferenceOutcome, TrivialSource } from "./decide.js";
export { bucketize } from "./bucket.js";
export type { BucketOptions } from "./bucket.js";
export { assignBuckets, planFromAssignment, validateEdges, validateMix, drawKey, stageFileName, DEFAULT_EDGES } from "./plan.js";
export type { BucketPlan, StagePlan, ModeLoad, MixShares, Measurements, Assignment } from "./plan.js";
export { estimateCost, attentionUnits } from "./cost.js";
export type { CostEstimate, StageCost, StageLoad } from "./cost.js";
export { renderTrace } from "./render.js";
export type { Template } from "./render.js";
export { fileSource, textSource } from "./jsonl.js";
export type { JsonlSource, JsonlLine } from "./jsonl.js";
export type { AuditRow } from "./audit.js";
