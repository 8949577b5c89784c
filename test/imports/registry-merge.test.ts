import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/imports/types';
import type { Trial } from '../../src/schemas/trial';
import { type ImportTestApp, importApp, importOk, postImport, readText, SYNTHETIC_CTGOV } from './support';

// SPEC §6, the merge policy: a registry refresh updates the registry's fields and keeps what a
// curator entered. NCT99999901 is a SYNTHETIC record (test/fixtures/ctgov-synthetic/README.md):
// an autologous bone-marrow MSC arm given intravenously, a placebo arm, posted BMD results.

let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

// biome-ignore lint/suspicious/noExplicitAny: a ClinicalTrials.gov record is edited in place as JSON.
type Study = any;

const study = (): Study => JSON.parse(readText(SYNTHETIC_CTGOV, 'NCT99999901.json'));

const importStudy = (body: Study) => importOk(t, { format: 'ctgov', body });

const stored = async (): Promise<Trial> =>
  ((await t.app.inject({ url: '/trials?registryId=NCT99999901' })).json().data as Trial[])[0] as Trial;

/** Writes the trial as a curator does: PUT /trials/{id} with an editor key, at its current version. */
async function curate(trial: Trial, edit: (body: Trial) => Trial): Promise<Trial> {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/trials/${trial.id}`,
    headers: { ...t.editor, 'if-match': `"v${trial.version}"` },
    payload: edit(structuredClone(trial)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Trial;
}

const revisions = (trialId: string) =>
  t.db.$client
    .prepare('SELECT version, channel FROM revisions WHERE trial_id = ? ORDER BY version')
    .all(trialId) as { version: number; channel: string | null }[];

const kept = (report: ImportReport) => report.warnings.filter((w) => w.code === 'CURATED_VALUE_KEPT');

const armOf = (trial: Trial, label: string) => trial.arms.find((arm) => arm.label === label);

/** Upstream, the MSC arm's cells become adipose-derived, injected into bone. */
function cellsNowAdipose(record: Study): void {
  const name = 'Autologous adipose-derived mesenchymal stem cells';
  const module = record.protocolSection.armsInterventionsModule;
  module.armGroups[0].interventionNames[0] = `Biological: ${name}`;
  module.interventions[0].name = name;
  module.interventions[0].description = `${name}, intraosseous injection of 1 x 10^6 cells/kg.`;
}

/** The measurement of the first outcome (lumbar spine, month 12) for group `groupId`. */
const lumbarSpine = (record: Study, groupId: string) =>
  record.resultsSection.outcomeMeasuresModule.outcomeMeasures[0].classes[0].categories[0].measurements.find(
    (m: { groupId: string }) => m.groupId === groupId,
  );

/** A result a curator adds from a publication (made-up numbers for the synthetic record). */
const curatedResult = (armId: string) => ({
  armId,
  site: 'LUMBAR_SPINE',
  metric: 'PERCENT_CHANGE',
  method: 'DXA',
  statistic: 'MEAN',
  timepointMonths: 24,
  n: 17,
  mean: 4.1,
  sd: 2.5,
  se: null,
  ciLower: null,
  ciUpper: null,
  note: 'added by a curator (synthetic test value)',
});

const CURATED_REFERENCE = {
  pmid: null,
  doi: null,
  citation: 'SYNTHETIC reference a curator added (a test value, not a publication)',
  url: null,
};

describe('a registry refresh of a curated trial (POST /imports?format=ctgov)', () => {
  it('refreshes the registry’s fields, keeps the curator’s, and says where they now disagree', async () => {
    const first = await importStudy(study());
    expect(first).toMatchObject({ created: 1 });
    const imported = await stored();
    expect(armOf(imported, 'MSC infusion')).toMatchObject({
      cellSource: 'BONE_MARROW',
      route: 'INTRAVENOUS',
    });
    const msc = armOf(imported, 'MSC infusion')?.id as string;
    const curated = await curate(imported, (body) => ({
      ...body,
      riskOfBias: { tool: 'ROB2', overall: 'SOME_CONCERNS', note: 'curator' },
      references: [...body.references, CURATED_REFERENCE],
      arms: body.arms.map((arm) => (arm.id === msc ? { ...arm, cellSource: 'PERIPHERAL_BLOOD' } : arm)),
      bmdResults: [...body.bmdResults, curatedResult(msc) as unknown as Trial['bmdResults'][number]],
    }));

    const upstream = study();
    upstream.protocolSection.identificationModule.officialTitle =
      'SYNTHETIC Test Record, Not a Real Study: renamed';
    upstream.protocolSection.statusModule.overallStatus = 'TERMINATED';
    upstream.protocolSection.designModule.enrollmentInfo.count = 42;
    cellsNowAdipose(upstream);
    lumbarSpine(upstream, 'OG000').value = '3.4';
    const refresh = await importStudy(upstream);
    expect(refresh).toMatchObject({ updated: 1, unchanged: 0 });

    const after = await stored();
    // The registry's own fields are refreshed ...
    expect(after).toMatchObject({
      title: 'SYNTHETIC Test Record, Not a Real Study: renamed',
      overallStatus: 'TERMINATED',
      enrollment: { count: 42, type: 'ACTUAL' },
      version: curated.version + 1,
    });
    // ... so is a classification only the import had set (the route), and a posted result.
    expect(armOf(after, 'MSC infusion')?.route).toBe('INTRAOSSEOUS');
    const mscResults = after.bmdResults.filter(
      (r) => r.armId === msc && r.site === 'LUMBAR_SPINE' && r.metric === 'PERCENT_CHANGE',
    );
    expect(mscResults.map((r) => [r.timepointMonths, r.mean])).toEqual([
      [12, 3.4],
      [24, 4.1],
    ]);
    // What the curator entered stays: the cell source, the risk of bias, the added result.
    expect(armOf(after, 'MSC infusion')?.cellSource).toBe('PERIPHERAL_BLOOD');
    expect(after.riskOfBias).toEqual({ tool: 'ROB2', overall: 'SOME_CONCERNS', note: 'curator' });
    expect(after.references).toEqual([...imported.references, CURATED_REFERENCE]);
    expect(after.arms.map((arm) => arm.id)).toEqual(imported.arms.map((arm) => arm.id));
    // The one value the registry now gives otherwise is named, with both values.
    expect(kept(refresh)).toEqual([
      {
        index: 0,
        code: 'CURATED_VALUE_KEPT',
        message: expect.stringMatching(
          /^NCT99999901: trial \S+ keeps the curated \/arms\/0\/cellSource \(arm "MSC infusion"\): "PERIPHERAL_BLOOD"; the registry now has "ADIPOSE"$/,
        ),
      },
    ]);
    expect(revisions(after.id)).toEqual([
      { version: 1, channel: 'IMPORT' },
      { version: 2, channel: 'API' },
      { version: 3, channel: 'IMPORT' },
    ]);

    const again = await importStudy(upstream);
    expect(again).toMatchObject({ updated: 0, unchanged: 1 });
    expect(kept(again)).toEqual(kept(refresh));
    expect((await stored()).version).toBe(after.version);
    expect(revisions(after.id)).toHaveLength(3);
  });

  it.each(['IMPORT', 'SYNC'])(
    'a value set through %s is refreshed, even after a curator edited other fields',
    async (channel) => {
      await importStudy(study());
      t.db.$client.prepare('UPDATE revisions SET channel = ?').run(channel);
      await curate(await stored(), (body) => ({
        ...body,
        riskOfBias: { tool: 'ROB2', overall: 'LOW', note: null },
      }));
      const upstream = study();
      cellsNowAdipose(upstream);
      const refresh = await importStudy(upstream);
      expect(refresh).toMatchObject({ updated: 1 });
      expect(kept(refresh)).toEqual([]);
      const after = await stored();
      expect(armOf(after, 'MSC infusion')).toMatchObject({ cellSource: 'ADIPOSE', route: 'INTRAOSSEOUS' });
      expect(after.riskOfBias).toMatchObject({ overall: 'LOW' });
    },
  );

  it('a curator’s correction of a posted result stays, showing the fields that differ', async () => {
    await importStudy(study());
    const imported = await stored();
    const placebo = armOf(imported, 'Placebo infusion')?.id;
    const isPlaceboLumbar = (r: Trial['bmdResults'][number]) =>
      r.armId === placebo && r.site === 'LUMBAR_SPINE' && r.timepointMonths === 12;
    await curate(imported, (body) => ({
      ...body,
      bmdResults: body.bmdResults.map((r) => (isPlaceboLumbar(r) ? { ...r, sd: 1.8 } : r)),
    }));
    const upstream = study();
    lumbarSpine(upstream, 'OG001').value = '0.5';
    const refresh = await importStudy(upstream);
    expect(refresh).toMatchObject({ unchanged: 1 });
    expect((await stored()).bmdResults.filter(isPlaceboLumbar).map((r) => [r.mean, r.sd])).toEqual([
      [0.4, 1.8],
    ]);
    expect(kept(refresh).map((w) => w.message)).toEqual([
      expect.stringMatching(
        /keeps the curated \/bmdResults\/1 \(arm "Placebo infusion", LUMBAR_SPINE PERCENT_CHANGE MEAN at 12 months\): \{"mean":0\.4,"sd":1\.8\}; the registry now has \{"mean":0\.5,"sd":1\.9\}$/,
      ),
    ]);
  });

  it('a result a curator removed is not brought back by a refresh', async () => {
    await importStudy(study());
    const imported = await stored();
    const count = imported.bmdResults.length;
    await curate(imported, (body) => ({ ...body, bmdResults: body.bmdResults.slice(1) }));
    const refresh = await importStudy(study());
    expect(refresh).toMatchObject({ unchanged: 1 });
    expect((await stored()).bmdResults).toHaveLength(count - 1);
    expect(kept(refresh).map((w) => w.message)).toEqual([
      expect.stringMatching(
        /\/bmdResults \(arm "MSC infusion", .*removed by a curator\): nothing \(a curator removed it\)/,
      ),
    ]);
  });

  it('values from before revisions recorded channels count as curated', async () => {
    await importStudy(study());
    const imported = await stored();
    // The trial's history as migration 0008 left rows written before it: no channel.
    t.db.$client.prepare('UPDATE revisions SET channel = NULL WHERE trial_id = ?').run(imported.id);
    const upstream = study();
    cellsNowAdipose(upstream);
    upstream.protocolSection.statusModule.overallStatus = 'TERMINATED';
    const refresh = await importStudy(upstream);
    expect(refresh).toMatchObject({ updated: 1 });
    const after = await stored();
    expect(after.overallStatus).toBe('TERMINATED');
    expect(armOf(after, 'MSC infusion')).toMatchObject({ cellSource: 'BONE_MARROW', route: 'INTRAVENOUS' });
    expect(kept(refresh).map((w) => w.message)).toEqual([
      expect.stringMatching(
        /\/arms\/0\/cellSource \(arm "MSC infusion"\): "BONE_MARROW"; the registry now has "ADIPOSE"$/,
      ),
      expect.stringMatching(
        /\/arms\/0\/route \(arm "MSC infusion"\): "INTRAVENOUS"; the registry now has "INTRAOSSEOUS"$/,
      ),
    ]);
  });

  it('an arm group the registry no longer lists stays while curated results refer to it', async () => {
    await importStudy(study());
    const imported = await stored();
    const placebo = armOf(imported, 'Placebo infusion')?.id as string;
    const curatedOnPlacebo = curatedResult(placebo) as unknown as Trial['bmdResults'][number];
    await curate(imported, (body) => ({ ...body, bmdResults: [...body.bmdResults, curatedOnPlacebo] }));
    const upstream = study();
    upstream.protocolSection.armsInterventionsModule.armGroups.splice(1, 1);
    const refresh = await importStudy(upstream);
    expect(refresh).toMatchObject({ updated: 1 });
    const after = await stored();
    expect(after.arms.map((arm) => [arm.label, arm.id])).toEqual(
      imported.arms.map((arm) => [arm.label, arm.id]),
    );
    // Of the placebo arm's results only the curator's stays: the registry no longer maps any to it.
    expect(after.bmdResults.filter((r) => r.armId === placebo).map((r) => r.note)).toEqual([
      curatedOnPlacebo.note,
    ]);
    expect(kept(refresh).map((w) => w.message)).toEqual([
      expect.stringMatching(
        /\/arms\/1 \(arm "Placebo infusion", which curated BMD results refer to\): "Placebo infusion"; the registry now has no such arm group$/,
      ),
    ]);
  });

  it('refuses a refresh whose kept curated result no longer fits the registry’s arm, writing nothing', async () => {
    await importStudy(study());
    const imported = await stored();
    const msc = armOf(imported, 'MSC infusion')?.id as string;
    // Every one of the arm's 20 participants measured at 24 months, says the curator's source.
    const wholeArm = { ...curatedResult(msc), n: 20 } as unknown as Trial['bmdResults'][number];
    await curate(imported, (body) => ({ ...body, bmdResults: [...body.bmdResults, wholeArm] }));
    const before = await stored();
    const upstream = study();
    const started = upstream.resultsSection.participantFlowModule.periods[0].milestones[0];
    started.achievements[0].numSubjects = '19';
    const res = await postImport(t, { format: 'ctgov', body: upstream });
    expect(res.statusCode, res.body).toBe(400);
    expect((res.json() as ImportReport).rejected).toEqual([
      expect.objectContaining({
        index: 0,
        code: 'CONFLICT',
        message: expect.stringMatching(
          /curated values .* kept.*n \(20\) exceeds the arm's participants \(19\)/,
        ),
      }),
    ]);
    expect(await stored()).toEqual(before);
  });

  it('keeps the arms, registry ids, sources and note a curator added, which the registry does not list', async () => {
    await importStudy(study());
    const imported = await stored();
    await curate(imported, (body) => ({
      ...body,
      registryIds: [...body.registryIds, 'ISRCTN12345678'],
      arms: [
        ...body.arms,
        {
          label: 'Curator-added control',
          type: 'NO_INTERVENTION',
          participants: 5,
          comparator: 'NONE',
        },
      ] as Trial['arms'],
      provenance: {
        ...body.provenance,
        sources: [...body.provenance.sources, 'curator: synthetic second source'],
        note: 'checked against the synthetic record by a curator',
      },
    }));
    const report = await importStudy(study());
    const after = await stored();
    expect(after.registryIds).toEqual(['NCT99999901', 'ISRCTN12345678']);
    expect(armOf(after, 'Curator-added control')).toMatchObject({
      comparator: 'NONE',
      participants: 5,
    });
    expect(after.provenance.sources).toContain('curator: synthetic second source');
    expect(after.provenance.note).toBe('checked against the synthetic record by a curator');
    // The registry does not list that arm, and its mapper writes a note of its own: the report
    // names both kept values.
    expect(kept(report).map((w) => w.message)).toEqual([
      expect.stringMatching(
        /arm "Curator-added control", added by a curator\): "Curator-added control"; the registry now has no such arm group$/,
      ),
      expect.stringMatching(
        /keeps the curated \/provenance\/note: "checked against the synthetic record by a curator"; the registry now has "Mapped from/,
      ),
    ]);
    // A second identical refresh changes nothing.
    const again = await importStudy(study());
    expect(again.unchanged).toBe(1);
  });

  it('drops an arm group the registry added and no longer lists, when no curated result refers to it', async () => {
    const upstream = study();
    const groups = upstream.protocolSection.armsInterventionsModule.armGroups;
    groups.push({ label: 'Observation', type: 'NO_INTERVENTION', description: 'Observation only.' });
    await importStudy(upstream);
    expect(armOf(await stored(), 'Observation')).toBeDefined();
    await importStudy(study());
    expect(armOf(await stored(), 'Observation')).toBeUndefined();
  });
});
