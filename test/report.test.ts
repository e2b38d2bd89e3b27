// The report page in a real browser: Debian's headless Chromium (installed when missing) opens the HTML
// that `veritrace report` wrote, with no network, and every chart must have drawn.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./helpers/cli.js";
import { ensureChromium, visitPage } from "./report-chromium.js";
import { fixturePlan, fixtureSummary } from "./report-fixtures.js";

let chromium = "";
const dir = mkdtempSync(join(tmpdir(), "veritrace-report-"));
const example = readdirSync(join(repoRoot, "examples/nemotron-math-v2"))
  .filter((f) => f.endsWith(".jsonl.gz"))
  .map((f) => join(repoRoot, "examples/nemotron-math-v2", f));

function mustRun(args: string[]): void {
  const res = runCli(args, { timeout: 300_000 });
  if (res.code !== 0) throw new Error(`veritrace ${args.join(" ")} exited ${res.code}:\n${res.stderr}`);
}

beforeAll(() => {
  chromium = ensureChromium();
  // The real pipeline on the example dump: grade ▸ summary.json, filter ▸ audit, bucket ▸ plan.json + audit.
  // Small bucket edges, because the example traces are short.
  mustRun(["grade", ...example, "--summary", join(dir, "summary.json"), "--out", join(dir, "verdicts.jsonl")]);
  mustRun(["filter", ...example, "--out", join(dir, "curated.jsonl"), "--audit", join(dir, "filter-audit.jsonl")]);
  mustRun(["bucket", ...example, "--out-dir", join(dir, "buckets"), "--edges", "512,1024,2048,4096", "--mix", "medium=0.05"]);
}, 900_000);

function report(args: string[]): string {
  const html = join(dir, `report-${args.length}-${Math.random().toString(36).slice(2)}.html`);
  const res = runCli(["report", join(dir, "summary.json"), ...args, "--html", html]);
  expect(res.stderr).toContain("wrote");
  expect(res.code).toBe(0);
  return html;
}

function expectCleanPage(visit: Awaited<ReturnType<typeof visitPage>>) {
  expect(visit.consoleErrors).toEqual([]);
  expect(visit.failedRequests).toEqual([]);
  expect(visit.otherRequests).toEqual([]);
  expect(visit.dialogs).toEqual([]);
  for (const c of visit.canvases) {
    expect(c.width, c.id).toBeGreaterThan(100);
    // A chart with axes, labels and bars paints thousands of pixels; an empty canvas paints none.
    expect(c.paintedPixels, `${c.id} drew nothing`).toBeGreaterThan(2000);
    // ... and its data: coloured pixels and bars or points laid out with a size.
    expect(c.colouredPixels, `${c.id} drew no data`).toBeGreaterThan(1000);
    expect(c.dataElements, `${c.id} laid out no data`).toBeGreaterThan(0);
  }
}

describe("veritrace report in headless Chromium", () => {
  it("draws every chart of the example pipeline's report, makes no request, and logs no error", async () => {
    const html = report(["--plan", join(dir, "buckets/plan.json"), "--audit", join(dir, "filter-audit.jsonl"), "--audit", join(dir, "buckets/audit.jsonl")]);
    mkdirSync(join(repoRoot, "test-artifacts"), { recursive: true });
    const visit = await visitPage(html, chromium, join(repoRoot, "test-artifacts/report.png"));
    expectCleanPage(visit);
    // 6 pass-rate histograms, pass@k and maj@k, token lengths, decisions, traces kept, the filter's pass rates.
    expect(visit.canvases.map((c) => c.id).sort()).toEqual(
      ["chart-audit", "chart-kept", "chart-lengths", "chart-majk", "chart-passk", "chart-trivial", ...[0, 1, 2, 3, 4, 5].map((i) => `chart-hist-${i}`)].sort(),
    );
    // The table shows the summary's figures, at the summary's k.
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    for (const [setting, label] of [["high/with-tool", "high · with tool"], ["low/no-tool", "low · no tool"]]) {
      const row = summary.settings[setting];
      const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
      // (a k column appears when the settings' k differ, as "all" with 16 samples against 8 does here)
      const cells = [pct(row["pass@1"]), pct(row["maj@k"][row.k].value), pct(row["pass@k"][row.k].value), pct(row.no_answer), String(row.traces)];
      expect(visit.bodyText).toMatch(new RegExp(`${label}\\t(${row.k}\\t)?${cells.join("\\t")}\\n`));
    }
    // The filter's headline counts come from its summary row.
    const audit = readFileSync(join(dir, "filter-audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const counts = audit.find((r) => r.rule === "summary").outcome;
    expect(visit.bodyText).toContain(`dropped as trivial\n${counts.problems.droppedTrivial}`);
    expect(visit.bodyText).toContain(`traces kept\n${counts.traces.kept.toLocaleString("en-US")} of ${counts.traces.in.toLocaleString("en-US")}`);
    expect(visit.bodyText).not.toContain("Not provided");
  }, 180_000);

  it("says 'not provided' for missing optional inputs and still draws the rest", async () => {
    const html = report([]);
    const visit = await visitPage(html, chromium);
    expectCleanPage(visit);
    expect(visit.canvases).toHaveLength(8);
    expect(visit.bodyText.match(/Not provided/g)).toHaveLength(2);
  }, 180_000);

  it("shows hostile text from the data as text, never as markup or script", async () => {
    const hostile = fixtureSummary(12, 4, 7);

    const evil = `</script><script>alert("setting")</script><img src=x onerror=alert(1)>`;
    writeFileSync(join(dir, "plan.json"), JSON.stringify({ ...fixturePlan(), tokenizer: evil, warnings: [evil] }));
    hostile.settings[`${evil}/no-tool`] = { ...hostile.settings["low/no-tool"] };
    for (const p of hostile.problems) p.settings[`${evil}/no-tool`] = p.settings["low/no-tool"];
    writeFileSync(join(dir, "hostile.json"), JSON.stringify(hostile));
    const auditPath = join(dir, "hostile-audit.jsonl");
    writeFileSync(auditPath, JSON.stringify({ problem: evil, rule: `<b>${evil}</b>`, inputs: {}, outcome: "\u2028dropped</script>" }) + "\n");
    const html = join(dir, "hostile.html");
    const res = runCli(["report", join(dir, "hostile.json"), "--plan", join(dir, "plan.json"), "--audit", auditPath, "--title", `<i>${evil}`, "--html", html]);
    expect(res.code).toBe(0);
    const visit = await visitPage(html, chromium);
    expectCleanPage(visit);
    expect(visit.title).toBe(`<i>${evil}`);
    expect(visit.bodyText).toContain(`${evil}/no-tool\t`);
    expect(visit.bodyText).toContain(`<b>${evil}</b>`);
    expect(visit.bodyText).toContain(`tokenizer\n${evil}`);
    expect(visit.bodyText).toContain(`plan.json: ${evil}`);
    expect(readFileSync(html, "utf8")).not.toContain("<img src=x");
  }, 180_000);
});
