// The process layers of the sandbox's isolation, checked with the very command line the pool process is
// started with (launchCommand): a probe script in its place tries to read, write, start a process and
// connect to a server of this test on 127.0.0.1. Also: the fallback where no network namespace can be made.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchCommand, probeNetworkNamespace } from "../dist/sandbox/isolation.js";
import { repoRoot } from "./helpers/cli.js";

const dir = join(repoRoot, "test-artifacts", "sandbox-isolation");
const probe = join(dir, "probe.mjs");
const written = join(dir, "written-by-probe.txt");
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  rmSync(written, { force: true });
  writeFileSync(
    probe,
    `import fs from "node:fs";
import cp from "node:child_process";
import net from "node:net";
const out = {};
const attempt = (name, f) => { try { f(); out[name] = "allowed"; } catch (e) { out[name] = e.code ?? e.message; } };
attempt("readPasswd", () => fs.readFileSync("/etc/passwd", "utf8"));
attempt("readProject", () => fs.readFileSync(${JSON.stringify(join(repoRoot, "package.json"))}, "utf8"));
attempt("write", () => fs.writeFileSync(${JSON.stringify(written)}, "x"));
attempt("exec", () => cp.execSync("id"));
attempt("readOwnDir", () => fs.readFileSync(${JSON.stringify(probe)}, "utf8"));
out.connect = await new Promise((resolve) => {
  const socket = net.connect({ host: "127.0.0.1", port: Number(process.argv.at(-1)) });
  const timer = setTimeout(() => { socket.destroy(); resolve("TIMEOUT"); }, 5000);
  socket.on("connect", () => { clearTimeout(timer); socket.destroy(); resolve("allowed"); });
  socket.on("error", (e) => { clearTimeout(timer); resolve(e.code); });
});
process.stdout.write(JSON.stringify(out));
`,
  );
  server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  rmSync(written, { force: true });
});

function runProbe(isolate: boolean): Promise<Record<string, string>> {
  const launch = launchCommand(probe, [dir], isolate);
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, [...launch.args, String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", () => {
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`probe printed ${JSON.stringify(stdout)}; stderr: ${stderr}`));
      }
    });
  });
}

describe("the pool process's isolation", () => {
  it("reads only its allow-list, writes nothing, starts no process", async () => {
    const out = await runProbe(true);
    expect(out.readOwnDir).toBe("allowed");
    expect(out.readPasswd).toBe("ERR_ACCESS_DENIED");
    expect(out.readProject).toBe("ERR_ACCESS_DENIED");
    expect(out.write).toBe("ERR_ACCESS_DENIED");
    expect(out.exec).toBe("ERR_ACCESS_DENIED");
    expect(existsSync(written)).toBe(false);
  }, 60_000);

  it("has no network where a namespace can be made (here: loopback unreachable)", async () => {
    const ns = probeNetworkNamespace();
    const before = connections;
    const out = await runProbe(true);
    if (ns.kind === "none") {
      expect(ns.note).toMatch(/network/);
      return;
    }
    expect(out.connect).not.toBe("allowed");
    expect(connections).toBe(before);
  }, 60_000);

  it("the same probe without isolation reaches all of it (the probe itself works)", async () => {
    const out = await runProbe(false);
    expect(out.readPasswd).toBe("allowed");
    expect(out.connect).toBe("allowed");
    rmSync(written, { force: true });
  }, 60_000);

  it("falls back without a namespace, with a warning, where unshare is not available", () => {
    const script = `import(${JSON.stringify(join(repoRoot, "dist/sandbox/isolation.js"))}).then((m) => { const l = m.launchCommand("/x.js", ["/"], true); process.stdout.write(JSON.stringify({ ns: l.networkNamespace, command: l.command, notes: l.notes })); })`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: "/nonexistent" } });
    const out = JSON.parse(r.stdout);
    expect(out.ns).toBe("none");
    expect(out.command).toBe(process.execPath);
    expect(out.notes.join(" ")).toMatch(/network/);
  });
});
