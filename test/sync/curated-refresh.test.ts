import { describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { openTestApp } from '../helpers/build-test-app';
import { keyHeader } from '../writes/support';
import { syntheticStudies } from './registry-stand-in';
import { syncSetup } from './support';

// The end-to-end case: a synced trial is edited by a curator, the record changes upstream,
// the next sync refreshes the registry's fields and keeps the curator's. NCT99999901 is SYNTHETIC.

// biome-ignore lint/suspicious/noExplicitAny: a ClinicalTrials.gov record is edited in place as JSON.
type Study = any;

describe('a sync after a curator edited a synced trial', () => {
  it('refreshes the registry’s fields, keeps the curated one, and names the disagreement', async () => {
    const t = await openTestApp();
    const [record, ...others] = syntheticStudies() as Study[];
    const { db, standIn, clock, sync } = await syncSetup({ db: t.db, studies: [record, ...others] });
    expect((await sync()).code).toBe(0);
    const find = async () =>
      ((await t.app.inject({ url: '/trials?registryId=NCT99999901' })).json().data as Trial[])[0] as Trial;
    const synced = await find();
    const msc = synced.arms.find((arm) => arm.label === 'MSC infusion');
    expect(msc?.cellSource).toBe('BONE_MARROW');

    // The curator corrects the cell source through the API.
    const put = await t.app.inject({
      method: 'PUT',
      url: `/trials/${synced.id}`,
      headers: { ...keyHeader(db, 'curator', 'editor'), 'if-match': `"v${synced.version}"` },
      payload: {
        ...synced,
        arms: synced.arms.map((arm) =>
          arm.id === msc?.id ? { ...arm, cellSource: 'PERIPHERAL_BLOOD' } : arm,
        ),
      },
    });
    expect(put.statusCode, put.body).toBe(200);

    // Upstream: a new title and adipose-derived cells, posted after the first sync.
    const name = 'Autologous adipose-derived mesenchymal stem cells';
    record.protocolSection.identificationModule.officialTitle =
      'SYNTHETIC Test Record, Not a Real Study: renamed';
    record.protocolSection.armsInterventionsModule.armGroups[0].interventionNames[0] = `Biological: ${name}`;
    record.protocolSection.armsInterventionsModule.interventions[0].name = name;
    record.protocolSection.armsInterventionsModule.interventions[0].description = `${name}, intraosseous injection.`;
    record.protocolSection.statusModule.lastUpdatePostDateStruct = { date: '2025-03-12', type: 'ACTUAL' };
    standIn.studies = [record, ...others];
    clock.set('2025-03-13T00:00:00.000Z');

    const refresh = await sync();
    expect(refresh.code, refresh.text).toBe(0);
    expect(refresh.text).toMatch(
      /\nupdated {3}NCT99999901 -> trial \S+: SYNTHETIC Test Record, Not a Real Study: renamed/,
    );
    expect(refresh.text).toMatch(
      /\nwarning {3}NCT99999901 CURATED_VALUE_KEPT: .*"PERIPHERAL_BLOOD"; the registry now has "ADIPOSE"/,
    );
    const after = await find();
    expect(after.title).toBe('SYNTHETIC Test Record, Not a Real Study: renamed');
    expect(after.arms.find((arm) => arm.id === msc?.id)?.cellSource).toBe('PERIPHERAL_BLOOD');
    const channels = db.$client
      .prepare('SELECT channel FROM revisions WHERE trial_id = ? ORDER BY version')
      .pluck()
      .all(after.id);
    expect(channels).toEqual(['SYNC', 'API', 'SYNC']);
  });
});
