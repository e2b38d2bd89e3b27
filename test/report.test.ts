// The report page in a real browser: Debian's headless Chromium (installed when missing) opens the HTML
// that `veritrace report` wrote, with no network, and every chart must have drawn.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./helpers/cli.js";
import { ensureChromium, visitPage } from "./report-chromium.js";
import { fixtureAudit, fixturePlan, fixtureSummary } from "./report-fixtures.js";

let chromium = "";
const dir = mkdtempSync(join(tmpdir(), "veritrace-report-"));
const summary = fixtureSummary();

beforeAll(() => {
  chromium = ensureChromium();
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  writeFileSync(join(dir, "plan.json"), JSON.stringify(fixturePlan()));
  writeFileSync(join(dir, "audit.jsonl"), fixtureAudit());
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
  }
}

describe("veritrace report in headless Chromium", () => {
  it("draws every chart of a full report, makes no request, and logs no error", async () => {
    const html = report(["--plan", join(dir, "plan.json"), "--audit", join(dir, "audit.jsonl")]);
    mkdirSync(join(repoRoot, "test-artifacts"), { recursive: true });
    const visit = await visitPage(html, chromium, join(repoRoot, "test-artifacts/report.png"));
    expectCleanPage(visit);
    // 6 pass-rate histograms, pass@k and maj@k, token lengths, audit decisions.
    expect(visit.canvases.map((c) => c.id).sort()).toEqual(
      ["chart-audit", "chart-lengths", "chart-majk", "chart-passk", ...[0, 1, 2, 3, 4, 5].map((i) => `chart-hist-${i}`)].sort(),
    );
    // The table shows the summary's figures.
    const high = summary.settings["high/with-tool"];
    expect(visit.bodyText).toContain(`high · with tool\t${(high["pass@1"]! * 100).toFixed(1)}%\t${(high["maj@k"]["8"].value * 100).toFixed(1)}%`);
    expect(visit.bodyText).toContain("trivial\tdropped\t12");
    expect(visit.bodyText).toContain("answer_repair\treplaced\t4");
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
    hostile.settings[`${evil}/no-tool`] = { ...hostile.settings["low/no-tool"] };
    for (const p of hostile.problems) p.settings[`${evil}/no-tool`] = p.settings["low/no-tool"];
    writeFileSync(join(dir, "hostile.json"), JSON.stringify(hostile));
    const auditPath = join(dir, "hostile-audit.jsonl");
    writeFileSync(auditPath, JSON.stringify({ problem: evil, rule: `<b>${evil}</b>`, inputs: {}, outcome: "\u2028dropped</script>" }) + "\n");
    const html = join(dir, "hostile.html");
    const res = runCli(["report", join(dir, "hostile.json"), "--audit", auditPath, "--title", `<i>${evil}`, "--html", html]);
    expect(res.code).toBe(0);
    const visit = await visitPage(html, chromium);
    expectCleanPage(visit);
    expect(visit.title).toBe(`<i>${evil}`);
    expect(visit.bodyText).toContain(`${evil}/no-tool\t`);
    expect(visit.bodyText).toContain(`<b>${evil}</b>`);
    expect(readFileSync(html, "utf8")).not.toContain("<img src=x");
  }, 180_000);
});
