// Compiles src/ to dist/ before the suites run, so that tests of the CLI (bin/veritrace.js) and of
// worker-thread code (piscina loads compiled .js files) see the current sources. Type errors do not stop
// the emit here: `npm test` runs the type check as its own first step.
import { spawnSync } from "node:child_process";

export default function setup(): void {
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    encoding: "utf8",
  });
  if (tsc.status !== 0 && tsc.status !== 2) {
    throw new Error(`tsc failed to emit:\n${tsc.stdout}${tsc.stderr}`);
  }
}
