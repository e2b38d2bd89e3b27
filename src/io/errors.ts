import { open, type FileHandle } from "node:fs/promises";

/** A file that cannot be read or decoded (missing, unreadable, corrupt gzip), located by file and line. */
export class InputFileError extends Error {
  override name = "InputFileError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(`${file}${line == null ? "" : `:${line}`}: ${detail}`);
  }
}

/** Opens an input file for reading; a failure is an InputFileError that says why ("no such file", ...). */
export async function openInput(file: string): Promise<FileHandle> {
  try {
    return await open(file, "r");
  } catch (err: any) {
    throw new InputFileError(file, null, err?.code === "ENOENT" ? "no such file" : `cannot open (${err?.code ?? err})`);
  }
}

/**
 * The InputFileError for JSON.parse's error on `text`, which starts at line `firstLine` of `file` (1 when
 * null): it names the line and column when the parser gives a position.
 */
export function jsonError(file: string, text: string, err: unknown, firstLine: number | null = null): InputFileError {
  const message = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return new InputFileError(file, firstLine, `invalid JSON: ${message}`);
  const offset = Number(pos[1]);
  let line = firstLine ?? 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return new InputFileError(file, line, `invalid JSON at column ${offset - lineStart + 1}: ${message.replace(/ in JSON at position \d+.*$/, "")}`);
}

/** Reads into buf[at, end) from `position` of an input file; a failure is an InputFileError. */
export async function readInput(handle: FileHandle, file: string, buf: Buffer, at: number, position: number): Promise<number> {
  try {
    return (await handle.read(buf, at, buf.length - at, position)).bytesRead;
  } catch (err: any) {
    throw new InputFileError(file, null, `cannot read (${err?.code ?? err})`);
  }
}
