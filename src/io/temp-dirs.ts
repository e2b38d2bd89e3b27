// Private temporary folders (score spill runs, the summary's problems) and files (a summary being
// written), removed when their owner is done
// and, failing that, when the process exits: on any exit that runs 'exit' handlers, which the CLI's long
// commands extend to SIGINT and SIGTERM (a SIGKILL leaves them behind, in the OS's temporary folder).
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

const live = new Set<string>();
let hooked = false;

/** Makes `<parent>/<prefix>XXXXXX`, to be removed by removeTempDir (or at exit). */
export function makeTempDir(parent: string, prefix: string): string {
  return trackTemp(mkdtempSync(join(parent, prefix)));
}

/** A file or folder to remove at exit unless it is removed (removeTempDir) or kept (untrackTemp) first. */
export function trackTemp(path: string): string {
  live.add(path);
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const p of live) rmSync(p, { recursive: true, force: true });
    });
  }
  return path;
}

export function untrackTemp(path: string): void {
  live.delete(path);
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/**
 * Makes SIGINT and SIGTERM end the process through process.exit (status 130 or 143, as the default
 * action reports them), so that exit handlers remove the temporary folders. For commands that do not
 * handle these signals themselves.
 */
export function exitOnSignals(): void {
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
}
