import { arr, obj, str } from './json';

/** A results group (participant flow, baseline or outcome measure): `FG000`, `BG000`, `OG000`… */
export interface ResultGroup {
  id: string;
  title: string | null;
  description: string | null;
}

export interface ArmKey {
  label: string;
  description: string | null;
}

export function readGroups(groups: unknown): ResultGroup[] {
  return arr(groups).flatMap((raw) => {
    const group = obj(raw);
    const id = str(group.id);
    return id === null ? [] : [{ id, title: str(group.title), description: str(group.description) }];
  });
}

const normalise = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The arm a results group reports on, or null. ClinicalTrials.gov does not link results groups to
 * arm groups, so they are matched by, in order:
 *  1. the group title equal to an arm label (case-insensitive, whitespace trimmed);
 *  2. the group description equal to the description of exactly one arm (results groups are often
 *     created from the arm, keeping its description while the title is reworded);
 *  3. a study with a single arm whose results have a single group.
 * Nothing fuzzier: a wrong match would attach another arm's numbers.
 */
export function matchGroupToArm(group: ResultGroup, arms: ArmKey[], groupCount: number): string | null {
  if (group.title !== null) {
    const title = normalise(group.title);
    const byTitle = arms.find((arm) => normalise(arm.label) === title);
    if (byTitle) return byTitle.label;
  }
  if (group.description !== null) {
    const description = normalise(group.description);
    const byDescription = arms.filter(
      (arm) => arm.description !== null && normalise(arm.description) === description,
    );
    if (byDescription.length === 1) return (byDescription[0] as ArmKey).label;
  }
  if (arms.length === 1 && groupCount === 1) return (arms[0] as ArmKey).label;
  return null;
}
