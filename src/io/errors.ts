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
