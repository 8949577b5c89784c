import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import type { Trial } from '../../src/schemas/trial';
import { trialBody } from '../helpers/trial-fixtures';
import { buildLoggedApp, expectProblem, keyHeader, rowCounts, type WriteTestApp } from './support';

// Made-up trials (test data): registry ids in the unassigned NCT9… range, placeholder citations.
let t: WriteTestApp;
let editor: Record<string, string>;
let admin: Record<string, string>;

beforeEach(async () => {
  t = await buildLoggedApp();
  editor = keyHeader(t.db, 'editor-1', 'editor');
  admin = keyHeader(t.db, 'admin-1', 'admin');
});
afterEach(() => t.close());

type Body = ReturnType<typeof trialBody>;
const registryBody = (over: Partial<Body> = {}) =>
  trialBody({
    registryIds: ['NCT90001001'],
    provenance: { kind: 'REGISTRY', sources: ['test record, not a real registry page'] },
    ...over,
  });

async function create(body: Body): Promise<Trial> {
  const res = await t.app.inject({ method: 'POST', url: '/trials', headers: editor, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Trial;
}

function put(trial: Trial, body: Body, headers: Record<string, string>) {
  return t.app.inject({
    method: 'PUT',
    url: `/trials/${trial.id}`,
    headers: { ...headers, 'if-match': `"v${trial.version}"` },
    payload: body,
  });
}

async function revisions(id: string) {
  const res = await t.app.inject({ url: `/trials/${id}/revisions` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { data: { version: number; channel: string; note: string | null }[] }).data;
}

const paths = (problem: { errors?: { path: string }[] }) => problem.errors?.map((e) => e.path);

describe('a provenance kind names what the record was taken from', () => {
  it.each([
    [
      'REGISTRY without a registry id',
      trialBody({ provenance: { kind: 'REGISTRY', sources: ['a source'] } }),
      '/registryIds',
      /REGISTRY needs at least one registry id/,
    ],
    [
      'REGISTRY without a source',
      registryBody({ provenance: { kind: 'REGISTRY', sources: [] } }),
      '/provenance/sources',
      /REGISTRY needs at least one source/,
    ],
    [
      'PUBLICATION without a reference',
      trialBody({ provenance: { kind: 'PUBLICATION', sources: ['a source'] } }),
      '/references',
      /PUBLICATION needs a reference \(a PMID, DOI or citation/,
    ],
    [
      'PUBLICATION without a source',
      trialBody({
        references: [{ citation: 'Placeholder citation' }],
        provenance: { kind: 'PUBLICATION', sources: [] },
      }),
      '/provenance/sources',
      /PUBLICATION needs at least one source/,
    ],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_name, body, path, message) => {
    const before = rowCounts(t.db);
    const res = await t.app.inject({ method: 'POST', url: '/trials', headers: editor, payload: body });
    const problem = expectProblem(res, 400);
    expect(problem.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('takes REGISTRY with a registry id and a source, PUBLICATION with a citation and a source', async () => {
    expect((await create(registryBody())).provenance.kind).toBe('REGISTRY');
    const published = await create(
      trialBody({
        references: [{ citation: 'Placeholder citation, not a real paper' }],
        provenance: { kind: 'PUBLICATION', sources: ['the placeholder paper'] },
      }),
    );
    expect(published.provenance.kind).toBe('PUBLICATION');
  });

  it('applies the same rules to a bundle import', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: editor,
      payload: { trials: [trialBody({ provenance: { kind: 'REGISTRY', sources: [] } })] },
    });
    const problem = expectProblem(res, 400);
    expect(paths(problem)).toEqual(['/trials/0/registryIds', '/trials/0/provenance/sources']);
    expect(rowCounts(t.db).trials).toBe(0);
  });
});

describe('changing a stored trial’s provenance kind', () => {
  it('is refused to an editor with a 403 that says only an admin may, and changes nothing', async () => {
    const stored = await create(registryBody());
    const res = await put(stored, registryBody({ provenance: { kind: 'USER', sources: ['mine'] } }), editor);
    const problem = expectProblem(res, 403);
    expect(problem.detail).toMatch(/Only an admin key may change a trial's provenance kind.*REGISTRY.*USER/);
    expect(paths(problem)).toEqual(['/provenance/kind']);
    const after = (await t.app.inject({ url: `/trials/${stored.id}` })).json() as Trial;
    expect(after).toMatchObject({ version: stored.version, provenance: { kind: 'REGISTRY' } });
  });

  it('lets an editor change anything else while the kind stays', async () => {
    const stored = await create(registryBody());
    const res = await put(stored, registryBody({ title: 'Retitled' }), editor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: 'Retitled', version: stored.version + 1 });
  });

  it('needs an admin’s X-Revision-Note (400 naming the header), which the revision keeps', async () => {
    const stored = await create(registryBody());
    const demoted = registryBody({ provenance: { kind: 'USER', sources: ['re-entered by hand'] } });
    const silent = expectProblem(await put(stored, demoted, admin), 400);
    expect(silent.detail).toMatch(/X-Revision-Note/);
    expect(paths(silent)).toEqual(['/headers/x-revision-note']);
    const blank = expectProblem(await put(stored, demoted, { ...admin, 'x-revision-note': '   ' }), 400);
    expect(paths(blank)).toEqual(['/headers/x-revision-note']);

    const note = 'Registry record withdrawn; numbers re-entered from the sponsor';
    const res = await put(stored, demoted, { ...admin, 'x-revision-note': note });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ provenance: { kind: 'USER' }, version: stored.version + 1 });
    const [latest, first] = await revisions(stored.id);
    expect(latest).toMatchObject({ version: stored.version + 1, channel: 'API', note });
    expect(first).toMatchObject({ version: stored.version, note: null });
  });

  it('never makes an ILLUSTRATIVE trial REGISTRY or PUBLICATION, even for an admin with a note', async () => {
    const illustrative = await create(
      trialBody({
        title: '[Illustrative] Made-up numbers',
        provenance: { kind: 'ILLUSTRATIVE', sources: ['made up to show the catalogue'] },
      }),
    );
    const asReal: Body[] = [
      registryBody({ title: 'Made-up numbers' }),
      trialBody({
        references: [{ citation: 'Placeholder citation' }],
        provenance: { kind: 'PUBLICATION', sources: ['the placeholder'] },
      }),
    ];
    for (const body of asReal) {
      const res = await put(illustrative, body, { ...admin, 'x-revision-note': 'promote it' });
      const problem = expectProblem(res, 400);
      expect(problem.detail).toMatch(/is ILLUSTRATIVE: its numbers were made up.*never becomes/);
      expect(paths(problem)).toEqual(['/provenance/kind']);
    }
    const after = (await t.app.inject({ url: `/trials/${illustrative.id}` })).json() as Trial;
    expect(after).toMatchObject({ version: 1, provenance: { kind: 'ILLUSTRATIVE' } });
    // An admin may still call it the user's own record, with a reason.
    const toUser = trialBody({ provenance: { kind: 'USER', sources: ['re-entered'] } });
    const res = await put(illustrative, toUser, { ...admin, 'x-revision-note': 'no longer a demo' });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('the attack of issue 11 on a seed trial', () => {
  it('an ILLUSTRATIVE seed trial cannot be passed off as REGISTRY, so real-only summaries stay as they were', async () => {
    loadSeed(t.db);
    const real = '/summaries/bmd-change?provenance=REGISTRY,PUBLICATION';
    const before = (await t.app.inject({ url: real })).body;
    const listed = await t.app.inject({ url: '/trials?provenance=ILLUSTRATIVE&hasBmdResults=true&limit=1' });
    const seed = (listed.json() as { data: Trial[] }).data[0] as Trial;
    const title = seed.title.replace(/^\[Illustrative\]\s*/, '');
    // As the issue sent it: no registry id, no source, the [Illustrative] tag dropped.
    const bare = { ...seed, title, provenance: { kind: 'REGISTRY', sources: [] } };
    const refusedBare = expectProblem(await put(seed, bare as unknown as Body, editor), 400);
    expect(paths(refusedBare)).toEqual(['/registryIds', '/provenance/sources']);
    // Dressed up with an id and a source, by an admin with a note: still never REGISTRY.
    const dressed = {
      ...bare,
      registryIds: ['NCT90001999'],
      provenance: { kind: 'REGISTRY', sources: ['a registry page'] },
    };
    const headers = { ...admin, 'x-revision-note': 'promote' };
    const refused = expectProblem(await put(seed, dressed as unknown as Body, headers), 400);
    expect(paths(refused)).toEqual(['/provenance/kind']);
    expect((await t.app.inject({ url: real })).body).toBe(before);
    expect((await t.app.inject({ url: `/trials/${seed.id}` })).json()).toMatchObject({
      version: seed.version,
      provenance: { kind: 'ILLUSTRATIVE' },
    });
  });
});

describe('X-Revision-Note on every trial write', () => {
  it('is kept on the revision of a create, a replace and a delete', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { ...editor, 'x-revision-note': 'entered from the protocol' },
      payload: trialBody(),
    });
    const trial = created.json() as Trial;
    await put(trial, trialBody({ title: 'Second' }), { ...editor, 'x-revision-note': 'title fixed' });
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/trials/${trial.id}`,
      headers: { ...admin, 'x-revision-note': 'duplicate record' },
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await revisions(trial.id)).map((r) => [r.version, r.note])).toEqual([
      [3, 'duplicate record'],
      [2, 'title fixed'],
      [1, 'entered from the protocol'],
    ]);
  });

  it('keeps a note sent in UTF-8 as written', async () => {
    const note = 'Überprüft gegen die Publikation – ok';
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      // Header values travel as bytes; a client sends the note's UTF-8 bytes.
      headers: { ...editor, 'x-revision-note': Buffer.from(note, 'utf8').toString('latin1') },
      payload: trialBody(),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await revisions((res.json() as Trial).id))[0]?.note).toBe(note);
  });

  it.each([
    ['longer than 500 characters', 'x'.repeat(501), /at most 500 characters/],
    ['with a tab', 'two\tcolumns', /no control characters/],
    ['with a control character', 'bell\u0007', /no control characters/],
  ])('refuses a note %s (400 naming the header), writing nothing', async (_name, note, message) => {
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { ...editor, 'x-revision-note': note },
      payload: trialBody(),
    });
    const problem = expectProblem(res, 400);
    expect(problem.errors).toEqual([
      { path: '/headers/x-revision-note', message: expect.stringMatching(message) },
    ]);
    expect(rowCounts(t.db)).toEqual(before);
  });
});
