import { arr, type JsonObject, obj, str, strings } from './json';

/** One intervention as the arm mappers read it. */
export interface Intervention {
  /** ClinicalTrials.gov intervention type (DRUG, BIOLOGICAL, GENETIC, …) or null. */
  type: string | null;
  name: string;
  description: string | null;
  otherNames: string[];
}

export function readInterventions(
  armsModule: JsonObject,
): { intervention: Intervention; armLabels: string[] }[] {
  return arr(armsModule.interventions).flatMap((raw) => {
    const iv = obj(raw);
    const name = str(iv.name);
    if (name === null) return [];
    return [
      {
        intervention: {
          type: str(iv.type)?.toUpperCase() ?? null,
          name,
          description: str(iv.description),
          otherNames: strings(iv.otherNames),
        },
        armLabels: strings(iv.armGroupLabels),
      },
    ];
  });
}

/**
 * An arm's interventions, linked either way ClinicalTrials.gov records it: the intervention's
 * armGroupLabels, or the arm's interventionNames ("Drug: Zoledronic acid", "Biological: MSC").
 * An interventionName that matches no intervention still counts, as a name without a description.
 */
export function interventionsOfArm(
  label: string,
  interventionNames: string[],
  all: { intervention: Intervention; armLabels: string[] }[],
): Intervention[] {
  const key = (s: string) => s.trim().toLowerCase();
  const linked = new Set<Intervention>();
  for (const { intervention, armLabels } of all) {
    if (armLabels.some((l) => key(l) === key(label))) linked.add(intervention);
  }
  for (const typedName of interventionNames) {
    // "Type: Name"; the name itself may contain a colon, so only the first one separates.
    const colon = typedName.indexOf(':');
    const name = colon >= 0 ? typedName.slice(colon + 1).trim() : typedName.trim();
    const match = all.find(({ intervention }) => key(intervention.name) === key(name));
    if (match) linked.add(match.intervention);
    else if (name !== '' && ![...linked].some((iv) => key(iv.name) === key(name)))
      linked.add({
        type: colon >= 0 ? typedName.slice(0, colon).trim().toUpperCase() : null,
        name,
        description: null,
        otherNames: [],
      });
  }
  return [...linked];
}
