import { sameTrial } from '../domain/trial-comparison';
import type { Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import type { Lookups } from './lookups';

type Keyed = Pick<Trial, 'startDate' | 'completionDate' | 'enrollment' | 'sponsor'> & {
  arms: readonly { label: string; participants: number | null }[];
  bmdResults: readonly { site: string; timepointMonths: number; n: number; mean: number }[];
};

/** A cheap summary that identical trials share; a match is then confirmed field by field. */
function quickKey(trial: Keyed): string {
  return JSON.stringify([
    trial.startDate,
    trial.completionDate,
    trial.enrollment?.count ?? null,
    trial.sponsor,
    trial.arms.map((a) => [a.label, a.participants]),
    trial.bmdResults.map((r) => [r.site, r.timepointMonths, r.n, r.mean]),
  ]);
}

/**
 * Finds the stored trial identical to a record that has neither a registry id nor an id. Titles
 * repeat (made-up and templated records share them), so stored trials of a title are indexed
 * once per import by a quick key rather than each compared in full for every record.
 */
export class TwinIndex {
  private readonly byTitle = new Map<string, Map<string, string[]>>();

  constructor(private readonly find: Lookups) {}

  private keysOf(title: string): Map<string, string[]> {
    let keys = this.byTitle.get(title);
    if (!keys) {
      keys = new Map();
      for (const id of this.find.titled(title)) {
        const stored = this.find.storedTrial(id);
        if (stored) keys.set(quickKey(stored), [...(keys.get(quickKey(stored)) ?? []), id]);
      }
      this.byTitle.set(title, keys);
    }
    return keys;
  }

  twinOf(input: TrialInput): Trial | null {
    for (const id of this.keysOf(input.title).get(quickKey(input)) ?? []) {
      const stored = this.find.storedTrial(id);
      if (stored && sameTrial(input, stored)) return stored;
    }
    return null;
  }

  /** Records a trial this import created, so that a later identical record finds it. */
  add(input: TrialInput, id: string): void {
    const keys = this.keysOf(input.title);
    const key = quickKey(input);
    const ids = keys.get(key) ?? [];
    if (!ids.includes(id)) keys.set(key, [...ids, id]);
  }
}
