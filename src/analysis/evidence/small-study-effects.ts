import { beggTest } from '../../domain/evidence/begg';
import { eggerTest } from '../../domain/evidence/egger';
import { trimAndFill } from '../../domain/evidence/trim-and-fill';
import { CannotPoolError } from '../../domain/meta-analysis';
import { evidenceContext, type PooledBase } from './evidence-base';

/** Below this many studies the tests have little power to tell small-study effects from chance. */
export const FEW_STUDIES = 10;

/** A test's result, or null and why (too few studies, or data it cannot use). */
function attempt<T>(run: () => T): { value: T | null; reason: string | null } {
  try {
    return { value: run(), reason: null };
  } catch (error) {
    if (error instanceof CannotPoolError) return { value: null, reason: error.message };
    throw error;
  }
}

/**
 * Egger's regression test (metafor regtest(model = "lm")), Begg's rank correlation (ranktest) and
 * trim-and-fill (trimfill, estimator L0, with the requested τ² estimator) on the pooled studies.
 */
export function smallStudyEffectsAnswer(base: PooledBase) {
  const { effects, options } = base;
  const context = evidenceContext(base);
  const egger = attempt(() => eggerTest(effects));
  const begg = attempt(() => beggTest(effects));
  const trimFill = attempt(() => trimAndFill(effects, options));
  const warnings =
    effects.length < FEW_STUDIES
      ? [
          ...context.warnings,
          {
            code: 'FEW_STUDIES_FOR_SMALL_STUDY_TESTS',
            message:
              `Only ${effects.length} ${effects.length === 1 ? 'study' : 'studies'}: with fewer than ${FEW_STUDIES}, ` +
              'these tests cannot reliably tell small-study effects from chance (Cochrane Handbook 13.3.5.4).',
          },
        ]
      : context.warnings;
  return {
    ...context,
    warnings,
    egger: egger.value,
    eggerReason: egger.reason,
    begg: begg.value && { kendallTau: begg.value.tau, pValue: begg.value.pValue, exact: begg.value.exact },
    beggReason: begg.reason,
    trimFill: trimFill.value,
    trimFillReason: trimFill.reason,
  };
}
