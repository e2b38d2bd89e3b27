// `veritrace serve`: the HTTP face. Drop-in for NeMo-Skills' sandbox endpoint, plus /verify and /grade.
import { createServer as createNetServer, isIP } from "node:net";
import {
  createServer,
  DEFAULT_HOST,
  DEFAULT_MAX_OUTPUT_CHARS,
  DEFAULT_PORT,
  DEFAULT_TIMEOUT_MS,
  type VeritraceServer,
} from "../../serve/index.js";
import { parseCommandArgs, runCommand, UsageError } from "../util.js";

export const summary = "serve code execution (NeMo-Skills' sandbox protocol) and verification over HTTP";

export const usage = `usage: veritrace serve [options]

Serves over HTTP:
  POST   /execute          NeMo-Skills' sandbox request {generated_code, timeout, language, max_output_characters,
                           traceback_verbosity}, session in the X-Session-ID header;
                           answers {process_status, stdout, stderr}
  GET    /sessions         sessions held by this instance
  DELETE /sessions/{id}    ends a session
  GET    /health           {status, instance, sessions}
  POST   /verify           {gold, pred, options?} -> verdict, or {pairs: [{gold, pred}], options?} -> {verdicts}
  POST   /grade            {rows: [trace row, ...], options?} -> {rows: [verdict row, ...]}

options:
  --host ADDR              interface to bind (default ${DEFAULT_HOST}). Anything but loopback exposes the
                           sandbox to the network: it is then the only barrier to the host (docs/serve.md)
  --port N                 port (default ${DEFAULT_PORT}, NeMo-Skills' sandbox port; 0 picks a free one)
  --workers N              sandbox workers, one Python interpreter each (default: the sandbox's)
  --timeout-ms N           time limit of a call whose request names no \`timeout\` (default ${DEFAULT_TIMEOUT_MS},
                           NeMo-Skills' code_execution_timeout); a request's own \`timeout\` (seconds) applies,
                           up to --max-timeout-ms
  --max-timeout-ms N       upper bound of a request's \`timeout\` (default: the larger of --timeout-ms and 60000)
  --max-output-chars N     upper bound of a request's max_output_characters (default ${DEFAULT_MAX_OUTPUT_CHARS})
  --verify-threads N       worker threads for /verify and /grade (default 1)
  --verify-deadline-ms N   longest a /verify or /grade request may take, queueing included (default 120000);
                           past it the request answers 504 and the server goes on
  --memory-mb N            memory cap of each sandbox worker
  --max-calls-per-session N
  --session-idle-ms N      close sessions unused this long (default 0: keep until DELETE)
  --instance-id ID         shown by /health and the X-Veritrace-Instance header (default host:pid)
  --drain-timeout-ms N     on SIGTERM, how long in-flight requests may take to finish (default 30000)
  --log                    log each request to stderr (JSON lines)
  --json                   once listening, print {"url", "instance", "pid"} on stdout

SIGTERM or SIGINT stops taking requests, lets in-flight ones finish, closes the sandbox and exits 0
(1 if requests were still running at the drain timeout).

examples:
  veritrace serve --workers 4
  veritrace serve --port 6001 --instance-id node-a     # several instances behind nginx: deploy/nginx/veritrace.conf
  curl -s localhost:6000/execute -H 'X-Session-ID: s1' -H 'Content-Type: application/json' \\
       -d '{"generated_code": "x = 21\\nx * 2", "timeout": 10, "language": "ipython"}'
  curl -s localhost:6000/verify -H 'Content-Type: application/json' -d '{"gold": "\\\\frac{1}{2}", "pred": "0.5"}'
`;

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be an integer >= ${min} (got '${value}')`);
  }
  return Number(value);
}

/** Fails with a clear message when host:port cannot be bound (in use, or an address this host lacks). */
async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${host}:${port}: ${err.code === "EADDRINUSE" ? "the port is in use" : err.message}`)),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

