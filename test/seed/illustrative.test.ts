import { readFileSync } from 'node:fs';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import {
  generateIllustrativeTrials,
  illustrativeSeedFile,
  illustrativeTrials,
} from '../../seed/illustrative/generate';
import { TrialInput } from '../../src/schemas/trial-input';
import { vocabularies } from '../../src/vocabularies';

const SEED_FILE = new URL('../../seed/illustrative-trials.json', import.meta.url);
const fileText = readFileSync(SEED_FILE, 'utf8');
const seedFile = JSON.parse(fileText) as { about: string; trials: unknown[] };
const trials = seedFile.trials.map((raw) => TrialInput.parse(raw));

const isCellArm = (arm: TrialInput['arms'][number]) => arm.cellSource !== null;
const armOf = (trial: TrialInput, label: string | undefined) => trial.arms.find((arm) => arm.label === label);

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) strings(item, out);
  return out;
}

describe('illustrative seed file', () => {
  it('holds at least 40 records that the write schema accepts', () => {
    expect(seedFile.trials.length).toBeGreaterThanOrEqual(40);
    for (const raw of seedFile.trials) expect(() => TrialInput.parse(raw)).not.toThrow();
  });

  it('says in its header that the records are made up', () => {
    expect(seedFile.about).toMatch(/ILLUSTRATIVE/);
    expect(seedFile.about).toMatch(/not real trials/);
    expect(seedFile.about).toContain('seed/illustrative/generate.ts');
    expect(seedFile.about).toContain('20261125');
  });

  it('marks every record as illustrative and cites nothing real', () => {
    for (const trial of trials) {
      expect(trial.title.startsWith('[Illustrative]')).toBe(true);
      expect(trial.provenance.kind).toBe('ILLUSTRATIVE');
      expect(trial.provenance.sources).toEqual(['seed/illustrative/generate.ts']);
      expect(trial.registryIds).toEqual([]);
      expect(trial.references).toEqual([]);
    }
    const lookalikes = strings(seedFile).filter((text) => /NCT\d{8}|10\.\d{4,}\/|PMID/i.test(text));
    expect(lookalikes).toEqual([]);
  });

  it('covers every cell source and every route on some cell-therapy arm', () => {
    const cellArms = trials.flatMap((trial) => trial.arms.filter(isCellArm));
    const sources = new Set(cellArms.map((arm) => arm.cellSource));
    const routes = new Set(cellArms.map((arm) => arm.route));
    for (const source of vocabularies.cellSource.values) expect(sources, source).toContain(source);
    for (const route of vocabularies.route.values) expect(routes, route).toContain(route);
    for (const arm of cellArms) {
      expect(arm.cellType).not.toBeNull();
      expect(arm.donor).not.toBeNull();
      expect(arm.route).not.toBeNull();
    }
    expect(trials.some((trial) => trial.arms.filter(isCellArm).length >= 2)).toBe(true);
  });

  it('gives about a third of the trials a control arm', () => {
    const controlled = trials.filter((trial) => trial.arms.some((arm) => !isCellArm(arm)));
    const share = controlled.length / trials.length;
    expect(share).toBeGreaterThanOrEqual(0.25);
    expect(share).toBeLessThanOrEqual(0.45);
    for (const trial of controlled)
      for (const arm of trial.arms.filter((a) => !isCellArm(a))) {
        expect(arm.comparator).not.toBeNull();
        expect([arm.cellType, arm.donor, arm.route]).toEqual([null, null, null]);
      }
  });

  it('lets most controlled trials be pooled on lumbar-spine percent change at 12 months', () => {
    const controlled = trials.filter((trial) => trial.arms.some((arm) => !isCellArm(arm)));
    const reportsLs12 = (trial: TrialInput, label: string) =>
      trial.bmdResults.some(
        (r) =>
          r.armLabel === label &&
          r.site === 'LUMBAR_SPINE' &&
          r.metric === 'PERCENT_CHANGE' &&
          r.method === 'DXA' &&
          r.timepointMonths === 12,
      );
    const poolable = controlled.filter((trial) => trial.arms.every((arm) => reportsLs12(trial, arm.label)));
    expect(poolable.length / controlled.length).toBeGreaterThanOrEqual(0.8);
  });

  it('has a few trials with no BMD results', () => {
    const empty = trials.filter((trial) => trial.bmdResults.length === 0).length;
    expect(empty).toBeGreaterThan(0);
    expect(empty).toBeLessThan(trials.length / 4);
  });

  it('keeps results within their arms and plausible ranges', () => {
    for (const trial of trials)
      for (const result of trial.bmdResults) {
        const arm = armOf(trial, result.armLabel);
        expect(arm, result.armLabel).toBeDefined();
        if (arm?.participants != null) expect(result.n).toBeLessThanOrEqual(arm.participants);
        expect(result.n).toBeGreaterThanOrEqual(5);
        expect(result.note).toMatch(/^Illustrative value/);
        if (
          arm !== undefined &&
          isCellArm(arm) &&
          result.site === 'LUMBAR_SPINE' &&
          result.metric === 'PERCENT_CHANGE' &&
          result.method === 'DXA' &&
          result.timepointMonths === 12
        ) {
          expect(result.mean).toBeGreaterThanOrEqual(-3);
          expect(result.mean).toBeLessThanOrEqual(8);
        }
      }
  });

  it('reports one form of spread per result, consistent with a plausible SD', () => {
    for (const trial of trials)
      for (const r of trial.bmdResults) {
        const forms = [r.sd !== null, r.se !== null, r.ciLower !== null].filter(Boolean).length;
        expect(forms).toBe(r.statistic === 'MEDIAN' ? 0 : 1);
        if (r.metric !== 'PERCENT_CHANGE' || r.method !== 'DXA') continue;
        let sd = r.sd;
        if (r.se !== null) sd = r.se * Math.sqrt(r.n);
        if (r.ciLower !== null && r.ciUpper !== null) {
          expect((r.ciLower + r.ciUpper) / 2).toBeCloseTo(r.mean, 1);
          sd = (Math.sqrt(r.n) * (r.ciUpper - r.ciLower)) / (2 * tQuantile(0.975, r.n - 1));
        }
        if (sd !== null) {
          expect(sd).toBeGreaterThan(1.8);
          expect(sd).toBeLessThan(6.3);
        }
      }
  });

  it('is exactly what the generator makes for its seed', () => {
    const generated = generateIllustrativeTrials(48, 20261125);
    expect(seedFile.trials).toEqual(generated);
    expect(fileText).toBe(`${JSON.stringify(illustrativeSeedFile(), null, 2)}\n`);
  });
});

describe('generateIllustrativeTrials', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateIllustrativeTrials(30, 12345);
    const b = generateIllustrativeTrials(30, 12345);
    const c = generateIllustrativeTrials(30, 12346);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(Array.from(illustrativeTrials(30, 12345))).toEqual(a);
  });

  it('makes valid records for other seeds and counts', () => {
    const many = generateIllustrativeTrials(400, 99);
    expect(many).toHaveLength(400);
    for (const raw of many) expect(() => TrialInput.parse(raw)).not.toThrow();
    expect(generateIllustrativeTrials(0, 1)).toEqual([]);
  });
});
