// How the pool process is started: under Node's permission model (file reads limited to what the pool
// needs, no file writes, no child processes, no native addons; workers allowed because the pool is made
// of worker threads) and, where the OS allows it, in a network namespace of its own with no interface
// up (`unshare -rn`, or `unshare -n` as root). Node 20's permission model has no network switch, so
// without a namespace the remaining network barrier is the Python layer (docs/sandbox.md).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type NetworkNamespace = "unshare -rn" | "unshare -n" | "none";

export interface Launch {
  command: string;
  args: string[];
  permissionModel: boolean;
  networkNamespace: NetworkNamespace;
  notes: string[];
}

let cachedNamespace: { kind: NetworkNamespace; note: string | null } | null = null;

/** Finds a working way to give a process a network namespace of its own (probed once per process). */
export function probeNetworkNamespace(): { kind: NetworkNamespace; note: string | null } {
  if (cachedNamespace) return cachedNamespace;
  const attempt = (args: string[]) => spawnSync("unshare", [...args, "true"], { stdio: "ignore", timeout: 5000 }).status === 0;
  if (process.platform !== "linux") {
    cachedNamespace = { kind: "none", note: `no network namespace on ${process.platform}: sandboxed code is kept off the network by the Python layer only` };
  } else if (attempt(["-rn"])) {
    cachedNamespace = { kind: "unshare -rn", note: null };
  } else if (attempt(["-n"])) {
    cachedNamespace = { kind: "unshare -n", note: null };
  } else {
    cachedNamespace = {
      kind: "none",
      note: "`unshare -rn` is not permitted here (no user namespaces, or no unshare binary): sandboxed code is kept off the network by the Python layer only",
    };
  }
  return cachedNamespace;
}

/** The directory of an installed npm package (the folder that holds its package.json). */
export function packageDir(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === name) return dir;
    } catch {
      /* no package.json here */
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the '${name}' package directory`);
    dir = parent;
  }
}

/**
 * The command that starts the pool process. `readPaths` are the files and folders the pool may read;
 * everything else on the host is unreadable, nothing is writable, and no process can be started.
 */
export function launchCommand(hostScript: string, readPaths: string[], isolate: boolean): Launch {
  const notes: string[] = [];
  if (!isolate) {
    notes.push("isolation disabled (isolate: false): the pool process has the host's permissions");
    return { command: process.execPath, args: [hostScript], permissionModel: false, networkNamespace: "none", notes };
  }
  const nodeArgs = [
    "--experimental-permission",
    ...[...new Set(readPaths)].map((p) => `--allow-fs-read=${p}`),
    "--allow-worker",
    "--no-warnings=ExperimentalWarning",
    hostScript,
  ];
  const ns = probeNetworkNamespace();
  if (ns.note) notes.push(ns.note);
  if (ns.kind === "none") return { command: process.execPath, args: nodeArgs, permissionModel: true, networkNamespace: "none", notes };
  const unshareArgs = ns.kind === "unshare -rn" ? ["-rn"] : ["-n"];
  return { command: "unshare", args: [...unshareArgs, process.execPath, ...nodeArgs], permissionModel: true, networkNamespace: ns.kind, notes };
}