export function run(argv: string[]): Promise<number> {
  return runCommand("serve", () => serve(argv));
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      host: { type: "string" },
      port: { type: "string" },
      workers: { type: "string" },
      "timeout-ms": { type: "string" },
      "max-timeout-ms": { type: "string" },
      "max-output-chars": { type: "string" },
      "verify-threads": { type: "string" },
      "verify-deadline-ms": { type: "string" },
      "memory-mb": { type: "string" },
      "max-calls-per-session": { type: "string" },
      "session-idle-ms": { type: "string" },
      "instance-id": { type: "string" },
      "drain-timeout-ms": { type: "string" },
      log: { type: "boolean" },
      json: { type: "boolean" },
    },
    false,
  );
  const port = integer("port", values.port, 0);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be <= 65535 (got ${port})`);
  const workers = integer("workers", values.workers, 1);
  const timeoutMs = integer("timeout-ms", values["timeout-ms"], 1);
  const maxTimeoutMs = integer("max-timeout-ms", values["max-timeout-ms"], 1);
  if (maxTimeoutMs !== undefined && maxTimeoutMs < (timeoutMs ?? DEFAULT_TIMEOUT_MS)) {
    throw new UsageError(`--max-timeout-ms (${maxTimeoutMs}) must be at least --timeout-ms (${timeoutMs ?? DEFAULT_TIMEOUT_MS})`);
  }
  const maxOutputChars = integer("max-output-chars", values["max-output-chars"], 0);
  const verifyThreads = integer("verify-threads", values["verify-threads"], 1);
  const verifyDeadlineMs = integer("verify-deadline-ms", values["verify-deadline-ms"], 1);
  const memoryMb = integer("memory-mb", values["memory-mb"], 1);
  const maxCallsPerSession = integer("max-calls-per-session", values["max-calls-per-session"], 1);
  const sessionIdleMs = integer("session-idle-ms", values["session-idle-ms"], 0);
  const drainTimeoutMs = integer("drain-timeout-ms", values["drain-timeout-ms"], 0) ?? 30_000;

  const host = values.host ?? DEFAULT_HOST;
  if (!isLoopback(host)) {
    process.stderr.write(
      `veritrace serve: WARNING: binding ${host} exposes code execution to the network; the sandbox is the only ` +
        `barrier between a client and this host (see docs/serve.md)\n`,
    );
  }

  // A port in use fails now, not after the sandbox's seconds of start-up.
  if (port !== 0) await assertPortFree(host, port ?? DEFAULT_PORT);

  // Signals are taken from the start: one during start-up stops the server as soon as it is up; a second
  // one while draining exits at once.
  let signalled: string | null = null;
  let onSignal: (signal: string) => void = (signal) => (signalled = signal);
  const forced = (signal: string) => {
    process.stderr.write(`veritrace serve: ${signal} again: exiting without waiting\n`);
    process.exit(1);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.stderr.write(`veritrace serve: starting the sandbox and the verdict engine\n`);

  let server: VeritraceServer;
  try {
    server = await createServer({
      host,
      port,
      workers,
      timeoutMs,
      maxTimeoutMs,
      maxOutputChars,
      verifyThreads,
      verifyDeadlineMs,
      sandboxOptions: { memoryMb, maxCallsPerSession },
      instanceId: values["instance-id"],
      sessionIdleMs,
      log: values.log,
    });
  } catch (err) {
    process.stderr.write(`veritrace serve: could not start: ${(err as Error)?.stack ?? err}\n`);
    return 1;
  }

  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      onSignal = forced;
      process.stderr.write(`veritrace serve: ${signal}: draining in-flight requests\n`);
      void server.close(drainTimeoutMs).then(
        ({ drained }) => {
          process.stderr.write(`veritrace serve: stopped${drained ? "" : " (drain timeout: some requests were cut)"}\n`);
          resolve(drained ? 0 : 1);
        },
        (err) => {
          process.stderr.write(`veritrace serve: error while stopping: ${err?.stack ?? err}\n`);
          resolve(1);
        },
      );
    };
    if (signalled) stop(signalled);
    else onSignal = stop;
  });

  if (!signalled) {
    try {
      const url = await server.listen();
      process.stderr.write(`veritrace serve: listening on ${url} (instance ${server.instanceId})\n`);
      if (values.json) process.stdout.write(JSON.stringify({ url, instance: server.instanceId, pid: process.pid }) + "\n");
    } catch (err) {
      process.stderr.write(`veritrace serve: cannot listen on ${host}:${port ?? DEFAULT_PORT}: ${(err as Error).message}\n`);
      await server.close(0);
      return 1;
    }
  }

  const code = await stopped;
  // Safety net: whatever handle a dependency leaves open, a stopped server exits.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}
