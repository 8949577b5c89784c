import { truncate } from './format';

/** What a study row is labelled by: its text and, to tell identical texts apart, an id. */
export interface LabelSource {
  label: string;
  id?: string | undefined;
}

const ELLIPSIS = '…';
/** The least of a label's start kept before an ellipsis when its distinguishing end is shown. */
const MIN_HEAD = 15;
/** A head is cut back to a word's end when that keeps at least this much of it. */
const MIN_WORD_HEAD = 8;

const chars = (text: string) => Array.from(text);

/** Where the labels of a group stop agreeing: the start of the word in which they first differ. */
function divergence(labels: readonly string[]): number {
  const all = labels.map(chars);
  const shortest = Math.min(...all.map((c) => c.length));
  let at = 0;
  while (at < shortest && all.every((c) => c[at] === all[0]?.[at])) at++;
  const first = all[0] ?? [];
  while (at > 0 && !/\s/u.test(first[at - 1] ?? '')) at--;
  return at;
}

/**
 * Keeps the first `headLength` characters of a label and its part from `from` on, with an ellipsis
 * between, in at most `max` characters: "[Illustrative] In…secondary osteoporosis".
 */
function keepEnd(label: string, from: number, headLength: number, max: number): string {
  const all = chars(label);
  if (from <= headLength) return truncate(label, max);
  let head = all.slice(0, headLength).join('');
  const lastSpace = head.search(/\s\S*$/u);
  if (!/\s/u.test(all[headLength] ?? ' ') && lastSpace >= MIN_WORD_HEAD) head = head.slice(0, lastSpace);
  head = head.trimEnd();
  const tail = all.slice(from).join('').trim();
  return `${head}${ELLIPSIS}${truncate(tail, max - 1 - chars(head).length)}`;
}

/** The label with its id (or its row number) at the end, within `max` characters. */
function withId(label: string, id: string, max: number): string {
  const suffix = ` (${id})`;
  return `${truncate(label, Math.max(MIN_HEAD, max - chars(suffix).length))}${suffix}`;
}

/** Groups of row indexes whose labels read the same. */
function collisions(shown: readonly string[]): number[][] {
  const byText = new Map<string, number[]>();
  shown.forEach((text, i) => {
    byText.set(text, [...(byText.get(text) ?? []), i]);
  });
  return [...byText.values()].filter((rows) => rows.length > 1);
}

/**
 * Row labels of at most `max` characters that never read the same for two rows: each label is
 * shortened at its end; where that makes two rows alike, the part where their texts differ is kept
 * after an ellipsis; rows whose texts are the same (or still read alike) get their id, else their
 * row number, added.
 */
export function distinctLabels(rows: readonly LabelSource[], max: number): string[] {
  const shown = rows.map((row) => truncate(row.label, max));
  for (const group of collisions(shown)) {
    const labels = group.map((i) => rows[i]?.label ?? '');
    const from = divergence(labels);
    // One head for the whole group, as long as its longest distinguishing end allows.
    const longestEnd = Math.max(...labels.map((label) => chars(label).length - from));
    const headLength = Math.max(MIN_HEAD, max - 1 - longestEnd);
    group.forEach((i, j) => {
      shown[i] = keepEnd(labels[j] ?? '', from, headLength, max);
    });
  }
  for (const group of collisions(shown))
    for (const i of group) shown[i] = withId(rows[i]?.label ?? '', rows[i]?.id ?? `#${i + 1}`, max);
  for (const group of collisions(shown))
    for (const i of group) shown[i] = withId(shown[i] ?? '', `#${i + 1}`, max);
  return shown;
}
