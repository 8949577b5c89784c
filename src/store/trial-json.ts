import type { Trial } from '../schemas/trial';

/**
 * A trial's JSON, computed once per materialised trial: a write stores the same text as the
 * served document and as the revision snapshot, and imports write thousands of them.
 */
const serialised = new WeakMap<Trial, string>();

export function trialJson(trial: Trial): string {
  let json = serialised.get(trial);
  if (json === undefined) {
    json = JSON.stringify(trial);
    serialised.set(trial, json);
  }
  return json;
}
