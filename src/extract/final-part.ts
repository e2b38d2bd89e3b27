// The part of a response that holds its answer. Reasoning (harmony analysis channels, <think>
// blocks) may mention candidate answers that the model later rejects, so extraction never looks
// there. All searches are indexOf/lastIndexOf scans: linear, no regex over the whole text.

const FINAL_CHANNEL = "<|channel|>final";
const MESSAGE = "<|message|>";
/** Tokens that end a harmony message body. `<|start|>` covers a missing end token. */
const HARMONY_BODY_ENDS = ["<|return|>", "<|end|>", "<|call|>", "<|start|>"] as const;
const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";

function endsChannelName(code: number): boolean {
  return code === 60 /* < */ || code === 32 || code === 9 || code === 10 || code === 13;
}

/** Index of the earliest of `tokens` at or after `from` in `text`, or `text.length`. */
export function earliestOf(text: string, tokens: readonly string[], from: number): number {
  let end = text.length;
  for (const token of tokens) {
    const at = text.indexOf(token, from);
    if (at !== -1 && at < end) end = at;
  }
  return end;
}

/**
 * The final part of a response:
 * - harmony text (it has `<|message|>`): the body of the last `final` channel message ("" when
 *   there is none: the trace stopped while reasoning);
 * - text with `</think>`: what follows the last `</think>` ("" when the last think tag is an
 *   opening one: the reasoning never closed);
 * - anything else: the whole text.
 */
export function finalPart(text: string): string {
  // Presence tests first: `includes` of a pattern with a rare first character runs at memchr
  // speed, `lastIndexOf` is a plain backward loop. Text without markup costs two fast scans.
  if (text.includes(MESSAGE)) {
    // Harmony (the rule src/traces uses too): the last final channel, or nothing.
    for (let finalAt = text.lastIndexOf(FINAL_CHANNEL); finalAt !== -1; finalAt = finalAt === 0 ? -1 : text.lastIndexOf(FINAL_CHANNEL, finalAt - 1)) {
      const messageAt = finalHeaderEnd(text, finalAt);
      if (messageAt === -1) continue;
      const bodyStart = messageAt + MESSAGE.length;
      return text.slice(bodyStart, earliestOf(text, HARMONY_BODY_ENDS, bodyStart));
    }
    return "";
  }
  // "k>" is rare in prose, so this presence test runs at memchr speed ("think>" would not).
  const tag = text.includes("k>") ? lastThinkTag(text) : null;
  if (tag === null) return text;
  // After the last `</think>`; a `<think>` that is the last tag never closed.
  return tag.closing ? text.slice(tag.end) : "";
}

/** Headers are short; a longer gap before `<|message|>` means this was no header. */
const MAX_HEADER = 512;

/**
 * Where the `<|message|>` of an assistant final-channel header starting at `at` is, or -1 when
 * `<|channel|>final` there does not start one: the channel name goes on ("finalize"), the header
 * addresses a tool (` to=`), or a message boundary comes before `<|message|>`.
 */
function finalHeaderEnd(text: string, at: number): number {
  const nameEnd = at + FINAL_CHANNEL.length;
  if (!endsChannelName(text.charCodeAt(nameEnd))) return -1;
  const messageAt = text.indexOf(MESSAGE, nameEnd);
  if (messageAt === -1 || messageAt - nameEnd > MAX_HEADER) return -1;
  const header = text.slice(nameEnd, messageAt);
  if (header.includes(" to=") || HARMONY_BODY_ENDS.some((token) => header.includes(token))) return -1;
  return messageAt;
}

/** The last `<think>` or `</think>` of the text, found with one backward scan. */
function lastThinkTag(text: string): { closing: boolean; end: number } | null {
  let from = text.length;
  while (from >= 0) {
    const at = text.lastIndexOf("think>", from);
    if (at === -1) return null;
    if (text.startsWith(THINK_CLOSE, at - 2)) return { closing: true, end: at + 6 };
    if (text.startsWith(THINK_OPEN, at - 1)) return { closing: false, end: at + 6 };
    from = at - 1;
  }
  return null;
}
