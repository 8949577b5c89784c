/** Text shown in place of a number that is missing or not finite: never 'NaN' or 'Infinity'. */
export const MISSING = 'NA';

/**
 * An estimate or statistic: fixed 2 decimals, or 3 significant digits when 0 < |x| < 0.01 so small
 * values do not collapse to "0.00".
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return MISSING;
  if (x === 0) return '0.00';
  if (Math.abs(x) < 0.01) return x.toPrecision(3);
  return x.toFixed(2);
}

/** "x.xx [l.ll, u.uu]". */
export function formatEstimateCi(estimate: number, lower: number, upper: number): string {
  return `${formatNumber(estimate)} ${formatInterval(lower, upper)}`;
}

/** "[l.ll, u.uu]". */
export function formatInterval(lower: number, upper: number): string {
  return `[${formatNumber(lower)}, ${formatNumber(upper)}]`;
}

/** A percentage with one decimal: "12.3%". */
export function formatPercent(x: number): string {
  return Number.isFinite(x) ? `${noNegativeZero(x.toFixed(1))}%` : MISSING;
}

/** "p = 0.09", "p = 0.004", "p < 0.001". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return `p = ${MISSING}`;
  if (p < 0.001) return 'p < 0.001';
  if (p < 0.01) return `p = ${p.toFixed(3)}`;
  return `p = ${p.toFixed(2)}`;
}

/** A tick label with as many decimals as the tick step needs: step 2 → "-4", step 0.25 → "0.75". */
export function formatTick(value: number, step: number): string {
  return noNegativeZero(value.toFixed(stepDecimals(step)));
}

export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** An SVG coordinate: rounded to 2 decimals, without trailing zeros. */
export function coord(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 100) / 100 + 0) : '0';
}

function noNegativeZero(s: string): string {
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * Replaces characters XML 1.0 forbids even when escaped (C0 controls other than tab/LF/CR, lone
 * surrogates, U+FFFE/U+FFFF) with U+FFFD; user data could contain them and they would make the
 * document ill-formed.
 */
export function xmlSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const allowed =
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff);
    out += allowed ? ch : '\uFFFD';
  }
  return out;
}

/** Escapes text for use in XML element content or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Shortens text to at most `max` characters (code points), ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** Greedy word wrap to lines of at most `max` characters; a longer word gets a line to itself. */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (Array.from(line).length + 1 + Array.from(word).length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** "· 12 mo" after a no-break space (which SVG text keeps) for a timepoint, '' when there is none. */
export function formatTimepoint(months: number | null | undefined): string {
  if (months === null || months === undefined || !Number.isFinite(months)) return '';
  return `\u00A0· ${Number.isInteger(months) ? months : months.toFixed(1)} mo`;
}
