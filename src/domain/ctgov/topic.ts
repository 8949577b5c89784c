import { arr, obj, strings } from './json';
import type { MappedArm, Topic } from './types';

/**
 * Whether a ClinicalTrials.gov record belongs in this catalogue: it must name a bone condition
 * and give a cell-based intervention. The importer skips a record that fails either rule, with
 * the reason, unless asked to take it anyway (`allowOffTopic`). Rules (see README.md):
 *
 * - **Bone condition**: one of the record's conditions, keywords, brief title or official title
 *   names osteoporosis or osteopenia ("osteoporo…", "osteopeni…"), low bone mass or density,
 *   bone loss, bone mineral density (or "BMD"), bone density, or a fragility, osteoporotic,
 *   vertebral or hip fracture. The summary and outcomes are not read: many trials of other
 *   diseases measure BMD on the way.
 * - **Cell-based intervention**: at least one arm is a cell-therapy arm by the keyword rules of
 *   infer-cell-therapy.ts (an intervention that names stem, stromal, mesenchymal, mononuclear …
 *   cells, or "cells" in a biological product).
 */
export const BONE_CONDITION =
  /\bosteopor|\bosteopeni|\blow bone (?:mass|density|mineral density)\b|\bbone loss\b|\bbone mineral density\b|\bBMD\b|\bbone density\b|\b(?:fragility|osteoporotic|vertebral|hip) fractures?\b/i;

const listed = (values: readonly string[], none: string) =>
  values.length === 0 ? none : values.map((v) => `"${v}"`).join(', ');

/** Decides whether the mapped record is on topic, reading the protocol's conditions and titles. */
export function topicOf(protocol: Record<string, unknown>, arms: readonly MappedArm[]): Topic {
  const conditionsModule = obj(protocol.conditionsModule);
  const identification = obj(protocol.identificationModule);
  const conditions = strings(conditionsModule.conditions);
  const texts = [
    ...conditions,
    ...strings(conditionsModule.keywords),
    ...strings([identification.briefTitle, identification.officialTitle]),
  ];
  const reasons: string[] = [];
  if (!texts.some((text) => BONE_CONDITION.test(text)))
    reasons.push(`no bone condition (conditions: ${listed(conditions, 'none given')})`);
  if (!arms.some((arm) => arm.cellSource !== null)) {
    const interventions = strings(
      arr(obj(protocol.armsInterventionsModule).interventions).map((iv) => obj(iv).name),
    );
    reasons.push(`no cell-based intervention (interventions: ${listed(interventions, 'none given')})`);
  }
  return {
    onTopic: reasons.length === 0,
    reason: reasons.length ? `off topic: ${reasons.join('; ')}` : null,
  };
}
