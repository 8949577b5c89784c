import type { Trial } from '../schemas/trial';
import type { Lookups } from './lookups';
import type { Claims } from './tally';
import type { CsvResultRow, ImportIssue, RejectionCode } from './types';

/** The rows of one trial: a stored one, or one this file creates. */
export interface CsvTrialGroup {
  stored: Trial | null;
  /** The id a new trial is created with (the rows' trialId), if they give one. */
  newId: string | undefined;
  rows: CsvResultRow[];
}

export function csvIssue(
  row: CsvResultRow,
  column: string,
  message: string,
  code: RejectionCode = 'INVALID_FIELD',
): ImportIssue {
  return {
    code,
    index: row.index,
    path: `/${column}`,
    message: `line ${row.line}, column ${column}: ${message}`,
    line: row.line,
    column,
    ...(row.source ? { source: row.source } : {}),
  };
}

/**
 * Sorts rows by trial: matched on `trialId`, else on a registry id; rows of a trial that is not
 * in the catalogue yet are grouped by their trialId, else by their registry ids.
 */
export function groupCsvRows(
  rows: readonly CsvResultRow[],
  find: Lookups,
  claims: Claims,
  rejected: ImportIssue[],
): CsvTrialGroup[] {
  const groups = new Map<string, CsvTrialGroup>();
  for (const row of rows) {
    const owners = new Set<string>();
    for (const registryId of row.registryIds) {
      const owner = find.registryOwner(registryId);
      if (owner !== undefined) owners.add(owner);
    }
    const foreign = [...owners].filter((owner) => owner !== (row.trialId ?? owner));
    if (foreign.length || owners.size > 1) {
      const names = [...owners].join(', ');
      rejected.push(
        csvIssue(
          row,
          'registryIds',
          row.trialId
            ? `a registry id of this row belongs to trial ${names}, not to trial ${row.trialId}`
            : `the registry ids of this row belong to different trials: ${names}`,
          'CONFLICT',
        ),
      );
      continue;
    }
    const trialId = row.trialId ?? [...owners][0];
    const key = trialId
      ? `id:${trialId}`
      : `new:${row.registryIds
          .map((r) => r.toUpperCase())
          .sort()
          .join(';')}`;
    let group = groups.get(key);
    if (!group) {
      const stored = trialId === undefined ? null : find.storedTrial(trialId);
      group = { stored, newId: stored ? undefined : trialId, rows: [] };
      if (!stored && !claimRegistryIds(row, key, claims, rejected)) continue;
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}

/** A new trial's registry ids must not be claimed by another new trial of the same file. */
function claimRegistryIds(row: CsvResultRow, key: string, claims: Claims, rejected: ImportIssue[]): boolean {
  let free = true;
  for (const registryId of row.registryIds) {
    const other = claims.take(`registry:${registryId.toUpperCase()}`, key);
    if (!other) continue;
    free = false;
    const otherTrial = other.replace(/^(id|new):/, '');
    rejected.push(
      csvIssue(
        row,
        'registryIds',
        `registry id ${registryId} is also given to another new trial (${otherTrial})`,
        'DUPLICATE_ID',
      ),
    );
  }
  return free;
}
