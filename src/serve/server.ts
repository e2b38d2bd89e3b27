// The HTTP face: a fastify app over the sandbox (NeMo-Skills' /execute protocol) and the verdict layers
// (/verify, /grade). createServer builds it; the CLI (`veritrace serve`) and library users listen and close.
import { hostname } from "node:os";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { closeIdleSessions, registerExecuteRoutes, type ExecuteLimits, type ExecutionSandbox } from "./execute.js";
import { SessionRegistry } from "./sessions.js";
import { registerVerdictRoutes, VerdictDeadlineError, type VerdictEngine } from "./verdicts.js";
import type { SandboxStartOptions } from "./sandbox-engine.js";

export interface ServeOptions {
  /** Interface to bind; loopback by default: the sandbox is the only barrier between a client and the host. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Sandbox worker threads (one Pyodide interpreter each). */
  workers?: number;
  /** Time limit of a call whose request names no `timeout`, in ms. */
  timeoutMs?: number;
  /** Upper bound of a request's `timeout`, in ms: a request asking more gets this (default: max(timeoutMs, 60 s)). */
  maxTimeoutMs?: number;
  /** Upper bound of a request's max_output_characters (and the sandbox's own cut). */
  maxOutputChars?: number;
  /** Further sandbox settings, passed to Sandbox.start. */
  sandboxOptions?: Omit<SandboxStartOptions, "workers" | "timeoutMs" | "maxTimeoutMs" | "maxOutputChars">;
  /** A sandbox the caller started and will close; by default the server starts its own and closes it. */
  sandbox?: ExecutionSandbox;
  /** The verdict layers; by default src/verify and src/grade in `verifyThreads` worker threads. */
  engine?: VerdictEngine;
  /** Worker threads for /verify and /grade (default 1): verification never runs on the event loop. */
  verifyThreads?: number;
  /** Longest a /verify or /grade request may take, queueing included, in ms (default 120 s); past it: 504. */
  verifyDeadlineMs?: number;
  /** Carried by /health and by the X-Veritrace-Instance header of every answer (shows stickiness behind a balancer). */
  instanceId?: string;
  /** Largest /execute body, bytes (default 2 MiB). */
  executeBodyLimit?: number;
  /** Largest /verify or /grade body, bytes (default 64 MiB). */
  batchBodyLimit?: number;
  /** Close sessions unused this long (ms); 0 keeps them until deleted (NeMo-Skills' default). */
  sessionIdleMs?: number;
  /** Log requests to stderr (pino, JSON lines). */
  log?: boolean;
}

export interface VeritraceServer {
  readonly app: FastifyInstance;
  readonly instanceId: string;
  /** Starts listening; resolves with the base URL (http://host:port). */
  listen(): Promise<string>;
  /**
   * Stops taking requests, lets the ones in flight finish (up to drainTimeoutMs), then closes the sandbox
   * it started. Resolves with whether every in-flight request finished.
   */
  close(drainTimeoutMs?: number): Promise<{ drained: boolean }>;
}

const MiB = 1024 * 1024;
export const DEFAULT_PORT = 6000; // NeMo-Skills' sandbox port
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_TIMEOUT_MS = 10_000; // NeMo-Skills' default code_execution_timeout
export const DEFAULT_MAX_OUTPUT_CHARS = 100_000;
const NEMO_DEFAULT_OUTPUT_CHARS = 1000;

/** Drops undefined entries so that the sandbox's own defaults apply to what the caller left unset. */
function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export async function createServer(options: ServeOptions = {}): Promise<VeritraceServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const limits: ExecuteLimits = {
    defaultTimeoutMs: timeoutMs,
    maxTimeoutMs: options.maxTimeoutMs ?? Math.max(timeoutMs, 60_000),
    defaultOutputChars: Math.min(NEMO_DEFAULT_OUTPUT_CHARS, maxOutputChars),
    maxOutputChars,
  };
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;

  const ownsSandbox = options.sandbox === undefined;
  const ownsEngine = options.engine === undefined;
  // The real layers are loaded only when the caller brings none (they start thread pools and load the addon).
  const engine =
    options.engine ??
    (await (await import("./verdict-engine.js")).verdictEngine(options.verifyThreads ?? 1, options.verifyDeadlineMs ?? 120_000));
  let sandbox: ExecutionSandbox;
  try {
    sandbox =
      options.sandbox ??
      (await (await import("./sandbox-engine.js")).startSandbox(
        definedOnly({ ...options.sandboxOptions, workers: options.workers, timeoutMs: limits.defaultTimeoutMs, maxTimeoutMs: limits.maxTimeoutMs, maxOutputChars }),
      ));
  } catch (err) {
    if (ownsEngine) await engine.close?.();
    throw err;
  }
  const sessions = new SessionRegistry();

  const executeBodyLimit = options.executeBodyLimit ?? 2 * MiB;
  const batchBodyLimit = options.batchBodyLimit ?? 64 * MiB;
  const app = Fastify({
    // Logs go to stderr: stdout carries the CLI's --json line.
    logger: options.log ? { level: "info", stream: process.stderr } : false,
    bodyLimit: executeBodyLimit, // /verify and /grade raise it for themselves
    return503OnClosing: true,
  });

  // JSON only: without this, fastify would hand a text/plain body to the routes as a string.
  app.removeContentTypeParser("text/plain");

  let draining = false;
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-veritrace-instance", instanceId);
    // While draining, a finished request must not leave its keep-alive connection open (the server
    // waits for every connection to end).
    if (draining) reply.header("connection", "close");
  });

  // Framework-level failures (malformed JSON, body too large, wrong content type) in our error shape; on
  // /execute also in NeMo-Skills' shape so that its client reads a status instead of raising.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof VerdictDeadlineError) return reply.code(504).send({ error: error.message, issues: [] });
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, "request failed");
    const message =
      status >= 500
        ? `internal error: ${error.message}`
        : status === 415
          ? `invalid request: ${error.message}; send a JSON body with Content-Type: application/json`
          : `invalid request: ${error.message}`;
    const body: Record<string, unknown> = { error: message, issues: [] };
    if (request.url.startsWith("/execute")) Object.assign(body, { process_status: "error", stdout: "", stderr: `${message}\n` });
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split("?")[0]}` }),
  );

  app.get("/health", async () => ({
    status: "healthy",
    worker: instanceId, // NeMo-Skills' field name
    instance: instanceId,
    sessions: sessions.size,
  }));
  registerExecuteRoutes(app, { sandbox, sessions, limits, bodyLimit: executeBodyLimit });
  registerVerdictRoutes(app, { engine, bodyLimit: batchBodyLimit });

  const idleMs = options.sessionIdleMs ?? 0;
  const sweeper =
    idleMs > 0 ? setInterval(() => void closeIdleSessions(sandbox, sessions, idleMs), Math.min(idleMs, 60_000)) : undefined;
  sweeper?.unref();

  let closing: Promise<{ drained: boolean }> | undefined;
  return {
    app,
    instanceId,
    async listen() {
      return app.listen({ host, port });
    },
    close(drainTimeoutMs = 30_000) {
      closing ??= (async () => {
        if (sweeper) clearInterval(sweeper);
        draining = true;
        // fastify.close stops accepting connections, closes idle keep-alive ones, answers 503 to new
        // requests on busy ones, and resolves when the in-flight requests have been answered.
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          app.close().then(() => true),
          new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (!drained) app.server.closeAllConnections();
        if (ownsSandbox) await sandbox.close();
        if (ownsEngine) await engine.close?.();
        return { drained };
      })();
      return closing;
    },
  };
}
