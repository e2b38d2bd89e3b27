// The report layer: summary.json (+ plan.json, audit.jsonl) → one self-contained HTML page.
import { renderHtml } from "./html.js";
import { buildReportModel, type ReportInputs } from "./inputs.js";

export { renderHtml, passRateHistogram } from "./html.js";
export { buildReportModel, parseSummary, readSummaryInput, parsePlan, AuditTally, ReportInputError, settingLabel } from "./inputs.js";
export type { ReportInputs, SummaryInput, PlanInput } from "./inputs.js";
export type { ReportModel, SettingRow, KCurve, PassRates, LengthSection, AuditSection } from "./model.js";

/** Renders the report page for already-parsed inputs. */
export function renderReport(inputs: ReportInputs): string {
  return renderHtml(buildReportModel(inputs));
}
