/**
 * Registry results hold numbers as strings, and some of those strings are not numbers: "NA" (not
 * available), "NaN", "", censored values such as "<0.001" or ">99", "Not estimable". Anything other
 * than a plain decimal is refused (null) rather than guessed at, so a result is never invented from
 * a bound or a placeholder.
 */
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseCtgovNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  // U+2212 (minus sign) is what some word processors paste in place of '-'.
  const text = value.trim().replace(/\u2212/g, '-');
  if (!PLAIN_DECIMAL.test(text)) return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A participant count: a whole number ≥ 0, or null. */
export function parseCtgovCount(value: unknown): number | null {
  const parsed = parseCtgovNumber(value);
  return parsed !== null && Number.isInteger(parsed) && parsed >= 0 ? parsed : null;
}
