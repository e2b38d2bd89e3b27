// Opens a report page in Debian's headless Chromium (installed by scripts/install-chromium.sh when
// missing) through playwright-core, and records what a person's browser would see: console errors,
// requests, and whether each chart canvas has pixels drawn on it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { repoRoot } from "./helpers/cli.js";

/** Path of a Chromium executable, installing Debian's package first when none is present. */
export function ensureChromium(): string {
  const res = spawnSync("bash", [join(repoRoot, "scripts/install-chromium.sh")], { encoding: "utf8", timeout: 600_000 });
  if (res.status !== 0) throw new Error(`scripts/install-chromium.sh failed (${res.status}):\n${res.stderr}`);
  return res.stdout.trim().split("\n").pop()!;
}

export interface PageVisit {
  consoleErrors: string[];
  failedRequests: string[];
  /** alert/confirm/prompt dialogs the page opened (injected script would show here). */
  dialogs: string[];
  /** Every request other than the page itself (a self-contained page makes none). */
  otherRequests: string[];
  /**
   * Each canvas on the page: its id, how many of its pixels are not fully transparent, and how many are
   * strongly coloured (bars, lines, legend swatches; axes, grid and text are grey or slate), and how many
   * data elements Chart.js laid out with a visible size (bars at least a pixel long, points on the plot).
   */
  canvases: Array<{ id: string; width: number; height: number; paintedPixels: number; colouredPixels: number; dataElements: number }>;
  title: string;
  bodyText: string;
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function visitPage(htmlFile: string, executablePath: string, screenshotPath?: string): Promise<PageVisit> {
  const profile = mkdtempSync(join(tmpdir(), "veritrace-chromium-"));
  // launchPersistentContext takes the fresh profile directory as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    timeout: 120_000,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const pageUrl = pathToFileURL(htmlFile).href;
    const visit: PageVisit = { consoleErrors: [], failedRequests: [], dialogs: [], otherRequests: [], canvases: [], title: "", bodyText: "" };
    page.on("console", (msg) => {
      if (msg.type() === "error") visit.consoleErrors.push(msg.text());
    });
    page.on("pageerror", (err) => visit.consoleErrors.push(`uncaught: ${err.message}`));
    page.on("dialog", (dialog) => {
      visit.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("requestfailed", (req) => visit.failedRequests.push(`${req.url()} (${req.failure()?.errorText})`));
    page.on("request", (req) => {
      if (req.url() !== pageUrl) visit.otherRequests.push(req.url());
    });
    await page.goto(pageUrl, { waitUntil: "load", timeout: 60_000 });
    // Chart.js draws synchronously with animation off; one frame lets layout settle.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    visit.canvases = await page.evaluate(() =>
      Array.from(document.querySelectorAll("canvas")).map((c) => {
        const ctx = c.getContext("2d");
        let painted = 0;
        let coloured = 0;
        if (ctx && c.width > 0 && c.height > 0) {
          const px = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < px.length; i += 4) {
            if (px[i + 3] === 0) continue;
            painted++;
            if (px[i + 3] > 200 && Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 80) coloured++;
          }
        }
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const chart = (window as any).Chart?.getChart(c);
        let elements = 0;
        chart?.data.datasets.forEach((_: unknown, i: number) => {
          const meta = chart.getDatasetMeta(i);
          const horizontal = chart.options.indexAxis === "y";
          for (const el of meta.data) {
            if (!Number.isFinite(el.x) || !Number.isFinite(el.y)) continue;
            if (meta.type === "bar" && Math.abs(el.base - (horizontal ? el.x : el.y)) < 1) continue;
            elements++;
          }
        });
        return { id: c.id, width: c.width, height: c.height, paintedPixels: painted, colouredPixels: coloured, dataElements: elements };
      }),
    );
    visit.title = await page.title();
    visit.bodyText = await page.evaluate(() => document.body.innerText);
    if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
    return visit;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
