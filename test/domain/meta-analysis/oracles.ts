import { readFileSync } from 'node:fs';

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

/** R metafor 3.8-1 reference fits, copied from the shared reference folder. */
export const oracles = JSON.parse(
  readFileSync(new URL('../../fixtures/meta-analysis-oracles.json', import.meta.url), 'utf8'),
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
