import { readFileSync } from 'node:fs';

/**
 * metafor 3.8.1's results for the evidence analyses (leave1out, cumul, meta-regression, regtest,
 * ranktest, trimfill) on dat.bcg and dat.hackshaw1998, copied into test/fixtures with their
 * provenance (test/fixtures/README.md). Field names are metafor's.
 */
export interface EvidenceOracles {
  provenance: string;
  bcg: {
    source: string;
    input: { trial: number[]; year: number[]; ablat: number[]; alloc: string[]; yi: number[]; vi: number[] };
    leave1out_REML: Record<
      'omitted' | 'estimate' | 'se' | 'ci_lb' | 'ci_ub' | 'tau2' | 'I2' | 'H2' | 'Q' | 'Qp',
      number[]
    >;
    cumul_REML_by_year: Record<
      'order_trial' | 'estimate' | 'se' | 'ci_lb' | 'ci_ub' | 'tau2' | 'I2',
      number[]
    >;
    metareg_ablat_REML: MetaregOracle;
    metareg_ablat_REML_KH: MetaregOracle;
    metareg_ablat_year_REML: MetaregOracle;
    subgroup_alloc_moderator_REML: MetaregOracle & { levels: string[] };
    subgroup_alloc_moderator_REML_KH: MetaregOracle & { levels: string[]; QM_F: number };
  };
  hackshaw1998: {
    source: string;
    input: { study: number[]; year: number[]; yi: number[]; vi: number[] };
    egger_lm_EE: { zval_or_tval: number; pval: number; dfs: number; est_limit: number };
    egger_rma_REML_sei: { zval: number; pval: number; est_limit: number; ci_lb: number; ci_ub: number };
    begg_ranktest_REML: { tau: number; pval: number };
    trimfill_EE: TrimFillOracle;
    trimfill_REML: TrimFillOracle & { filled_yi: number[]; filled_vi: number[] };
  };
}

export interface MetaregOracle {
  coef: number[];
  se: number[];
  zval?: number[];
  tval?: number[];
  pval?: number[];
  ci_lb?: number[];
  ci_ub?: number[];
  tau2: number;
  I2?: number;
  H2?: number;
  R2?: number;
  QM?: number;
  QMdf: [number, number | 'NA'];
  QMp: number;
  QE?: number;
  QEp?: number;
}

export interface TrimFillOracle {
  k0: number;
  side: 'left' | 'right';
  estimate: number;
  se: number;
  ci_lb: number;
  ci_ub: number;
  tau2: number;
}

export const evidence = JSON.parse(
  readFileSync(new URL('../fixtures/evidence-oracles.json', import.meta.url), 'utf8'),
) as EvidenceOracles;

export const effectsOf = (input: { yi: number[]; vi: number[] }) =>
  input.yi.map((yi, i) => ({ yi, vi: input.vi[i] as number }));
