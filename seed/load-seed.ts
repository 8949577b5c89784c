import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db } from '../src/db/client';
import { TrialInput } from '../src/schemas/trial-input';
import { insertTrial, inTransaction, loadTrial, wasDeleted } from '../src/store/trial-store';

/** The shipped data: real registry records and one publication, then the illustrative set. */
export const SEED_FILES = [
  new URL('./registry-trials.json', import.meta.url),
  new URL('./illustrative-trials.json', import.meta.url),
];

export interface SeedReport {
  created: number;
  unchanged: number;
}

/**
 * Seed records get ids derived from their content's identity (registry id, else title), so
 * loading twice changes nothing, and a curator's later edits or deletions are never undone.
 */
function seedId(record: { registryIds: string[] }, file: URL, index: number): string {
  const key = record.registryIds[0]?.toUpperCase() ?? `${file.pathname.split('/').at(-1)}#${index}`;
  return `seed_${createHash('sha256').update(key).digest('base64url').slice(0, 12)}`;
}

export function loadSeed(db: Db, files: readonly URL[] = SEED_FILES): SeedReport {
  const records = files.flatMap((file) =>
    (JSON.parse(readFileSync(file, 'utf8')) as { trials: unknown[] }).trials.map((raw, index) => ({
      raw,
      file,
      index,
    })),
  );
  const report: SeedReport = { created: 0, unchanged: 0 };
  inTransaction(db, () => {
    for (const { raw, file, index } of records) {
      const input = TrialInput.parse(raw);
      const id = seedId(input, file, index);
      if (loadTrial(db, id) || wasDeleted(db, id)) {
        report.unchanged += 1;
        continue;
      }
      insertTrial(db, input, { changedBy: 'seed', channel: 'IMPORT' }, id);
      report.created += 1;
    }
  });
  return report;
}

export function isCatalogueEmpty(db: Db): boolean {
  const row = db.$client.prepare('SELECT count(*) AS n FROM revisions').get() as { n: number };
  return row.n === 0;
}
