// Starts `veritrace serve` (bin/veritrace.js over dist/) as a child process on a free loopback port, as a
// user would, and waits for its --json line that says where it listens.
import { spawn, type ChildProcess } from "node:child_process";
import { binPath, repoRoot } from "./cli.js";
import { ensurePythonPackages } from "./sandbox-setup.js";

export interface ServeProcess {
  url: string;
  instance: string;
  child: ChildProcess;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(args: string[], startTimeoutMs = 120_000): Promise<ServeProcess> {
  ensurePythonPackages(); // the sandbox's offline sympy/mpmath (fetched once, on a fresh clone)
  const child = spawn(process.execPath, [binPath, "serve", "--port", "0", "--json", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = await new Promise<{ url: string; instance: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`veritrace serve did not start in ${startTimeoutMs} ms:\n${stderr}`)), startTimeoutMs);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`veritrace serve exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });
  return {
    ...ready,
    child,
    stderr: () => stderr,
    exited,
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}
