// The report's model and binning: what each chart is built from, checked on values known in advance.
import { describe, expect, it } from "vitest";
import { passRateHistogram } from "../src/report/html.js";
import { AuditTally, buildReportModel, parsePlan, parseSummary, ReportInputError, settingLabel } from "../src/report/inputs.js";
import { escapeHtml, jsonForScript, scriptForInline } from "../src/report/escape.js";
import { fixtureAudit, fixturePlan, fixtureSummary } from "./report-fixtures.js";

describe("pass-rate histogram", () => {
  it("gives one bar per possible rate c/n and puts the 0.8 line between 6/8 and 7/8", () => {
    const h = passRateHistogram([0, 1 / 8, 6 / 8, 7 / 8, 7 / 8, 1], 8, 0.8);
    expect(h.bins).toEqual(["0/8", "1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8"]);
    expect(h.counts).toEqual([1, 1, 0, 0, 0, 0, 1, 2, 1]);
    expect(h.thresholdAt).toBe(6.5);
  });

  it("keeps a rate equal to the threshold left of the line (the filter drops only rates above it)", () => {
    const exact = passRateHistogram([0.8], 5, 0.8); // 4/5 = 0.8
    expect(exact.counts[4]).toBe(1);
    expect(exact.thresholdAt).toBe(4.5);
    const binned = passRateHistogram([0.8, 0.81, 0, 1], null, 0.8);
    expect(binned.bins[7]).toBe("0.7–0.8");
    expect(binned.counts).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(binned.thresholdAt).toBeCloseTo(7.5, 12);
  });
});

describe("report model", () => {
  it("orders the six settings, then others, then all, with the summary's figures at the common k", () => {
    const summary = fixtureSummary(10, 8, 3);
    summary.settings["unknown/no-tool"] = { ...summary.settings["low/no-tool"] };
    const model = buildReportModel({ summary: parseSummary(summary) });
    expect(model.settings.map((r) => r.label)).toEqual([
      "high · with tool",
      "high · no tool",
      "medium · with tool",
      "medium · no tool",
      "low · with tool",
      "low · no tool",
      "unknown · no tool",
      "all",
    ]);
    expect(model.k).toBe(8);
    expect(model.totals[0]).toEqual({ name: "rows graded", value: "480" });
    const high = model.settings[0];
    expect(high.pass1).toBe(summary.settings["high/with-tool"]["pass@1"]);
    expect(high.majK).toBe(summary.settings["high/with-tool"]["maj@k"]["8"].value);
    expect(model.passRates[0]).toMatchObject({ samples: 8 });
    expect(model.passRates[0].rates).toHaveLength(10);
    expect(model.curves.find((c) => c.label === "all")!.points.map((p) => p.k)).toEqual([1, 2, 4, 8]);
  });

  it("counts traces mixed into the last stage at their own length", () => {
    const model = buildReportModel({ summary: parseSummary(fixtureSummary(2)), plan: parsePlan(fixturePlan()) });
    expect(model.lengths!.bins).toEqual(["≤16K", "16K–32K", "32K–64K", "64K–128K"]);
    expect(model.lengths!.modes.find((m) => m.mode === "medium")!.counts).toEqual([150, 60, 12, 2]);
  });

  it("reads the filter's audit: summary counts, traces kept per setting, its pass rates and threshold", () => {
    const tally = new AuditTally();
    fixtureAudit()
      .trim()
      .split("\n")
      .forEach((line, i) => tally.add(JSON.parse(line), i + 1));
    const audit = buildReportModel({ summary: parseSummary(fixtureSummary(2)), audit: tally }).audit!;
    expect(audit.facts).toContainEqual({ name: "references replaced by the majority", value: "4" });
    expect(audit.counts).toContainEqual({ rule: "reference", outcome: "replaced", count: 4 });
    expect(audit.counts).toContainEqual({ rule: "over_length", outcome: "dropped", count: 6 });
    expect(audit.counts.find((c) => c.rule === "summary")).toBeUndefined();
    expect(audit.keptBySetting.map((k) => k.label)).toEqual(["high · with tool", "high · no tool", "medium · with tool", "medium · no tool", "low · with tool", "low · no tool"]);
    expect(audit.keptBySetting.every((k) => k.kept + k.dropped === 16 * 8)).toBe(true);
    expect(audit.trivialRates).toHaveLength(20);
    expect(audit.trivialSamples).toBe(16);
    expect(audit.trivialThreshold).toBe(0.8);
  });

  it("rejects inputs that are not what grade and bucket write, naming the field", () => {
    expect(() => parseSummary({ format: "veritrace-summary/1", settings: { all: { problems: -1 } }, problems: [] })).toThrow(ReportInputError);
    expect(() => parseSummary([])).toThrow(/expected object/);
    const badProblem = fixtureSummary(5);
    (badProblem.problems[3].settings["low/no-tool"] as { "pass@1": unknown })["pass@1"] = "0.5";
    expect(() => parseSummary(badProblem)).toThrow("problems.3.settings.low/no-tool.pass@1: expected a number in [0, 1]");
    expect(() => parsePlan({ ...fixturePlan(), edges: [2048, 1024] })).toThrow(/edges: not ascending/);
    const tally = new AuditTally();
    try {
      tally.add({ problem: 1, rule: "x", inputs: {}, outcome: "y" }, 7);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ReportInputError);
      expect(err).toMatchObject({ line: 7 });
      expect((err as Error).message).toMatch(/^problem:/);
    }
  });

  it("labels grade's and filter's setting names alike", () => {
    expect(settingLabel("low/no-tool")).toBe("low · no tool");
    expect(settingLabel("low/no_tool")).toBe("low · no tool");
    expect(settingLabel("weird")).toBe("weird");
  });
});

describe("escaping", () => {
  it("escapes markup, keeps script data from closing its element, and strips source-map requests", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const json = jsonForScript({ s: "</script><!-- \u2028" });
    expect(json).not.toMatch(/<|\u2028/);
    expect(JSON.parse(json)).toEqual({ s: "</script><!-- \u2028" });
    expect(scriptForInline('a("</script>");\n//# sourceMappingURL=x.map')).toBe('a("<\\/script>");\n');
  });
});
