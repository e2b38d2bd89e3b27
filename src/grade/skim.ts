// Skimming reasoning out of raw rows before JSON.parse. In Nemotron-Math-v2 rows (and chat-message rows
// generally) most bytes are `reasoning_content`, text that grading never reads: the final answer comes from
// the last assistant message's `content` (DESIGN.md "Answer extraction"; src/traces/messages.ts reads
// reasoning_content only into Trace.reasoningText, which no verdict field uses). Decoding and parsing those
// bytes is most of the cost of a row, so the values of `"reasoning_content"` keys are cut to `""` in the
// raw bytes first, with memchr-speed searches, and only the rest is decoded and parsed.
//
// The result is the same as parsing the whole row: a value is cut only when it is a JSON string that
// JSON.parse would accept (valid escapes, no raw control characters); anything else is left for
// JSON.parse to judge, so malformed rows stay malformed. test/grade-skim.test.ts checks that verdict
// rows are identical with and without skimming.

const KEY = new TextEncoder().encode('"reasoning_content"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const ESCAPE_OK = new Uint8Array(256);
for (const c of '"\\/bfnrtu') ESCAPE_OK[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d;
}

/** True when bytes[from, to) holds a byte below 0x20 (a raw control character, invalid inside a JSON string). */
export function hasControlByte(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from;
  // Four bytes at a time where aligned: (x − 0x20202020) & ~x & 0x80808080 is non-zero iff a byte of x is < 0x20.
  const absolute = bytes.byteOffset + i;
  const head = Math.min(to, i + ((4 - (absolute & 3)) & 3));
  for (; i < head; i++) if (bytes[i] < 0x20) return true;
  const words = Math.floor((to - i) / 4);
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let w = 0; w < words; w++) {
      const x = view[w];
      if (((x - 0x20202020) & ~x & 0x80808080) !== 0) return true;
    }
    i += words * 4;
  }
  for (; i < to; i++) if (bytes[i] < 0x20) return true;
  return false;
}

/**
 * The index of the closing quote of the JSON string whose body starts at `i`, or -1 when the string is
 * not one JSON.parse would accept (bad escape, unterminated before `end`).
 */
export function stringEnd(bytes: Uint8Array & { indexOf(value: number, from?: number): number }, i: number, end: number): number {
  let p = i;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, p);
    if (quote < 0 || quote >= end) return -1;
    let slash = bytes.indexOf(BACKSLASH, p);
    if (slash < 0 || slash > quote) return quote;
    // Escapes before this quote: each must be valid; an escape may consume the quote itself (\").
    while (slash >= 0 && slash < quote) {
      const e = bytes[slash + 1];
      if (ESCAPE_OK[e] !== 1) return -1;
      if (e === 0x75) {
        if (!(HEX[bytes[slash + 2]] && HEX[bytes[slash + 3]] && HEX[bytes[slash + 4]] && HEX[bytes[slash + 5]])) return -1;
        p = slash + 6;
      } else {
        p = slash + 2;
      }
      if (p > quote) break; // the quote was escaped: look for the next one
      slash = bytes.indexOf(BACKSLASH, p);
      if (slash > quote) slash = -1;
    }
    if (p <= quote) return quote;
  }
}

/**
 * The row's bytes with every `"reasoning_content": "<string>"` value replaced by `""`, or null when the
 * row has none to cut (parse the original then).
 */
export function skimReasoning(bytes: Buffer, start: number, end: number): Buffer | null {
  let parts: Buffer[] | null = null;
  let from = start;
  let at = start;
  for (;;) {
    const k = bytes.indexOf(KEY, at);
    if (k < 0 || k + KEY.length >= end) break;
    // A key: its quote follows `{` or `,` (an unescaped quote there opens a string, so this is not text
    // inside another string), and a colon follows it.
    let before = k - 1;
    while (before >= start && isSpace(bytes[before])) before--;
    if (before < start || (bytes[before] !== 0x2c && bytes[before] !== 0x7b)) {
      at = k + 1;
      continue;
    }
    let i = k + KEY.length;
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] !== 0x3a) {
      at = k + 1;
      continue;
    }
    i++;
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] !== QUOTE) {
      at = i;
      continue;
    }
    const close = stringEnd(bytes, i + 1, end);
    if (close < 0 || hasControlByte(bytes, i + 1, close)) return null; // let JSON.parse judge the row
    (parts ??= []).push(bytes.subarray(from, i + 1));
    from = close;
    at = close + 1;
  }
  if (parts === null) return null;
  parts.push(bytes.subarray(from, end));
  return Buffer.concat(parts);
}
