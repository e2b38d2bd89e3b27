// `veritrace report` as a command: output bytes, --json, and errors that name the file and line.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { fixtureAudit, fixturePlan, fixtureSummary } from "./report-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-report-cli-"));
const summaryPath = join(dir, "summary.json");
const planPath = join(dir, "plan.json");
const auditPath = join(dir, "audit.jsonl");
writeFileSync(summaryPath, JSON.stringify(fixtureSummary(), null, 2));
writeFileSync(planPath, JSON.stringify(fixturePlan()));
writeFileSync(auditPath, fixtureAudit());

describe("veritrace report (command)", () => {
  it("writes the same bytes for the same inputs, with the chart library inlined and no external URL", () => {
    const a = join(dir, "a.html");
    const b = join(dir, "b.html");
    for (const out of [a, b]) expect(runCli(["report", summaryPath, "--plan", planPath, "--audit", auditPath, "--html", out]).code).toBe(0);
    const html = readFileSync(a, "utf8");
    expect(readFileSync(b, "utf8")).toBe(html);
    expect(html).toContain("Chart.js v4");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain("sourceMappingURL");
  });

  it("reads a summary problem by problem as written, or whole when compacted, to the same page", () => {
    const compact = join(dir, "compact.json");
    writeFileSync(compact, JSON.stringify(fixtureSummary()));
    const pages = [summaryPath, compact].map((summary, i) => {
      const out = join(dir, `layout-${i}.html`);
      expect(runCli(["report", summary, "--plan", planPath, "--html", out]).code).toBe(0);
      return readFileSync(out, "utf8").replaceAll(summary, "SUMMARY");
    });
    expect(pages[1]).toBe(pages[0]);
  });

  it("prints a machine-readable summary with --json", () => {
    const out = join(dir, "json.html");
    const res = runCli(["report", summaryPath, "--audit", auditPath, "--html", out, "--json"]);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json).toMatchObject({ html: out, settings: 7, problems: 60, sections: { plan: false, audit: true }, auditRows: 63 });
    expect(json.bytes).toBe(readFileSync(out).length);
  });

  it("exits 2 with the file name for a missing or malformed summary, and file:line for a bad audit row", () => {
    const missing = runCli(["report", join(dir, "nope.json"), "--html", join(dir, "x.html")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, "nope.json")}: no such file`);

    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{\n  "format": "veritrace-summary/1",\n  "settings": {,\n}');
    const bad = runCli(["report", broken, "--html", join(dir, "x.html")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${broken}:3: invalid JSON`);

    const wrongShape = join(dir, "shape.json");
    writeFileSync(wrongShape, JSON.stringify({ ...fixtureSummary(3), format: "something-else" }));
    const shape = runCli(["report", wrongShape, "--html", join(dir, "x.html")]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain(`${wrongShape}: not a veritrace summary (format "something-else")`);

    const audit = join(dir, "bad-audit.jsonl");
    writeFileSync(audit, fixtureAudit().split("\n").slice(0, 2).join("\n") + '\n{"problem": "p", "rule": 5, "inputs": {}, "outcome": "x"}\n');
    const badAudit = runCli(["report", summaryPath, "--audit", audit, "--html", join(dir, "x.html")]);
    expect(badAudit.code).toBe(2);
    expect(badAudit.stderr).toContain(`${audit}:3: rule:`);
  });

  it("marks the filter's own threshold from its audit unless --threshold says otherwise", () => {
    const audit = join(dir, "threshold-audit.jsonl");
    writeFileSync(audit, fixtureAudit().replaceAll('"threshold":0.8', '"threshold":0.75'));
    const fromAudit = join(dir, "t1.html");
    expect(runCli(["report", summaryPath, "--audit", audit, "--html", fromAudit]).code).toBe(0);
    expect(readFileSync(fromAudit, "utf8")).toContain("trivial-problem threshold (0.75)");
    const fromFlag = join(dir, "t2.html");
    expect(runCli(["report", summaryPath, "--audit", audit, "--threshold", "0.9", "--html", fromFlag]).code).toBe(0);
    expect(readFileSync(fromFlag, "utf8")).toContain("trivial-problem threshold (0.9)");
    const plain = join(dir, "t3.html");
    expect(runCli(["report", summaryPath, "--html", plain]).code).toBe(0);
    expect(readFileSync(plain, "utf8")).toContain("trivial-problem threshold (0.8)");
  });

  it("exits 1 and names the file when the page cannot be written", () => {
    const out = join(dir, "no-such-dir", "r.html");
    const res = runCli(["report", summaryPath, "--html", out]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`cannot write ${out}`);
  });

  it("exits 2 on usage errors", () => {
    expect(runCli(["report"]).code).toBe(2);
    const unknown = runCli(["report", summaryPath, "--no-such-option"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--no-such-option");
    expect(runCli(["report", summaryPath, "--threshold", "1.5"]).code).toBe(2);
  });
});
