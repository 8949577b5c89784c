import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string }[];
}

let t: TestApp;
let paths: Record<string, Record<string, Operation>>;
beforeAll(async () => {
  t = await buildTestApp();
  paths = (t.app.swagger() as unknown as { paths: typeof paths }).paths;
});
afterAll(() => t.close());

describe('the OpenAPI document for writes', () => {
  it.each([
    ['/trials', 'post', ['201', '400', '401', '403', '409', '413', '415', '429']],
    [
      '/trials/{id}',
      'put',
      ['200', '400', '401', '403', '404', '409', '410', '412', '413', '415', '428', '429'],
    ],
    ['/trials/{id}', 'delete', ['204', '401', '403', '404', '410', '412', '429']],
  ])('%s %s declares the bearer scheme and its responses', (path, method, statuses) => {
    const op = paths[path]?.[method] as Operation;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(statuses));
  });

  it('documents If-Match on PUT and DELETE', () => {
    for (const method of ['put', 'delete']) {
      const params = paths['/trials/{id}']?.[method]?.parameters ?? [];
      expect(params).toContainEqual(expect.objectContaining({ name: 'if-match', in: 'header' }));
    }
  });

  it('leaves reads public', () => {
    for (const [path, operations] of Object.entries(paths)) {
      const get = operations.get;
      if (get) expect(get.security, path).toBeUndefined();
    }
  });
});
