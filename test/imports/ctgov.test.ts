import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapCtgovStudy } from '../../src/domain/ctgov';
import type { Trial } from '../../src/schemas/trial';
import {
  type ImportTestApp,
  importApp,
  importOk,
  importRefused,
  REAL_CTGOV,
  readText,
  rowCounts,
  SYNTHETIC_CTGOV,
} from './support';

let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

const REAL = ['NCT00763412.json', 'NCT02210780.json', 'NCT02513394.json', 'NCT05594173.json'];
const SYNTHETIC = ['NCT99999901.json', 'NCT99999902.json', 'NCT99999903.json'];

const byRegistryId = async (registryId: string) =>
  ((await t.app.inject({ url: `/trials?registryId=${registryId}` })).json().data as Trial[])[0];

describe('POST /imports?format=ctgov', () => {
  // None of the real records is about bone or cells (test/fixtures/ctgov/README.md).
  it.each(REAL)('skips the off-topic real record %s with its reason, writing nothing', async (file) => {
    const text = readText(REAL_CTGOV, file);
    const nctId = file.replace('.json', '');
    const report = await importOk(t, { format: 'ctgov', body: text });
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 0, skipped: 1, warnings: [] });
    expect(report.records).toEqual([
      {
        index: 0,
        id: null,
        title: mapCtgovStudy(JSON.parse(text)).trial.title,
        outcome: 'SKIPPED',
        reason: expect.stringMatching(
          new RegExp(`^${nctId} is off topic: no bone condition .*no cell-based`),
        ),
      },
    ]);
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('the dupilumab atopic-dermatitis record is skipped, naming its condition and interventions', async () => {
    const report = await importOk(t, { format: 'ctgov', body: readText(REAL_CTGOV, 'NCT02210780.json') });
    expect(report.records[0]?.reason).toMatch(/conditions: "Atopic Dermatitis"/);
    expect(report.records[0]?.reason).toMatch(/interventions: "Dupilumab", "Placebo"/);
    expect(report.records[0]?.reason).toMatch(/allowOffTopic=true/);
  });

  it.each(REAL)(
    'with allowOffTopic=true imports the real record %s as REGISTRY, warning OFF_TOPIC',
    async (file) => {
      const text = readText(REAL_CTGOV, file);
      const expected = mapCtgovStudy(JSON.parse(text));
      const report = await importOk(t, { format: 'ctgov', allowOffTopic: true, body: text });
      expect(report).toMatchObject({ created: 1, updated: 0, unchanged: 0, skipped: 0 });
      expect(report.warnings).toEqual([
        {
          index: 0,
          code: 'OFF_TOPIC',
          message: expect.stringMatching(/off topic.*imported because allowOffTopic=true/),
        },
        ...expected.warnings.map((w) => ({ index: 0, ...w })),
      ]);
      const stored = await byRegistryId(file.replace('.json', ''));
      expect(stored?.provenance.kind).toBe('REGISTRY');
      expect(stored?.title).toBe(expected.trial.title);
      expect(report.records).toEqual([
        { index: 0, id: stored?.id, title: expected.trial.title, outcome: 'CREATED' },
      ]);
    },
  );

  it('the 1.5 MB PALLAS record imports without format (detected) and re-imports unchanged', async () => {
    const text = readText(REAL_CTGOV, 'NCT02513394.json');
    expect(text.length).toBeGreaterThan(1_400_000);
    const first = await importOk(t, { body: text, allowOffTopic: true });
    expect(first).toMatchObject({ created: 1 });
    expect(first.warnings.map((w) => w.code)).toEqual(['OFF_TOPIC']);
    const before = rowCounts(t.db);
    const again = await importOk(t, { body: text, allowOffTopic: true });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(again.records.map((r) => [r.outcome, r.id])).toEqual([['UNCHANGED', first.records[0]?.id]]);
    expect(rowCounts(t.db)).toEqual(before);
    // Without allowOffTopic the stored trial is left alone: the record is skipped, not deleted.
    expect(await importOk(t, { body: text })).toMatchObject({ skipped: 1, unchanged: 0 });
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('the NO_ARM_GROUPS warning of NCT05594173 reaches the report', async () => {
    const report = await importOk(t, {
      format: 'ctgov',
      allowOffTopic: true,
      body: readText(REAL_CTGOV, 'NCT05594173.json'),
    });
    expect(report.warnings.map((w) => [w.index, w.code])).toEqual([
      [0, 'OFF_TOPIC'],
      [0, 'NO_ARM_GROUPS'],
    ]);
  });

  it('in a /studies page, off-topic records are skipped by index and the others imported', async () => {
    const studies = [
      JSON.parse(readText(SYNTHETIC_CTGOV, 'NCT99999901.json')),
      JSON.parse(readText(REAL_CTGOV, 'NCT02210780.json')),
      JSON.parse(readText(SYNTHETIC_CTGOV, 'NCT99999902.json')),
    ];
    const report = await importOk(t, { format: 'ctgov', body: { studies } });
    expect(report).toMatchObject({ created: 2, skipped: 1 });
    expect(report.records.map((r) => [r.index, r.outcome])).toEqual([
      [0, 'CREATED'],
      [1, 'SKIPPED'],
      [2, 'CREATED'],
    ]);
    expect(report.warnings.every((w) => w.index !== 1)).toBe(true);
    expect(rowCounts(t.db).trials).toBe(2);
    expect(await byRegistryId('NCT02210780')).toBeUndefined();
  });

  it('imports the synthetic BMD records as a /studies page, with their BMD results and warnings', async () => {
    const studies = SYNTHETIC.map((file) => JSON.parse(readText(SYNTHETIC_CTGOV, file)));
    const report = await importOk(t, { format: 'ctgov', body: { studies } });
    expect(report).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const expectedWarnings = studies.flatMap((s, index) =>
      mapCtgovStudy(s).warnings.map((w) => ({ index, ...w })),
    );
    expect(report.warnings).toEqual(expectedWarnings);
    expect(report.warnings.some((w) => w.code === 'BMD_UNMATCHED_GROUP')).toBe(true);
    for (const study of studies) {
      const { trial } = mapCtgovStudy(study);
      const stored = await byRegistryId(trial.registryIds[0] as string);
      expect(stored?.bmdResults.length).toBe(trial.bmdResults.length);
      expect(stored?.bmdResults.length).toBeGreaterThan(0);
      expect(
        stored?.bmdResults.map((r) => [stored.arms.find((a) => a.id === r.armId)?.label, r.site, r.mean]),
      ).toEqual(trial.bmdResults.map((r) => [r.armLabel, r.site, r.mean]));
    }
    expect(rowCounts(t.db).bmd_results).toBe(
      studies.reduce((sum, s) => sum + mapCtgovStudy(s).trial.bmdResults.length, 0),
    );
  });

  it('an array of studies re-imports unchanged; a changed record is a new revision', async () => {
    const studies = SYNTHETIC.map((file) => JSON.parse(readText(SYNTHETIC_CTGOV, file)));
    await importOk(t, { format: 'ctgov', body: studies });
    const before = rowCounts(t.db);
    expect(await importOk(t, { format: 'ctgov', body: studies })).toMatchObject({ unchanged: 3, created: 0 });
    expect(rowCounts(t.db)).toEqual(before);
    studies[1].protocolSection.statusModule.overallStatus = 'TERMINATED';
    expect(await importOk(t, { format: 'ctgov', body: studies })).toMatchObject({ unchanged: 2, updated: 1 });
    expect(await byRegistryId('NCT99999902')).toMatchObject({ overallStatus: 'TERMINATED', version: 2 });
  });

  it('warns when a refreshed record has fewer BMD results than the stored trial', async () => {
    const study = JSON.parse(readText(SYNTHETIC_CTGOV, 'NCT99999901.json'));
    await importOk(t, { format: 'ctgov', body: study });
    const { resultsSection: _dropped, ...withoutResults } = study;
    const report = await importOk(t, { format: 'ctgov', body: withoutResults });
    expect(report).toMatchObject({ updated: 1 });
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        index: 0,
        code: 'FEWER_BMD_RESULTS',
        message: expect.stringMatching(/had 9 BMD results/),
      }),
    );
  });

  it('a re-import keeps what a curator added that the registry does not carry', async () => {
    const text = readText(SYNTHETIC_CTGOV, 'NCT99999902.json');
    await importOk(t, { format: 'ctgov', body: text });
    const stored = (await byRegistryId('NCT99999902')) as Trial;
    const curated = {
      ...stored,
      riskOfBias: { tool: 'ROBINS_I', overall: 'SERIOUS', note: 'curated' },
      arms: stored.arms.map((a) => ({ ...a, dose: { cellsPerKg: 1000000 } })),
    };
    const put = await t.app.inject({
      method: 'PUT',
      url: `/trials/${stored.id}`,
      headers: { ...t.editor, 'if-match': `"v${stored.version}"` },
      payload: curated,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(await importOk(t, { format: 'ctgov', body: text })).toMatchObject({ unchanged: 1 });
    const after = (await byRegistryId('NCT99999902')) as Trial;
    expect(after.riskOfBias).toMatchObject({ overall: 'SERIOUS' });
    expect(after.arms[0]?.dose).toEqual({ cellsPerKg: 1000000 });
  });

  it('refuses the retired classic format with a 400 that says so, writing nothing', async () => {
    const problem = await importRefused(t, {
      format: 'ctgov',
      body: readText(REAL_CTGOV, 'classic/NCT00023673.json'),
    });
    expect(problem.rejected).toHaveLength(1);
    expect(problem.rejected[0]?.message).toMatch(/classic ClinicalTrials\.gov API format.*retired/);
    expect(problem.detail).toMatch(/classic.*retired/);
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('a classic record in an array is rejected by its index; the others are not written', async () => {
    const classic = JSON.parse(readText(REAL_CTGOV, 'classic/NCT00023673.json'));
    const v2 = JSON.parse(readText(SYNTHETIC_CTGOV, 'NCT99999901.json'));
    const problem = await importRefused(t, { body: [v2, classic.FullStudiesResponse.FullStudies[0]] });
    expect(problem.rejected).toEqual([
      expect.objectContaining({ index: 1, message: expect.stringMatching(/retired/) }),
    ]);
    expect(problem.errors?.[0]?.path).toBe('/1');
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('refuses the same study twice in one file', async () => {
    const v2 = JSON.parse(readText(SYNTHETIC_CTGOV, 'NCT99999901.json'));
    const problem = await importRefused(t, { format: 'ctgov', body: [v2, v2] });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        index: 1,
        path: '/registryIds/0',
        message: expect.stringMatching(/NCT99999901/),
      }),
    ]);
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('refuses JSON that is not a study, and a bundle sent as ctgov', async () => {
    const notStudy = await importRefused(t, { format: 'ctgov', body: { hello: 'world' } });
    expect(notStudy.rejected[0]?.message).toMatch(/not ClinicalTrials\.gov API v2 JSON/);
    const asBundle = await importRefused(t, {
      format: 'bundle',
      body: readText(SYNTHETIC_CTGOV, 'NCT99999902.json'),
    });
    expect(asBundle.rejected[0]?.message).toMatch(/format=ctgov/);
  });
});
