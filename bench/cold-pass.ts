/**
 * Each distinct query of a rotation once, one request at a time, before any load: every answer
 * is computed (no cache holds it yet), so this is the cold latency the goals speak of, and the
 * slowest query of the rotation is named.
 */
export async function coldPass(
  base: string,
  paths: string[],
): Promise<{ p50: number; p99: number; max: number; worst: string; failed: number }> {
  const timed: { ms: number; path: string }[] = [];
  // An answer that is not a 2xx (a 503 from a full queue or a timeout) is fast for the wrong reason.
  let failed = 0;
  for (const path of paths) {
    const started = performance.now();
    const res = await fetch(base + path);
    await res.arrayBuffer();
    timed.push({ ms: performance.now() - started, path });
    if (!res.ok) failed++;
  }
  const sorted = [...timed].sort((a, b) => a.ms - b.ms);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.ms ?? 0;
  const worst = sorted.at(-1);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(worst?.ms ?? 0),
    worst: worst?.path ?? '',
    failed,
  };
}
