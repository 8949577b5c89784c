import type { Db } from '../db/client';
import { sameTrial } from '../domain/trial-comparison';
import type { Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import { stampOf, updateTrial, type WriteContext } from '../store/trial-store';
import { createCheckedTrial } from './create-trial';
import { keepStoredKind } from './keep-kind';
import { type Lookups, lookups } from './lookups';
import { refreshFromRegistry } from './registry-merge';
import { attemptWrite, type Claims, describe, noteOutcome, type Tally, tallyFull } from './tally';
import { TwinIndex } from './twin-index';
import type { ImportIssue, ImportWarning, RejectionCode, TrialRecord } from './types';

/** Rejects the record at a path inside it; CONFLICT unless another code is given. */
type Reject = (path: string, message: string, code?: RejectionCode) => void;

/**
 * The record as it would replace `stored`: arms keep their ids (matched by label), and a
 * registry record keeps what only a curator fills in (baseline, risk of bias, dose, safety).
 */
function adopt(record: TrialRecord, stored: Trial): TrialInput {
  const { input, keepCurated } = record;
  const storedArms = new Map(stored.arms.map((arm) => [arm.label, arm]));
  const arms = input.arms.map((arm) => {
    const old = storedArms.get(arm.label);
    if (!old) return arm;
    return {
      ...arm,
      id: arm.id ?? old.id,
      ...(keepCurated ? { dose: arm.dose ?? old.dose, safety: arm.safety ?? old.safety } : {}),
    };
  });
  if (!keepCurated) return { ...input, arms };
  return {
    ...input,
    arms,
    baseline: input.baseline ?? stored.baseline,
    riskOfBias: input.riskOfBias ?? stored.riskOfBias,
  };
}

interface Match {
  stored: Trial | null;
  /** The id the record writes: the stored trial's, else its own `id` (kept on create), else none. */
  id: string | undefined;
}

/** A record with neither registry id nor id can only be recognised when a stored trial equals it. */
const unkeyed = (input: TrialInput) => input.registryIds.length === 0 && input.id === undefined;

/**
 * Matches a record on a registry id, else on its `id`; conflicting matches are rejections. A
 * record with neither matches only a stored trial identical to it, so that re-importing a file
 * changes nothing while no guess ever overwrites a trial.
 */
function match(record: TrialRecord, find: Lookups, twins: TwinIndex, reject: Reject): Match {
  const { input } = record;
  if (unkeyed(input)) {
    const twin = twins.twinOf(input);
    return { stored: twin, id: twin?.id };
  }
  const owners = new Set<string>();
  for (const registryId of input.registryIds) {
    const owner = find.registryOwner(registryId);
    if (owner !== undefined) owners.add(owner);
  }
  if (owners.size > 1) {
    reject('/registryIds', `its registry ids belong to different trials: ${[...owners].join(', ')}`);
    return { stored: null, id: undefined };
  }
  const [owner] = owners;
  if (owner !== undefined && input.id !== undefined && input.id !== owner)
    reject('/id', `its registry ids belong to trial ${owner}, not to trial ${input.id}`);
  const stored = find.storedTrial(owner ?? input.id ?? '');
  return { stored, id: stored?.id ?? input.id };
}

/** In-run duplicates and arm ids owned by other trials. */
function checkClaims(
  record: TrialRecord,
  input: TrialInput,
  target: Match,
  find: Lookups,
  claims: Claims,
  reject: Reject,
): void {
  const me = describe('record', record.index, record.source);
  input.registryIds.forEach((registryId, i) => {
    const other = claims.take(`registry:${registryId.toUpperCase()}`, me);
    if (other) reject(`/registryIds/${i}`, `registry id ${registryId} is also in ${other}`, 'DUPLICATE_ID');
  });
  if (target.id !== undefined) {
    const other = claims.take(`trial:${target.id}`, me);
    if (other) reject(target.stored ? '' : '/id', `${other} also writes trial ${target.id}`, 'DUPLICATE_ID');
  }
  input.arms.forEach((arm, i) => {
    if (arm.id === undefined) return;
    const owner = find.armOwner(arm.id);
    if (owner !== undefined && owner !== target.stored?.id)
      reject(`/arms/${i}/id`, `arm id ${arm.id} belongs to trial ${owner}`);
    const other = claims.take(`arm:${arm.id}`, me);
    if (other) reject(`/arms/${i}/id`, `arm id ${arm.id} is also in ${other}`, 'DUPLICATE_ID');
  });
}

function recreated(record: TrialRecord, id: string): ImportWarning {
  return {
    index: record.index,
    code: 'RECREATES_DELETED_TRIAL',
    message: `trial ${id} had been deleted; this import creates it again (its history is kept)`,
    ...(record.source ? { source: record.source } : {}),
  };
}

function fewerResults(record: TrialRecord, stored: Trial, dropped: number): ImportWarning {
  return {
    index: record.index,
    code: 'FEWER_BMD_RESULTS',
    message:
      `trial ${stored.id} had ${stored.bmdResults.length} BMD results and this record has ${dropped} fewer; ` +
      'the record replaces them (the previous version stays in the trial’s revisions)',
    ...(record.source ? { source: record.source } : {}),
  };
}

/** One warning for all records created without a key, naming the first. */
function unkeyedWarning(records: TrialRecord[]): ImportWarning {
  const [first] = records as [TrialRecord];
  const count = records.length === 1 ? '1 record has' : `${records.length} records have`;
  return {
    index: null,
    code: 'RECORDS_WITHOUT_KEY',
    message:
      `${count} neither a registry id nor an id (the first: ${describe('record', first.index, first.source)}): ` +
      'a later import recognises such a record only while it is identical; give it an id to update it by import',
  };
}

/** Creates, replaces or leaves each whole-trial record; problems become rejections by index. */
export function applyTrialRecords(
  db: Db,
  records: readonly TrialRecord[],
  ctx: WriteContext,
  tally: Tally,
  claims: Claims,
): void {
  const find = lookups(db);
  const stamp = stampOf(ctx);
  const createdUnkeyed: TrialRecord[] = [];
  const twins = new TwinIndex(find);
  for (const record of records) {
    if (tallyFull(tally)) break;
    const issues: ImportIssue[] = [];
    const reject: Reject = (path, message, code = 'CONFLICT') =>
      issues.push({
        code,
        index: record.index,
        path,
        message,
        ...(record.source ? { source: record.source } : {}),
      });
    const target = match(record, find, twins, reject);
    const adopted = target.stored
      ? refreshFromRegistry(db, record, adopt(record, target.stored), target.stored, tally.warnings, reject)
      : record.input;
    const input = target.stored
      ? keepStoredKind(record, adopted, target.stored, tally.warnings, reject)
      : adopted;
    checkClaims(record, input, target, find, claims, reject);
    if (issues.length === 0) {
      const onRefusal = (message: string) => reject('', message);
      const { stored } = target;
      if (stored && sameTrial(input, stored)) {
        tally.unchanged += 1;
        noteOutcome(tally, record, { id: stored.id, title: input.title }, 'UNCHANGED');
      } else if (stored) {
        if (attemptWrite(() => updateTrial(db, stored.id, input, ctx), onRefusal)) {
          tally.updated += 1;
          noteOutcome(tally, record, { id: stored.id, title: input.title }, 'UPDATED');
          const dropped = stored.bmdResults.length - input.bmdResults.length;
          if (dropped > 0) tally.warnings.push(fewerResults(record, stored, dropped));
        }
      } else {
        if (target.id !== undefined && find.wasDeleted(target.id))
          tally.warnings.push(recreated(record, target.id));
        let createdId = '';
        const create = () => {
          const trial = createCheckedTrial(db, input, stamp, target.id);
          createdId = trial.id;
          if (unkeyed(input)) {
            // Claimed now that it has an id, so an identical record later in the run is a duplicate.
            claims.take(`trial:${trial.id}`, describe('record', record.index, record.source));
            twins.add(input, trial.id);
            createdUnkeyed.push(record);
          }
        };
        if (attemptWrite(create, onRefusal)) {
          tally.created += 1;
          const assignedId = target.id === undefined;
          noteOutcome(tally, record, { id: createdId, title: input.title, assignedId }, 'CREATED');
        }
      }
    }
    tally.rejected.push(...issues);
    tally.step();
  }
  if (createdUnkeyed.length) tally.warnings.push(unkeyedWarning(createdUnkeyed));
}
