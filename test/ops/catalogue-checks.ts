import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';

/**
 * What must hold in any catalogue file, however its writer stopped: every trial's versions are
 * 1..n with no gap, the latest revision of a live trial is its stored document, and a trial that
 * is gone ended with a DELETE. Returns the problems found (none when sound).
 */
export function historyProblems(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const problems: string[] = [];
    const live = new Map(
      (
        db
          .prepare(
            'SELECT t.id, t.version, d.document FROM trials t LEFT JOIN trial_documents d ON d.trial_id = t.id',
          )
          .all() as { id: string; version: number; document: string | null }[]
      ).map((r) => [r.id, r]),
    );
    const revisions = db
      .prepare('SELECT trial_id AS id, version, action, snapshot FROM revisions ORDER BY trial_id, version')
      .all() as { id: string; version: number; action: string; snapshot: string }[];
    const byTrial = new Map<string, typeof revisions>();
    for (const r of revisions) byTrial.set(r.id, [...(byTrial.get(r.id) ?? []), r]);

    for (const [id, history] of byTrial) {
      const versions = history.map((r) => r.version);
      if (!versions.every((v, i) => v === i + 1)) problems.push(`${id}: versions ${versions.join(',')}`);
      const latest = history.at(-1);
      const trial = live.get(id);
      if (!trial) {
        if (latest?.action !== 'DELETE') problems.push(`${id}: gone without a DELETE revision`);
        continue;
      }
      if (latest?.version !== trial.version)
        problems.push(`${id}: at v${trial.version}, history ends at v${latest?.version}`);
      if (trial.document === null) problems.push(`${id}: no stored document`);
      else if (!isDeepStrictEqual(JSON.parse(latest?.snapshot ?? 'null'), JSON.parse(trial.document)))
        problems.push(`${id}: latest revision differs from the stored document`);
    }
    for (const id of live.keys()) if (!byTrial.has(id)) problems.push(`${id}: no revisions`);
    return problems;
  } finally {
    db.close();
  }
}

/** Live trials of a catalogue file by id, with their version. */
export function liveVersions(path: string): Map<string, number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, version FROM trials').all() as { id: string; version: number }[];
    return new Map(rows.map((r) => [r.id, r.version]));
  } finally {
    db.close();
  }
}
