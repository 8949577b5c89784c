import type { z } from 'zod';
import type { Db } from '../db/client';
import { TrialInput } from '../schemas/trial-input';
import { stampOf, updateTrial, type WriteContext } from '../store/trial-store';
import { createCheckedTrial } from './create-trial';
import { type CsvTrialGroup, csvIssue, groupCsvRows } from './csv-groups';
import { type CsvMerge, mergeCsvGroup } from './csv-merge';
import { lookups } from './lookups';
import { attemptWrite, type Claims, noteOutcome, type Tally, tallyFull } from './tally';
import type { CsvResultRow, ImportIssue } from './types';

const TRIAL_COLUMN: Record<string, string> = { title: 'trialTitle', id: 'trialId' };
const ARM_COLUMN: Record<string, string> = { label: 'armLabel', type: 'armType', id: 'armId' };

/** The row and column a write-schema issue on an assembled trial comes from. */
function locate(issue: z.core.$ZodIssue, merge: CsvMerge, first: CsvResultRow): ImportIssue {
  const [part, position, field] = issue.path;
  if (part === 'arms' && typeof position === 'number') {
    const row = merge.armRows[position] ?? first;
    return csvIssue(row, ARM_COLUMN[String(field)] ?? String(field ?? 'armLabel'), issue.message);
  }
  if (part === 'bmdResults' && typeof position === 'number') {
    const row = merge.resultRows[position] ?? first;
    const column = field === 'armId' || field === undefined ? 'armLabel' : String(field);
    return csvIssue(row, column, issue.message);
  }
  if (part === 'provenance')
    return csvIssue(first, position === 'kind' ? 'provenanceKind' : 'provenanceSources', issue.message);
  if (part === 'references')
    return csvIssue(
      first,
      'provenanceKind',
      `${issue.message}; a CSV row carries no references, so create such a trial by POST /trials or a bundle ` +
        'import, then add its results by CSV',
    );
  return csvIssue(first, TRIAL_COLUMN[String(part)] ?? String(part ?? 'trialId'), issue.message);
}

function applyGroup(db: Db, group: CsvTrialGroup, ctx: WriteContext, tally: Tally, claims: Claims): void {
  const find = lookups(db);
  const first = group.rows[0] as CsvResultRow;
  const owner = `trial:${group.stored?.id ?? group.newId ?? `line ${first.line}`}`;
  const isArmIdFree = (armId: string) =>
    find.armOwner(armId) === undefined && claims.take(`arm:${armId}`, owner) === undefined;
  const before = tally.rejected.length;
  const merge = mergeCsvGroup(group, isArmIdFree, tally.rejected, tally.warnings);
  if (tally.rejected.length > before) return;
  const { stored } = group;
  if (stored && merge.added === 0) {
    tally.unchanged += 1;
    noteOutcome(tally, first, stored, 'UNCHANGED');
    tally.rowsUnchanged += merge.unchanged;
    return;
  }
  const parsed = TrialInput.safeParse(merge.body);
  if (!parsed.success) {
    tally.rejected.push(...parsed.error.issues.map((issue) => locate(issue, merge, first)));
    return;
  }
  const reject = (message: string) => tally.rejected.push(csvIssue(first, 'trialId', message, 'CONFLICT'));
  if (stored) {
    if (!attemptWrite(() => updateTrial(db, stored.id, parsed.data, ctx), reject)) return;
    tally.updated += 1;
    noteOutcome(tally, first, stored, 'UPDATED');
  } else {
    if (group.newId !== undefined && find.wasDeleted(group.newId))
      tally.warnings.push({
        index: first.index,
        code: 'RECREATES_DELETED_TRIAL',
        message: `line ${first.line}: trial ${group.newId} had been deleted; this import creates it again (its history is kept)`,
        ...(first.source ? { source: first.source } : {}),
      });
    const stamp = stampOf(ctx);
    let created = { id: '', title: parsed.data.title, assignedId: group.newId === undefined };
    const create = () => {
      created = { ...created, id: createCheckedTrial(db, parsed.data, stamp, group.newId).id };
    };
    if (!attemptWrite(create, reject)) return;
    tally.created += 1;
    noteOutcome(tally, first, created, 'CREATED');
  }
  tally.rowsAdded += merge.added;
  tally.rowsUnchanged += merge.unchanged;
}

/**
 * Loads CSV result rows: each trial the rows name is created, gains the new arms and results
 * (one new revision), or is left as it is when every row matches a stored result.
 */
export function applyCsvRows(
  db: Db,
  rows: readonly CsvResultRow[],
  ctx: WriteContext,
  tally: Tally,
  claims: Claims,
): void {
  const groups = groupCsvRows(rows, lookups(db), claims, tally.rejected);
  let grouped = 0;
  for (const group of groups) {
    if (tallyFull(tally)) break;
    applyGroup(db, group, ctx, tally, claims);
    for (const _row of group.rows) tally.step();
    grouped += group.rows.length;
  }
  for (let i = grouped; i < rows.length; i++) tally.step();
}
