import { sameJson } from '../domain/trial-comparison';
import type { Trial } from '../schemas/trial';
import type { RevisionSnapshot } from '../store/revision-snapshots';

/** Reads one value of a trial: undefined when the trial does not hold it (a result never recorded). */
export type ValueReader = (trial: Trial) => unknown;

/** Who set the values of one stored trial, as its revisions tell. */
export interface Curation {
  /**
   * True when the write that last set the value `read` finds in the stored trial came through the
   * `API` channel, or before revisions recorded channels: a curator's value, not the registry's.
   */
  isCurated(read: ValueReader): boolean;
}

/**
 * Decides from a trial's revisions (newest first, since it was created) which of its values are
 * curated. The revisions are read once, on the first question, and only when a refresh would
 * change a value: a record that agrees with the stored trial costs no history lookup at all.
 */
export function curationOf(stored: Trial, readRevisions: () => RevisionSnapshot[]): Curation {
  let revisions: RevisionSnapshot[] | undefined;
  return {
    isCurated(read) {
      revisions ??= readRevisions();
      const current = read(stored);
      // The setter is the oldest revision of the newest unbroken run that holds today's value.
      let setter: RevisionSnapshot | undefined;
      for (const revision of revisions) {
        if (!sameJson(read(revision.trial()), current)) break;
        setter = revision;
      }
      // No revision holds today's value: its origin is unknown, so it is not the registry's to overwrite.
      if (setter === undefined) return true;
      // A value absent ever since the trial was created was removed by no one: a new registry value may fill it.
      if (current === undefined && setter === revisions.at(-1) && setter.action === 'CREATE') return false;
      return setter.channel === null || setter.channel === 'API';
    },
  };
}
