// Number formats shared by the page and the model.

/** 16384 → "16K", 131072 → "128K", 1000 → "1000". */
export function shortTokens(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : String(n);
}

/** 0.1234 → "12.3%"; null → "–". */
export function formatRate(v: number | null): string {
  return v == null ? "–" : (v * 100).toFixed(1) + "%";
}
