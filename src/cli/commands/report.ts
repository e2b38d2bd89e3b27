// `veritrace report`: summary.json (+ plan.json, audit.jsonl) → one self-contained HTML page.
import { createReadStream, renameSync, rmSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { AuditTally, buildReportModel, parsePlan, readSummaryInput, renderHtml, ReportInputError } from "../../report/index.js";
import { InputError, parseCommandArgs, parsePositiveNumber, readJsonFile, runCommand, UsageError, writeJson } from "../util.js";

export const summary = "write an HTML report (tables and charts) from grade, bucket and filter outputs";

export const usage = `usage: veritrace report <summary.json> [--plan plan.json] [--audit audit.jsonl] [--html report.html]

Writes one self-contained HTML file (charts inlined, no network needed to view it): the six-setting
table, pass-rate histograms per setting with the trivial-filter threshold, pass@k and maj@k against k,
token lengths per mode with the bucket edges (from plan.json) and the filter and answer-repair decisions
(from audit.jsonl). Sections whose input is not given say "not provided".

arguments:
  <summary.json>          the summary written by \`veritrace grade --summary\` (or \`veritrace merge\`)

options:
  --plan <plan.json>      the plan written by \`veritrace bucket\`
  --audit <audit.jsonl>   the audit written by \`veritrace filter\` / \`veritrace bucket\`
  --html <file>           output file (default: report.html)
  --title <text>          page title (default: "veritrace report")
  --threshold <rate>      trivial-filter threshold marked on the histograms (default: the one in the
                          filter's audit, else 0.8)
  --json                  print a machine-readable summary of what was written on stdout
  -h, --help              show this help

examples:
  veritrace report out/summary.json --html report.html
  veritrace report out/summary.json --plan buckets/plan.json --audit curated.audit.jsonl --html report.html
  veritrace report s.json --audit curated.audit.jsonl --audit buckets/audit.jsonl --html report.html --json
`;

const OPTIONS = {
  plan: { type: "string" },
  audit: { type: "string", multiple: true },
  html: { type: "string" },
  title: { type: "string" },
  threshold: { type: "string" },
  json: { type: "boolean" },
} as const;

export function run(argv: string[]): Promise<number> {
  return runCommand("report", async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one summary.json, got ${positionals.length} arguments` : "missing <summary.json>");
    const summaryPath = positionals[0];
    const htmlPath = values.html ?? "report.html";
    // Without --threshold: the filter's own threshold from its audit, else 0.8 (buildReportModel decides).
    const threshold = values.threshold === undefined ? undefined : parsePositiveNumber("threshold", values.threshold);
    if (threshold !== undefined && threshold > 1) throw new UsageError(`--threshold: ${threshold} is not a pass rate in (0, 1]`);

    const auditPaths = values.audit ?? [];
    // Audit errors are located by tallyAudit itself (file and line); these two are whole documents.
    const files = { summary: summaryPath, plan: values.plan ?? "plan" };
    try {
      const summaryInput = await readSummaryInput(summaryPath);
      const plan = values.plan ? parsePlan(readJsonFile(values.plan)) : null;
      let audit: AuditTally | null = null;
      for (const path of auditPaths) audit = await tallyAudit(path, audit ?? new AuditTally());
      const sources = [{ role: "summary", path: summaryPath }];
      if (values.plan) sources.push({ role: "plan", path: values.plan });
      for (const path of auditPaths) sources.push({ role: "audit", path });
      const model = buildReportModel({ summary: summaryInput, plan, audit, sources, title: values.title, trivialThreshold: threshold });
      const html = renderHtml(model);
      // Write beside the target and rename, so that a reader never sees half a page.
      const tmp = `${htmlPath}.tmp-${process.pid}`;
      try {
        writeFileSync(tmp, html);
        renameSync(tmp, htmlPath);
      } catch (err: any) {
        rmSync(tmp, { force: true });
        throw new Error(`cannot write ${htmlPath}: ${err?.code ?? err}`);
      }
      if (values.json) {
        writeJson({
          html: htmlPath,
          bytes: Buffer.byteLength(html),
          settings: model.settings.length,
          problems: summaryInput.problemCount,
          sections: { plan: plan !== null, audit: audit !== null },
          auditRows: audit?.rows ?? null,
        });
      } else {
        process.stderr.write(`wrote ${htmlPath} (${Buffer.byteLength(html).toLocaleString("en-US")} bytes)\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof ReportInputError) throw new InputError(err.role === "plan" ? files.plan : files.summary, err.line, err.detail);
      throw err;
    }
  });
}

/** Streams audit.jsonl (it can be large) into counts; a malformed line names the file and line. */
async function tallyAudit(path: string, tally: AuditTally): Promise<AuditTally> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (err: any) {
    throw new InputError(path, null, err?.code === "ENOENT" ? "no such file" : `cannot read (${err?.code ?? err})`);
  }
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InputError(path, line, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      tally.add(value, line);
    } catch (err) {
      if (err instanceof ReportInputError) throw new InputError(path, line, err.detail);
      throw err;
    }
  }
  return tally;
}
