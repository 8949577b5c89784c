import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trialBody } from '../helpers/trial-fixtures';
import { buildLoggedApp, expectProblem, keyHeader, rowCounts, type WriteTestApp } from './support';

let t: WriteTestApp;
let editor: Record<string, string>;

beforeAll(async () => {
  t = await buildLoggedApp();
  editor = keyHeader(t.db, 'editor-1', 'editor');
});
afterAll(() => t.close());

const post = (registryIds: string[]) =>
  t.app.inject({ method: 'POST', url: '/trials', headers: editor, payload: trialBody({ registryIds }) });

describe('registry ids', () => {
  it.each([
    ['a zero-width space', 'ISRCTN5555\u200B5555', 'U+200B'],
    ['a Cyrillic Ѕ', 'I\u0405RCTN55555555', 'U+0405'],
    ['a NUL', 'ISRCTN55555555\u0000', 'U+0000'],
    ['a tab', 'ISRCTN\t55555555', 'U+0009'],
    ['a line feed', 'ISRCTN5555\n5555', 'U+000A'],
  ])('refuses %s with a 400 naming the field and the character', async (_, id, shown) => {
    const before = rowCounts(t.db);
    const body = expectProblem(await post([id]), 400);
    expect(body.errors).toEqual([{ path: '/registryIds/0', message: expect.stringContaining(shown) }]);
    expect(body.errors?.[0]?.message).toContain('registry id');
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('normalises (NFKC, trim, upper case) and refuses a lower-case or full-width duplicate with 409', async () => {
    const res = await post(['  isrctn55555555 ']);
    expect(res.statusCode, res.body).toBe(201);
    const first = res.json();
    expect(first.registryIds).toEqual(['ISRCTN55555555']);
    for (const twin of ['ISRCTN55555555', 'Isrctn55555555', 'ＩＳＲＣＴＮ５５５５５５５５']) {
      const body = expectProblem(await post([twin]), 409);
      expect(body.errors).toEqual([{ path: '/registryIds/0', message: expect.stringContaining(first.id) }]);
    }
    const listed = expectProblem(await post(['ISRCTN55555556', 'isrctn55555556']), 400);
    expect(listed.errors?.[0]?.path).toBe('/registryIds/1');
  });

  it('the registryId filter uses the same normalisation', async () => {
    const found = await t.app.inject({ url: '/trials?registryId=%20isrctn55555555' });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().data).toHaveLength(1);
    const bad = await t.app.inject({
      url: `/trials?registryId=${encodeURIComponent('ISRCTN5555\u200B5555')}`,
    });
    expectProblem(bad, 400);
  });

  it('an import matches a lower-case id to the stored trial instead of creating a second one', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: editor,
      payload: { trials: [trialBody({ registryIds: ['isrctn55555555'], title: 'Renamed by import' })] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 0, updated: 1 });
    const zeroWidth = await t.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: editor,
      payload: { trials: [trialBody({ registryIds: ['ISRCTN5555\u200B5555'] })] },
    });
    expect(zeroWidth.statusCode).toBe(400);
    expect(zeroWidth.json().rejected[0].message).toContain('U+200B');
  });

  it.each([
    ['NCT02566655', 'NCT0256665', 'NCT'],
    ['ISRCTN12345678', 'ISRCTN1234567', 'ISRCTN'],
    ['ChiCTR2000030001', 'ChiCTR-1', 'ChiCTR'],
    ['ChiCTR-IOR-15006000', 'ChiCTR-IOR', 'ChiCTR'],
    ['IRCT20150523022402N1', 'IRCTX1', 'IRCT'],
    ['EUCTR2004-000446-20-GB', 'EUCTR2004-00044-20', 'EUCTR'],
    ['EUCTR2004-000446-20', 'EUCTR200400044620', 'EUCTR'],
    ['ACTRN12610000123456', 'ACTRN1261000012345', 'ACTRN'],
    ['DRKS00012345', 'DRKS0001234', 'DRKS'],
    ['JPRN-UMIN000012345', 'JPRN-12', 'JPRN'],
    ['KCT0001234', 'KCT00012345', 'KCT'],
    ['CTRI/2020/05/025000', 'CTRI/2020-05-025000', 'CTRI'],
  ])('takes %s and refuses %s as not following the %s numbering', async (good, bad, prefix) => {
    const ok = await post([good.toLowerCase()]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().registryIds).toEqual([good.toUpperCase().replace(/^CHICTR/, 'ChiCTR')]);
    const body = expectProblem(await post([bad]), 400);
    expect(body.errors).toEqual([
      { path: '/registryIds/0', message: expect.stringContaining(`registry id starting ${prefix}`) },
    ]);
  });

  it('takes another registry’s id in the ASCII form only', async () => {
    const ok = await post(['pactr202001234567890']);
    expect(ok.json().registryIds).toEqual(['PACTR202001234567890']);
    for (const bad of ['UMIN 000012345', 'NL_1234', 'NTR1234/', 'X']) {
      const body = expectProblem(await post([bad]), 400);
      expect(body.errors?.[0]?.path).toBe('/registryIds/0');
    }
  });
});
