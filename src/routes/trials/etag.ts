/** A strong ETag per version: it changes with every write of the trial. */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

/** The version an If-Match / If-None-Match header names, or null when it names none of ours. */
export function versionsIn(header: string): number[] {
  return header
    .split(',')
    .map((tag) => /^\s*(?:W\/)?"v(\d+)"\s*$/.exec(tag)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}

export function matchesAny(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return versionsIn(header).includes(version);
}
