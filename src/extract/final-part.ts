// The part of a response that holds its answer. Reasoning (harmony analysis channels, <think>
// blocks) may mention candidate answers that the model later rejects, so extraction never looks
// there. All searches are indexOf/lastIndexOf scans: linear, no regex over the whole text.

const FINAL_CHANNEL = "<|channel|>final";
const MESSAGE = "<|message|>";
const HARMONY_CHANNEL = "<|channel|>";
/** Tokens that end a harmony message body. `<|start|>` covers a missing end token. */
const HARMONY_BODY_ENDS = ["<|return|>", "<|end|>", "<|call|>", "<|start|>"] as const;
const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";

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
 * - harmony text: the body of the last `final` channel message ("" when there is none: the
 *   trace stopped while reasoning);
 * - text with `</think>`: what follows the last `</think>` ("" when the last think tag is an
 *   opening one: the reasoning never closed);
 * - anything else: the whole text.
 */
export function finalPart(text: string): string {
  // Presence tests first: `includes` of a pattern with a rare first character runs at memchr
  // speed, `lastIndexOf` is a plain backward loop. Text without markup costs two fast scans.
  if (text.includes("<|")) {
    const finalAt = text.lastIndexOf(FINAL_CHANNEL);
    if (finalAt !== -1) {
      const messageAt = text.indexOf(MESSAGE, finalAt + FINAL_CHANNEL.length);
      if (messageAt === -1) return "";
      const bodyStart = messageAt + MESSAGE.length;
      return text.slice(bodyStart, earliestOf(text, HARMONY_BODY_ENDS, bodyStart));
    }
    if (text.includes(HARMONY_CHANNEL)) return "";
  }
  // "k>" is rare in prose, so this presence test runs at memchr speed ("think>" would not).
  const tag = text.includes("k>") ? lastThinkTag(text) : null;
  if (tag === null) return text;
  // After the last `</think>`; a `<think>` that is the last tag never closed.
  return tag.closing ? text.slice(tag.end) : "";
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
