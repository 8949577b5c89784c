import { vocabularies } from '../../src/vocabularies';
import { cellArm, controlArm, result, type TrialBody, testTrial } from './catalogue';

/** A small deterministic generator, so the made-up catalogue is the same on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return { next, pick };
}

/**
 * Test data, not real trials: 150 made-up trials mixing what the comparison's reading depends on —
 * cell arms of several sources and routes in one trial, none or several controls, comparators,
 * two methods, baselines and timepoints, medians, SDs missing, doses, other sites and metrics,
 * phases, countries, statuses, allocations, risk of bias.
 */
export function madeUpTrials(count: number): TrialBody[] {
  const { next, pick } = generator(20261202);
  const v = vocabularies;
  return Array.from({ length: count }, (_, i) => {
    const cellArms = Array.from({ length: Math.floor(next() * 3) }, (_, k) =>
      cellArm(`Cells ${k}`, {
        cellSource: pick(['BONE_MARROW', 'BONE_MARROW', 'ADIPOSE', 'UMBILICAL_CORD'] as const),
        route: pick(['INTRAVENOUS', 'INTRAVENOUS', 'INTRAOSSEOUS', 'NOT_REPORTED'] as const),
        cellType: pick(['MSC', 'MSC', 'OTHER'] as const),
        donor: pick(['AUTOLOGOUS', 'ALLOGENEIC'] as const),
        dose: next() < 0.5 ? null : { cellsPerKg: next() < 0.7 ? 1e6 * (1 + k) : null, administrations: 2 },
      }),
    );
    const controls = Array.from({ length: Math.floor(next() * 2.4) }, (_, k) =>
      controlArm(`Control ${k}`, { comparator: pick(['PLACEBO', 'STANDARD_CARE'] as const) }),
    );
    const arms = [...cellArms, ...controls];
    if (!arms.length) arms.push(controlArm('Control 0'));
    const results = Array.from({ length: Math.floor(next() * 8) }, () =>
      result(
        pick(arms).label,
        5 + Math.floor(next() * 30),
        Math.round((next() * 8 - 2) * 1000) / 1000,
        null,
        {
          site: pick(['LUMBAR_SPINE', 'LUMBAR_SPINE', 'FEMORAL_NECK'] as const),
          metric: pick(['PERCENT_CHANGE', 'PERCENT_CHANGE', 'ABSOLUTE_CHANGE'] as const),
          method: pick(['DXA', 'DXA', 'QCT'] as const),
          statistic: pick(['MEAN', 'MEAN', 'LS_MEAN', 'MEDIAN'] as const),
          timepointMonths: pick([0, 6, 12, 12, 24]),
          sd: next() < 0.8 ? Math.round(next() * 3000) / 1000 + 0.1 : null,
          se: next() < 0.5 ? 0.4 : null,
        },
      ),
    );
    return testTrial(`made-up trial ${i}`, {
      overallStatus: pick(['COMPLETED', 'COMPLETED', 'RECRUITING', 'TERMINATED'] as const),
      allocation: pick(['RANDOMIZED', 'RANDOMIZED', 'NON_RANDOMIZED', null] as const),
      phases: next() < 0.5 ? ['PHASE2'] : ['PHASE1', 'PHASE2'],
      countries: [pick(['ES', 'CN', 'US'])],
      population: pick(v.population.values),
      riskOfBias:
        next() < 0.4 ? null : { tool: 'ROB2', overall: pick(['LOW', 'SOME_CONCERNS', 'HIGH'] as const) },
      arms,
      bmdResults: results,
    });
  });
}
