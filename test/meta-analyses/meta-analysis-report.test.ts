import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/domain/controlled-comparison';
import { reportMetaAnalysis } from '../../src/domain/meta-analysis-report';

// Made-up effects (test data) whose pooled numbers are worked by hand in the comments.

function comparison(trialId: string, yi: number, vi: number, over: Partial<Comparison> = {}): Comparison {
  return {
    trialId,
    title: `Trial ${trialId}`,
    provenance: 'USER',
    timepointMonths: 12,
    statistic: 'MEAN',
    yi,
    vi,
    n1: 10,
    n2: 10,
    cellArmIds: [`${trialId}-cell`],
    cellArmSizes: [10],
    controlArmId: `${trialId}-control`,
    resultIds: [],
    lsMeanFromSe: 0,
    subgroup: 'ALL',
    moderators: {
      cellSource: 'BONE_MARROW',
      cellType: 'MSC',
      donor: 'AUTOLOGOUS',
      route: 'INTRAVENOUS',
      comparator: 'PLACEBO',
      cellsPerKg: null,
      cells: null,
      administrations: null,
      provenanceKind: 'USER',
      riskOfBias: 'NOT_ASSESSED',
    },
    ...over,
  };
}

const Z975 = 1.959963984540054;

describe('reportMetaAnalysis', () => {
  it('weights studies by 1/(vi + tau2) in percent (DL worked by hand)', () => {
    // yi (0, 3), vi (1, 2): w (1, .5), ȳ = 1, Q = 1 + .5·4 = 3, C = 1.5 − 1.25/1.5 = 2/3,
    // τ² = (3 − 1)/(2/3) = 3; weights 1/4 and 1/5 of 0.45 → 55.56% and 44.44%; μ̂ = 0.6/0.45.
    const report = reportMetaAnalysis([comparison('A', 0, 1), comparison('B', 3, 2)], {
      method: 'DL',
      test: 'z',
      bySubgroup: false,
    });
    expect(report.pooled?.tau2).toBeCloseTo(3, 12);
    expect(report.pooled?.estimate).toBeCloseTo(0.6 / 0.45, 12);
    expect(report.pooled?.se).toBeCloseTo(Math.sqrt(1 / 0.45), 12);
    expect(report.studies.map((s) => s.weight)).toEqual([
      expect.closeTo((100 * 0.25) / 0.45, 10),
      expect.closeTo((100 * 0.2) / 0.45, 10),
    ]);
    expect(report.studies[1]).toMatchObject({ se: Math.sqrt(2) });
    expect(report.studies[1]?.ciLower).toBeCloseTo(3 - Z975 * Math.sqrt(2), 12);
    expect(report.studies[1]?.ciUpper).toBeCloseTo(3 + Z975 * Math.sqrt(2), 12);
    expect(report.subgroups).toBeUndefined();
  });

  it('with no study: pooled null and a reason, nothing else made up', () => {
    const report = reportMetaAnalysis([], { method: 'REML', test: 'knha', bySubgroup: true });
    expect(report.studies).toEqual([]);
    expect(report.pooled).toBeNull();
    // Nothing was excluded, so the reason does not send the reader to an empty `excluded`.
    expect(report.pooledReason).toBe('No trial matches the filters, so there is no comparison to pool.');
    const allExcluded = reportMetaAnalysis([], { method: 'REML', test: 'z', bySubgroup: false, excluded: 2 });
    expect(allExcluded.pooledReason).toMatch(/see excluded for the reason each one was left out/);
    expect(report.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 0, USER: 0 });
    expect(report.subgroups).toEqual([]);
    expect(report.subgroupTest).toEqual({
      distribution: 'F',
      statistic: null,
      df: 0,
      dfResidual: 0,
      pValue: null,
    });
  });

  it('with one study: τ² = 0, no heterogeneity, all the weight', () => {
    const report = reportMetaAnalysis([comparison('A', 1.5, 0.25)], {
      method: 'REML',
      test: 'knha',
      bySubgroup: false,
    });
    expect(report.pooled).toMatchObject({
      k: 1,
      estimate: 1.5,
      se: 0.5,
      tau2: 0,
      i2: null,
      q: null,
      test: 'z',
    });
    expect(report.studies[0]?.weight).toBe(100);
  });

  it('pools each subgroup on its own and tests the difference (RevMan Q, worked by hand)', () => {
    // EE. X: yi 1, vi .25; Y: yi 3, vi .25. Each subgroup k = 1 (se .5); mean 2;
    // Q_between = (1 − 2)²/.25 + (3 − 2)²/.25 = 8 on 1 df, p = erfc(2) = 0.004677734981047266.
    const report = reportMetaAnalysis(
      [comparison('A', 1, 0.25, { subgroup: 'X' }), comparison('B', 3, 0.25, { subgroup: 'Y' })],
      { method: 'EE', test: 'z', bySubgroup: true },
    );
    expect(
      report.subgroups?.map((s) => [s.value, s.k, s.trialIds, s.pooled?.estimate, s.pooled?.se]),
    ).toEqual([
      ['X', 1, ['A'], 1, 0.5],
      ['Y', 1, ['B'], 3, 0.5],
    ]);
    expect(report.subgroupTest?.qBetween).toBeCloseTo(8, 12);
    expect(report.subgroupTest?.df).toBe(1);
    expect(report.subgroupTest?.pValue).toBeCloseTo(0.004677734981047266, 12);
    expect(report.studies.map((s) => s.subgroup)).toEqual(['X', 'Y']);
    // Overall EE: μ̂ = 2, se = √(1/8), Q = 8.
    expect(report.pooled?.estimate).toBeCloseTo(2, 12);
    expect(report.pooled?.q).toBeCloseTo(8, 12);
  });

  it('counts provenance once per trial and warns about illustrative and LS-mean-from-SE data', () => {
    const report = reportMetaAnalysis(
      [
        comparison('A', 1, 1, { provenance: 'ILLUSTRATIVE', lsMeanFromSe: 2 }),
        comparison('B', 2, 1, { provenance: 'REGISTRY' }),
      ],
      { method: 'REML', test: 'z', bySubgroup: false },
    );
    expect(report.provenance).toEqual({ REGISTRY: 1, PUBLICATION: 0, ILLUSTRATIVE: 1, USER: 0 });
    expect(report.warnings.map((w) => w.code)).toEqual(['ILLUSTRATIVE_DATA', 'LS_MEAN_SD_FROM_SE']);
  });

  it('orders studies by title, then trial id', () => {
    const report = reportMetaAnalysis(
      [comparison('B', 1, 1, { title: 'Beta' }), comparison('A', 1, 1, { title: 'Alpha' })],
      { method: 'REML', test: 'z', bySubgroup: false },
    );
    expect(report.studies.map((s) => s.title)).toEqual(['Alpha', 'Beta']);
  });
});
