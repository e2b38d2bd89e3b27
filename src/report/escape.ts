// Escaping for untrusted text placed in HTML and in inline <script> data blocks.

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for a <script type="application/json"> block: `<` is written as \u003c so that no data can close
 * the script element or open a comment, and U+2028/2029 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Library source for an inline <script>: drops source-map comments (no request for a .map) and any `</script`. */
export function scriptForInline(source: string): string {
  return source.replace(/^\/\/# sourceMappingURL=.*$/gm, "").replace(/<\/(script)/gi, "<\\/$1");
}
