import { describe, expect, it } from 'vitest';
import { hedgesG, meanDifference, rawMean } from '../../../src/domain/meta-analysis';
import { at, expectClose, oracles } from '../../helpers/metafor-oracles';

describe('effect sizes reproduce metafor escalc()', () => {
  const smd = oracles.normand1999_SMD;
  it(`hedgesG: normand1999_SMD yi/vi from the raw arms (${smd.published}; ${smd.note})`, () => {
    const d = smd.input;
    d.yi.forEach((yi, i) => {
      const es = hedgesG(
        { n: at(d.n1i, i), mean: at(d.m1i, i), sd: at(d.sd1i, i) },
        { n: at(d.n2i, i), mean: at(d.m2i, i), sd: at(d.sd2i, i) },
      );
      expectClose(es.yi, yi, `study ${i + 1} yi`);
      expectClose(es.vi, at(d.vi, i), `study ${i + 1} vi`);
    });
  });

  const md = oracles.normand1999_MD_unpooled;
  it(`meanDifference: normand1999_MD_unpooled yi/vi from the raw arms (${md.published}; ${md.note})`, () => {
    const d = md.input;
    d.yi.forEach((yi, i) => {
      const es = meanDifference(
        { n: at(d.n1i, i), mean: at(d.m1i, i), sd: at(d.sd1i, i) },
        { n: at(d.n2i, i), mean: at(d.m2i, i), sd: at(d.sd2i, i) },
      );
      expectClose(es.yi, yi, `study ${i + 1} yi`);
      expectClose(es.vi, at(d.vi, i), `study ${i + 1} vi`);
    });
  });

  const mn = oracles.normand1999_MN_group1;
  it(`rawMean: normand1999_MN_group1 yi/vi (${mn.note})`, () => {
    const d = mn.input;
    d.yi.forEach((yi, i) => {
      const es = rawMean(at(d.mi, i), at(d.sdi, i), at(d.ni, i));
      expectClose(es.yi, yi, `study ${i + 1} yi`);
      expectClose(es.vi, at(d.vi, i), `study ${i + 1} vi`);
    });
  });

  it('hedgesG uses the exact correction J(m), hand-worked for n1 = n2 = 3', () => {
    // m = 3 + 3 − 2 = 4; J(4) = Γ(2) / (√2 · Γ(3/2)) = 1 / (√2 · √π/2) = √(2/π) = 0.7978845608
    // (the 1 − 3/(4m − 1) approximation would give 0.7333). Means 1 vs 0, both SDs 1 → sp = 1,
    // g = J = 0.7978845608; vi = 1/3 + 1/3 + g²/(2·6) = 2/3 + (2/π)/12 = 0.7197183144.
    const es = hedgesG({ n: 3, mean: 1, sd: 1 }, { n: 3, mean: 0, sd: 1 });
    expect(es.yi).toBeCloseTo(0.7978845608, 9);
    expect(es.vi).toBeCloseTo(0.7197183144, 9);
  });

  it('rejects inputs that cannot give a finite effect size', () => {
    expect(() => hedgesG({ n: 2, mean: 1, sd: 1 }, { n: 1, mean: 0, sd: 1 })).toThrow(RangeError);
    expect(() => hedgesG({ n: 5, mean: 1, sd: 0 }, { n: 5, mean: 0, sd: 0 })).toThrow(RangeError);
    expect(() => meanDifference({ n: 0, mean: 1, sd: 1 }, { n: 5, mean: 0, sd: 1 })).toThrow(RangeError);
    expect(() => meanDifference({ n: 5, mean: 1, sd: -1 }, { n: 5, mean: 0, sd: 1 })).toThrow(RangeError);
    expect(() => rawMean(Number.NaN, 1, 5)).toThrow(RangeError);
  });
});
