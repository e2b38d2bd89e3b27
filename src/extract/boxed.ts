// The last \boxed{...} / \boxed {...} / \fbox{...} / \boxed 5 of a text, found from the end.

export type BoxedResult =
  | { kind: "found"; content: string; start: number }
  | { kind: "unterminated"; start: number }
  | { kind: "absent" };

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Start of the last `\boxed` or `\fbox` command (not a prefix of a longer command name). Both
 * contain "box", so one backward scan for it finds either.
 */
function lastCommand(text: string): { at: number; length: number } | null {
  if (!text.includes("box")) return null; // fast presence test before the slower backward scan
  let from = text.length;
  while (from >= 0) {
    const box = text.lastIndexOf("box", from);
    if (box === -1) return null;
    from = box - 1;
    let at = -1;
    let length = 0;
    if (text.startsWith("\\boxed", box - 1)) {
      at = box - 1;
      length = "\\boxed".length;
    } else if (text.startsWith("\\fbox", box - 2)) {
      at = box - 2;
      length = "\\fbox".length;
    }
    if (at !== -1 && !isAsciiLetter(text.charCodeAt(at + length))) return { at, length };
  }
  return null;
}

/**
 * Index of the `}` closing the group whose `{` is at `open`, or -1. A backslash escapes the next
 * character, so `\{`, `\}` and `\\` never count as group delimiters.
 */
export function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 92 /* \ */) {
      i++;
    } else if (code === 123 /* { */) {
      depth++;
    } else if (code === 125 /* } */) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `\boxed 5$.` → `5`: a brace-less argument runs to whitespace or `$`, minus closing punctuation. */
function bracelessArgument(text: string, start: number): string {
  let end = start;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (isSpace(code) || code === 36 /* $ */) break;
    end++;
  }
  let token = text.slice(start, end);
  for (;;) {
    const trimmed = token.replace(/(?:\\\)|\\\]|[.,;:])$/, "");
    if (trimmed === token) break;
    token = trimmed;
  }
  return token;
}

export function lastBoxed(text: string): BoxedResult {
  const command = lastCommand(text);
  if (command === null) return { kind: "absent" };
  let p = command.at + command.length;
  while (p < text.length && isSpace(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) === 123 /* { */) {
    const close = matchingBrace(text, p);
    if (close === -1) return { kind: "unterminated", start: command.at };
    return { kind: "found", content: text.slice(p + 1, close).trim(), start: command.at };
  }
  const token = bracelessArgument(text, p);
  if (token === "") return { kind: "unterminated", start: command.at };
  return { kind: "found", content: token, start: command.at };
}
