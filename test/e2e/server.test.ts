import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../helpers/start-server';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 40_000);
afterAll(() => server?.stop());

describe('the real server over HTTP', () => {
  it('migrates, seeds an empty database and serves it on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const res = await fetch(`${server.url}/trials?registryId=NCT02566655`);
    const body = (await res.json()) as { data: { arms: unknown[] }[] };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.arms[0]).toMatchObject({ cellSource: 'BONE_MARROW', route: 'INTRAVENOUS' });
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/trials');
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    // The bare address leads there: a person who opens it lands on the docs.
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/docs']);
    expect(await (await fetch(`${server.url}/`)).text()).toContain('swagger-ui');
    expect(spec.paths).not.toHaveProperty('/');
  });

  it('answers aggregates from its worker thread, agreeing with the list', async () => {
    const counts = (await (await fetch(`${server.url}/summaries/counts?facets=provenance`)).json()) as {
      total: number;
      facets: { provenance: { value: string; trials: number }[] };
    };
    const list = (await (await fetch(`${server.url}/trials?countTotal=true&limit=1`)).json()) as {
      page: { total: number };
    };
    expect(counts.total).toBe(list.page.total);
    const illustrative = counts.facets.provenance.find((v) => v.value === 'ILLUSTRATIVE');
    const listed = (await (
      await fetch(`${server.url}/trials?provenance=ILLUSTRATIVE&countTotal=true&limit=1`)
    ).json()) as {
      page: { total: number };
    };
    expect(illustrative?.trials).toBe(listed.page.total);
    const meta = await fetch(`${server.url}/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE`);
    expect(meta.status).toBe(200);
    const body = (await meta.json()) as { warnings: { code: string }[]; studies: unknown[] };
    expect(body.studies.length).toBeGreaterThan(0);
    expect(body.warnings.map((w) => w.code)).toContain('ILLUSTRATIVE_DATA');
  });

  it('exits cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
