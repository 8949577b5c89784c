import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** One rma.uni() fit as stored in the oracle file (metafor's field names). */
export interface OracleFit {
  method: 'EE' | 'DL' | 'REML' | 'PM';
  test: 'z' | 'knha';
  k: number;
  estimate: number;
  se: number;
  pval: number;
  ci_lb: number;
  ci_ub: number;
  tau2: number;
  Q: number | null;
  Q_pval: number | null;
  I2: number | null;
  H2: number | null;
  pi_lb: number | null;
  pi_ub: number | null;
}

export interface OracleEffects {
  yi: number[];
  vi: number[];
  fits: Record<string, OracleFit>;
}

export interface TwoArmInput {
  n1i: number[];
  m1i: number[];
  sd1i: number[];
  n2i: number[];
  m2i: number[];
  sd2i: number[];
  yi: number[];
  vi: number[];
}

interface OracleFile {
  provenance: string;
  bcg_logRR: { published: string; input: { yi: number[]; vi: number[] }; fits: Record<string, OracleFit> };
  normand1999_MD_unpooled: {
    published: string;
    note: string;
    input: TwoArmInput;
    fits: Record<string, OracleFit>;
  };
  normand1999_MD_pooledSD: {
    published: string;
    note: string;
    input: TwoArmInput;
    fits: Record<string, OracleFit>;
  };
  normand1999_SMD: { published: string; note: string; input: TwoArmInput; fits: Record<string, OracleFit> };
  raudenbush1985_SMD: {
    published: string;
    input: { yi: number[]; vi: number[] };
    fits: Record<string, OracleFit>;
  };
  morris2008_prepost: {
    source: string;
    published: string;
    MC: OracleEffects;
    SMCR: OracleEffects;
    SMCC: OracleEffects;
  };
  normand1999_MN_group1: {
    note: string;
    input: { ni: number[]; mi: number[]; sdi: number[]; yi: number[]; vi: number[] };
    fits: Record<string, OracleFit>;
  };
}

/** R metafor 3.8-1 reference fits, copied into test/fixtures with their provenance (test/fixtures/README.md). */
export const oracles = JSON.parse(
  readFileSync(new URL('../fixtures/meta-analysis-oracles.json', import.meta.url), 'utf8'),
) as OracleFile;

/** A data set to pool: its name, where its figures come from, its effects and the reference fits. */
export interface OracleCase {
  name: string;
  source: string;
  yi: number[];
  vi: number[];
  fits: Record<string, OracleFit>;
}

export const oracleCases: OracleCase[] = [
  {
    name: 'bcg_logRR',
    source: oracles.bcg_logRR.published,
    ...oracles.bcg_logRR.input,
    fits: oracles.bcg_logRR.fits,
  },
  fromInput('normand1999_MD_unpooled', oracles.normand1999_MD_unpooled),
  fromInput('normand1999_MD_pooledSD', oracles.normand1999_MD_pooledSD),
  fromInput('normand1999_SMD', oracles.normand1999_SMD),
  fromInput('raudenbush1985_SMD', oracles.raudenbush1985_SMD),
  ...(['MC', 'SMCR', 'SMCC'] as const).map((measure) => ({
    name: `morris2008_prepost ${measure}`,
    source: `${oracles.morris2008_prepost.source}; ${oracles.morris2008_prepost.published}`,
    ...oracles.morris2008_prepost[measure],
  })),
  {
    name: 'normand1999_MN_group1',
    source: oracles.normand1999_MN_group1.note,
    yi: oracles.normand1999_MN_group1.input.yi,
    vi: oracles.normand1999_MN_group1.input.vi,
    fits: oracles.normand1999_MN_group1.fits,
  },
];

function fromInput(
  name: string,
  set: {
    published: string;
    note?: string;
    input: { yi: number[]; vi: number[] };
    fits: Record<string, OracleFit>;
  },
): OracleCase {
  const source = set.note === undefined ? set.published : `${set.published} (${set.note})`;
  return { name, source, yi: set.input.yi, vi: set.input.vi, fits: set.fits };
}

/** Element i, failing loudly instead of yielding undefined when the fixture is malformed. */
export function at<T>(values: readonly T[], i: number): T {
  const value = values[i];
  if (value === undefined) throw new Error(`fixture has no element ${i}`);
  return value;
}

/**
 * Relative error 1e-6 against the reference. Where the reference is exactly 0 (τ² under EE, a
 * p-value that underflowed in R) a relative error is meaningless, so the absolute error must be
 * within 1e-9 instead.
 */
export function toleranceFor(expected: number): number {
  return expected === 0 ? 1e-9 : 1e-6 * Math.abs(expected);
}

/** Each field of a pooled result beside the metafor field it is checked against. */
export const POOLED_FIELDS = [
  ['estimate', 'estimate'],
  ['se', 'se'],
  ['ciLower', 'ci_lb'],
  ['ciUpper', 'ci_ub'],
  ['pValue', 'pval'],
  ['tau2', 'tau2'],
  ['i2', 'I2'],
  ['h2', 'H2'],
  ['q', 'Q'],
  ['qPValue', 'Q_pval'],
  ['predictionLower', 'pi_lb'],
  ['predictionUpper', 'pi_ub'],
] as const;

type PooledField = (typeof POOLED_FIELDS)[number][0];
type MetaforField = (typeof POOLED_FIELDS)[number][1];

/**
 * The reference value of a metafor field. metafor stores no prediction interval for EE fits
 * (null); with τ² = 0 the prediction interval is by definition the confidence interval, which is
 * what a pooled result reports.
 */
export function expectedValue(fit: OracleFit, key: MetaforField): number | null {
  if (key === 'pi_lb' && fit.pi_lb === null) return fit.ci_lb;
  if (key === 'pi_ub' && fit.pi_ub === null) return fit.ci_ub;
  return fit[key];
}

/** `actual` is a number within toleranceFor(want) of the reference value. */
export function expectClose(actual: unknown, want: number, label: string): void {
  expect(typeof actual, label).toBe('number');
  expect(Math.abs((actual as number) - want), `${label}: got ${actual}, want ${want}`).toBeLessThanOrEqual(
    toleranceFor(want),
  );
}

/**
 * Every field of a pooled result against a metafor fit: null where metafor has no value, else
 * within tolerance. `label` names the data set and fit in each failure message.
 */
export function expectPooledMatches(
  pooled: Readonly<Record<PooledField, unknown>>,
  fit: OracleFit,
  label: string,
): void {
  for (const [ours, theirs] of POOLED_FIELDS) {
    const want = expectedValue(fit, theirs);
    const fieldLabel = `${label} pooled.${ours} (metafor ${theirs})`;
    if (want === null) expect(pooled[ours], fieldLabel).toBeNull();
    else expectClose(pooled[ours], want, fieldLabel);
  }
}
