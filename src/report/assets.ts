// The charting library, read from node_modules when a report is generated and inlined into the page, so
// the HTML works offline and makes no request. Nothing of it is copied into the repository.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

function packageDist(pkg: string, file: string): string {
  // The packages' "exports" hide their browser builds; their main entry sits in the same dist/ folder.
  return readFileSync(join(dirname(require.resolve(pkg)), file), "utf8");
}

let cached: string[] | null = null;

/** Chart.js (UMD, defines window.Chart) then its annotation plugin (registers itself on window.Chart). */
export function chartLibraries(): string[] {
  cached ??= [
    packageDist("chart.js", "chart.umd.min.js"),
    packageDist("chartjs-plugin-annotation", "chartjs-plugin-annotation.min.js"),
  ];
  return cached;
}
