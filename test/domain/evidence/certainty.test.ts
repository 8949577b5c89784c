import { describe, expect, it } from 'vitest';
import {
  assessCertainty,
  type CertaintyInput,
  type CertaintyStudy,
  OPTIMAL_INFORMATION_SIZE,
} from '../../../src/domain/evidence/certainty';

const study = (over: Partial<CertaintyStudy> = {}): CertaintyStudy => ({
  weight: 10,
  riskOfBias: 'LOW',
  allocation: 'RANDOMIZED',
  population: 'POSTMENOPAUSAL',
  participants: 100,
  ...over,
});

/** Ten equal randomised low-risk studies of 100 participants, a precise benefit, no heterogeneity. */
const clean = (over: Partial<CertaintyInput> = {}): CertaintyInput => ({
  studies: Array.from({ length: 10 }, () => study()),
  ciLower: 1,
  ciUpper: 3,
  i2: 10,
  predictionLower: 0.5,
  predictionUpper: 3.5,
  eggerP: 0.6,
  ...over,
});

describe('suggested certainty (documented GRADE-style rules)', () => {
  it('randomised, low risk, consistent, precise and without small-study effects stays HIGH', () => {
    const a = assessCertainty(clean());
    expect(a.start).toBe('HIGH');
    expect(a.certainty).toBe('HIGH');
    expect(Object.values(a.domains).map((d) => d.downgrade)).toEqual([0, 0, 0, 0, 0]);
  });

  it('the optimal information size is 786 participants (0.2 SD, α 0.05, 80% power)', () => {
    expect(OPTIMAL_INFORMATION_SIZE).toBe(786);
  });

  it('starts LOW when any study is not randomised', () => {
    const studies = [...clean().studies.slice(1), study({ allocation: 'NON_RANDOMIZED' })];
    const a = assessCertainty(clean({ studies }));
    expect([a.start, a.certainty]).toEqual(['LOW', 'LOW']);
  });

  it('risk of bias: over half the weight at high risk −2; high or unassessed over a quarter −1', () => {
    const high = (n: number, rob: string) =>
      Array.from({ length: 10 }, (_, i) => study({ riskOfBias: i < n ? rob : 'LOW' }));
    expect(assessCertainty(clean({ studies: high(6, 'HIGH') })).domains.riskOfBias.downgrade).toBe(2);
    expect(assessCertainty(clean({ studies: high(3, 'NOT_ASSESSED') })).domains.riskOfBias.downgrade).toBe(1);
    expect(assessCertainty(clean({ studies: high(2, 'SERIOUS') })).domains.riskOfBias.downgrade).toBe(0);
    expect(assessCertainty(clean({ studies: high(6, 'HIGH') })).domains.riskOfBias.reason).toMatch(
      /60% of the weight from trials at high risk/,
    );
  });

  it('inconsistency: I² ≥ 75% with a prediction interval across no effect −2; I² ≥ 50% −1', () => {
    const across = { predictionLower: -1, predictionUpper: 4 };
    expect(assessCertainty(clean({ i2: 80, ...across })).domains.inconsistency.downgrade).toBe(2);
    expect(assessCertainty(clean({ i2: 55 })).domains.inconsistency.downgrade).toBe(1);
    expect(assessCertainty(clean({ i2: 20, ...across })).domains.inconsistency.downgrade).toBe(1);
    expect(assessCertainty(clean({ i2: 80 })).domains.inconsistency.downgrade).toBe(1);
  });

  it('imprecision: a CI including no effect −1, fewer participants than the information size −1', () => {
    const few = clean().studies.map((s) => ({ ...s, participants: 20 }));
    expect(assessCertainty(clean({ ciLower: -0.5 })).domains.imprecision.downgrade).toBe(1);
    expect(assessCertainty(clean({ studies: few })).domains.imprecision.downgrade).toBe(1);
    expect(assessCertainty(clean({ studies: few, ciLower: -0.5 })).domains.imprecision.downgrade).toBe(2);
  });

  it('publication bias: Egger p < 0.10 from 10 studies −1; below 10 studies not assessed', () => {
    expect(assessCertainty(clean({ eggerP: 0.05 })).domains.publicationBias.downgrade).toBe(1);
    const nine = assessCertainty(clean({ studies: clean().studies.slice(1), eggerP: 0.01 }));
    expect(nine.domains.publicationBias).toEqual({
      downgrade: 0,
      reason: 'Fewer than 10 studies: small-study effects cannot be assessed reliably.',
    });
  });

  it('indirectness: mixed populations −1, else left to the reviewers', () => {
    const studies = [...clean().studies.slice(1), study({ population: 'MALE' })];
    expect(assessCertainty(clean({ studies })).domains.indirectness.downgrade).toBe(1);
    expect(assessCertainty(clean()).domains.indirectness.reason).toMatch(/left to the reviewers/);
  });

  it('never falls below VERY_LOW', () => {
    const studies = clean().studies.map((s) => ({ ...s, riskOfBias: 'HIGH', participants: 10 }));
    const a = assessCertainty(clean({ studies, ciLower: -1, i2: 90, predictionLower: -3, eggerP: 0.01 }));
    expect(a.certainty).toBe('VERY_LOW');
  });
});
