/**
 * Each distinct query of a rotation once, one request at a time, before any load: every answer
 * is computed (no cache holds it yet), so this is the cold latency the goals speak of, and the
 * slowest query of the rotation is named.
 */
export async function coldPass(
  base: string,
  paths: string[],
): Promise<{
  p50: number;
  p99: number;
  max: number;
  worst: string;
  failed: number;
  refused: number;
  maxKb: number;
}> {
  const timed: { ms: number; path: string }[] = [];
  // The largest answer's size: a whole-catalogue answer must stay bounded however big the catalogue.
  let maxBytes = 0;
  // A 5xx (a 503 from a full queue or a timeout) is fast for the wrong reason: the question went
  // unanswered. A 4xx is the service's answer to the question as asked (an evidence analysis over
  // ANALYSIS_MAX_STUDIES is refused once the meta-analysis has counted its studies): it is timed
  // like any answer and counted apart, so the reader sees how many there were.
  let failed = 0;
  let refused = 0;
  for (const path of paths) {
    const started = performance.now();
    const res = await fetch(base + path);
    maxBytes = Math.max(maxBytes, (await res.arrayBuffer()).byteLength);
    timed.push({ ms: performance.now() - started, path });
    if (res.status >= 500) failed++;
    else if (res.status >= 400) refused++;
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
    refused,
    maxKb: Math.ceil(maxBytes / 1024),
  };
}

/**
 * Waits until both analysis lanes have run what the previous phase's load left queued: the load
 * generator stops sending, but at a million trials its queued analyses run on for minutes, and a
 * cold pass started then meets a full queue (503s) or waits behind them. Each probe is a question
 * not asked before (its timepoint bound is new), so it is computed, queued behind whatever is
 * left; a 503 means the queue is still full, and the probe is sent again after a pause.
 */
export async function lanesDrained(base: string, maxWaitMs = 20 * 60_000): Promise<void> {
  const probes = (n: number) => [
    `/meta-analyses/bmd?site=DISTAL_RADIUS&metric=T_SCORE_CHANGE&cellSource=IPSC&timepointMin=${n}`,
    `/summaries/bmd-change?groupBy=route&cellSource=IPSC&status=WITHDRAWN&timepointMin=${n}`,
  ];
  const until = Date.now() + maxWaitMs;
  for (let n = 1000 + Math.floor(Math.random() * 1e6); Date.now() < until; n++) {
    const answers = await Promise.all(probes(n).map(async (path) => (await fetch(base + path)).status));
    if (answers.every((status) => status < 500)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
