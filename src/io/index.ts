// Streaming JSONL input and output (plain and gzip), with line numbers and crash-safe resume.
export { readLineBatches, lineBounds, openByteStream, isGzipFile, DEFAULT_BATCH_BYTES, DEFAULT_BATCH_LINES, DEFAULT_MAX_LINE_BYTES } from "./lines.js";
export type { LineBatch, LineReaderOptions } from "./lines.js";
export { TextSink } from "./writer.js";
export { dropTornTail, replayJsonl } from "./resume.js";
export { InputFileError } from "./errors.js";
