// Shared CLI helpers: argument parsing with usage errors (exit 2), errors that name the file and line,
// `--json` output on stdout, and progress on stderr only when stderr is a terminal.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { jsonError } from "../io/errors.js";

/** A usage error: unknown option, missing or malformed argument. Exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Unreadable or malformed input, located as precisely as known ("file:line: message"). Exit code 2. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(formatLocation(file, line, detail));
  }
}

export function formatLocation(file: string, line: number | null, message: string, column?: number | null): string {
  const where = line == null ? file : column == null ? `${file}:${line}` : `${file}:${line}:${column}`;
  return `${where}: ${message}`;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageError (so that the command exits 2
 * with the message instead of a stack trace).
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Runs a command body and maps its failures to the exit codes of DESIGN.md: UsageError and InputError
 * print their message and give 2, any other error prints and gives 1.
 */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`veritrace ${name}: ${err.message}\nRun \`veritrace ${name} --help\` for usage.\n`);
      return 2;
    }
    if (err instanceof InputError) {
      process.stderr.write(`veritrace ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`veritrace ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** Prints a machine-readable result on stdout (one JSON document, newline-terminated). */
/** Writes text to stdout, waiting when its buffer is full (a summary of many problems is written in pieces). */
export async function writeStdout(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** `--score-memory <MB>`: a positive whole number of mebibytes, as bytes (undefined when not given). */
export function parseScoreMemory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1 << 20) {
    throw new UsageError(`--score-memory: '${text}' is not a number of megabytes (1 or more)`);
  }
  return Number(text) * (1 << 20);
}

/** Parses "1,2,4" into distinct positive integers, in the order given. */
export function parseIntList(flag: string, text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(",")) {
    const t = part.trim();
    if (!/^[0-9]+$/.test(t) || Number(t) < 1) throw new UsageError(`--${flag}: '${t}' is not a positive integer`);
    if (!out.includes(Number(t))) out.push(Number(t));
  }
  return out;
}

/** Parses a whole-number option no smaller than `min` (e.g. --repeat 3, --seed 0). */
export function parseInteger(flag: string, text: string, min: number): number {
  const t = text.trim();
  if (!/^[0-9]+$/.test(t) || !Number.isSafeInteger(Number(t)) || Number(t) < min) {
    throw new UsageError(`--${flag}: '${text}' is not a whole number${min > 0 ? ` ≥ ${min}` : ""}`);
  }
  return Number(t);
}

/** Parses a positive number option (e.g. --seconds 2.5). */
export function parsePositiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag}: '${text}' is not a positive number`);
  return n;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err: any) {
    const reason =
      err?.code === "ENOENT"
        ? "no such file"
        : err?.code === "ERR_STRING_TOO_LONG"
          ? "too large to read as one document (V8 strings stop near 512 MB)"
          : `cannot read (${err?.code ?? err})`;
    throw new InputError(file, null, reason);
  }
}

/** Reads a JSON file; a syntax error names the file, line and column. */
export function readJsonFile(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    const e = jsonError(file, text, err);
    throw new InputError(e.file, e.line, e.detail);
  }
}

/** Reads a (small) JSONL file whole; blank lines are skipped; a bad line names its file and line number. */
export function readJsonlFile(file: string): Array<{ line: number; value: unknown }> {
  const rows: Array<{ line: number; value: unknown }> = [];
  readText(file)
    .split("\n")
    .forEach((raw, i) => {
      if (raw.trim() === "") return;
      try {
        rows.push({ line: i + 1, value: JSON.parse(raw) });
      } catch (err) {
        throw new InputError(file, i + 1, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  return rows;
}


/**
 * A one-line status on stderr ("bench: verify at 2 threads…"), only when stderr is a terminal (a no-op in
 * pipes, files and CI). For a byte-based progress bar with rate and ETA over streamed input, use
 * src/cli/progress.ts.
 */
export interface Progress {
  update(message: string): void;
  done(message?: string): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr, minIntervalMs = 100): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(message) {
      const now = Date.now();
      if (now - last < minIntervalMs) return;
      last = now;
      stream.write(`\r\x1b[2K${message}`);
    },
    done(message) {
      stream.write(`\r\x1b[2K${message ? message + "\n" : ""}`);
    },
  };
}
