import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { EXAMPLE_TRIAL_ID } from '../../src/routes/trials/schemas';
import { createApiKey } from '../../src/store/api-keys';
import { type PrismProxy, startPrismProxy } from '../helpers/prism-proxy';
import { type CurlRequest, readmeCurlCommands } from '../helpers/readme-curl';
import { type RunningServer, startServer } from '../helpers/start-server';

/**
 * Every request the README shows, sent through Stoplight Prism's validating proxy to the real
 * server: each request and each answer must be what openapi/openapi.json declares, so a client
 * generated from the document can make the README's requests and read their answers.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** Where the README's commands send their requests (`npm start`). */
const README_ORIGIN = 'http://127.0.0.1:3000';
/** A ClinicalTrials.gov API v2 study, standing in for the record the README's import example sends. */
const CTGOV_STUDY = readFileSync(
  new URL('../fixtures/ctgov-synthetic/NCT99999901.json', import.meta.url),
  'utf8',
);

interface Sent {
  name: string;
  status: number;
  violations: string | null;
  contentType: string;
  location: string | null;
  text: string;
}

let server: RunningServer;
let prism: PrismProxy;
let key: string;

beforeAll(async () => {
  server = await startServer();
  const db = openDatabase(server.databasePath);
  key = createApiKey(db, 'readme-reader', 'editor').secret;
  closeDatabase(db);
  prism = await startPrismProxy(server.url);
}, 100_000);

afterAll(async () => {
  await prism?.stop();
  await server?.stop();
});

async function send(
  name: string,
  method: string,
  path: string,
  headers: [string, string][] = [],
  body?: string,
): Promise<Sent> {
  const res = await fetch(`${prism.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(30_000),
  });
  return {
    name,
    status: res.status,
    violations: res.headers.get('sl-violations'),
    contentType: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'),
    text: await res.text(),
  };
}

/** Prism flagged nothing and the server answered with success. */
const clean = (sent: Sent) => sent.violations === null && sent.status >= 200 && sent.status < 300;
const report = (sent: Sent) =>
  `${sent.name} → ${sent.status} ${(sent.violations ?? '').slice(0, 600)} ${sent.status >= 300 ? sent.text.slice(0, 400) : ''}`;

describe('the README’s requests through Prism’s validating proxy', () => {
  it('finds the README’s curl commands, all addressed to the server `npm start` runs', () => {
    const commands = readmeCurlCommands(README);
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands.filter((c) => !c.url.startsWith(`${README_ORIGIN}/`))).toEqual([]);
    // The writes are among them, so the key, the created trial and files are all exercised.
    expect(commands.map((c) => c.method)).toEqual(expect.arrayContaining(['POST', 'PUT']));
  });

  it('refuses what breaks the document (the README’s own error example), so a pass means something', async () => {
    const sent = await send('GET /trials?route=ORAL', 'GET', '/trials?route=ORAL');
    expect(sent.status).toBe(422);
    expect(sent.text).toContain('route');
  });

  it('passes every README curl example, writes included, with no violation', async () => {
    let createdId: string | undefined;
    const fileContent = async (name: string): Promise<string> => {
      if (name === 'trial.json') {
        // "GET it, edit the JSON, and PUT the whole record back": here unedited.
        const got = await send('GET the created trial', 'GET', `/trials/${createdId}`);
        expect(clean(got), report(got)).toBe(true);
        return got.text;
      }
      // A file of the repository, named from its root as the README's commands run there.
      const inRepository = new URL(`../../${name}`, import.meta.url);
      if (!name.startsWith('/') && !name.includes('..') && existsSync(inRepository))
        return readFileSync(inRepository, 'utf8');
      // A study the reader downloaded from ClinicalTrials.gov: a v2 record of the same kind.
      if (/^NCT\d{8}\.json$/.test(name)) return CTGOV_STUDY;
      throw new Error(`the README sends a file this test does not supply: ${name}`);
    };
    const sent: Sent[] = [];
    for (const command of readmeCurlCommands(README, { KEY: key }) as CurlRequest[]) {
      const url = command.url.slice(README_ORIGIN.length);
      if (url.includes('<id>') && !createdId)
        throw new Error(`no trial was created before: ${command.command}`);
      const path = url.replaceAll('<id>', createdId ?? '');
      const body = command.data?.startsWith('@') ? await fileContent(command.data.slice(1)) : command.data;
      const answer = await send(command.command, command.method, path, command.headers, body);
      if (command.method === 'POST' && path === '/trials' && answer.status === 201)
        createdId = answer.location?.split('/').at(-1);
      sent.push(answer);
    }
    expect(sent.filter((s) => !clean(s)).map(report)).toEqual([]);
    expect(createdId).toBeDefined();
    // The CSV and SVG answers came through as what they are.
    expect(sent.map((s) => s.contentType.split(';')[0])).toEqual(
      expect.arrayContaining(['application/json', 'text/csv', 'image/svg+xml']),
    );
  }, 120_000);

  it('passes every /imports body the README says works, each as a dry run', async () => {
    const trial = (await send('GET a seed trial', 'GET', `/trials/${EXAMPLE_TRIAL_ID}`)).text;
    const page = (await send('GET a page of trials', 'GET', '/trials?limit=3')).text;
    const csv = (await send('GET results as CSV', 'GET', '/bmd-results?format=csv&limit=3')).text;
    const study = JSON.parse(CTGOV_STUDY) as unknown;
    const bodies: { readme: string; format: string; type: string; body: string }[] = [
      {
        readme: '`{ "trials": [Trial, ...] }`',
        format: 'bundle',
        type: 'json',
        body: `{"trials":[${trial}]}`,
      },
      { readme: 'a `GET /trials` page', format: 'bundle', type: 'json', body: page },
      { readme: 'or one trial also', format: 'bundle', type: 'json', body: trial },
      { readme: 'one study, an array', format: 'ctgov', type: 'json', body: CTGOV_STUDY },
      { readme: 'an array, or a', format: 'ctgov', type: 'json', body: JSON.stringify([study]) },
      {
        readme: 'or a `/studies` page',
        format: 'ctgov',
        type: 'json',
        body: JSON.stringify({ studies: [study] }),
      },
      {
        readme: '`format=csv`: `text/csv` in the columns of `GET /bmd-results?format=csv`',
        format: 'csv',
        type: 'csv',
        body: csv,
      },
    ];
    // Each body stands for a sentence of the README's "Importing data", so the two cannot drift apart.
    expect(bodies.filter((b) => !README.includes(b.readme)).map((b) => b.readme)).toEqual([]);
    const sent: Sent[] = [];
    for (const { readme, format, type, body } of bodies)
      sent.push(
        await send(
          `POST /imports?format=${format} (${readme})`,
          'POST',
          `/imports?format=${format}&dryRun=true`,
          [
            ['Authorization', `Bearer ${key}`],
            ['Content-Type', type === 'csv' ? 'text/csv' : 'application/json'],
          ],
          body,
        ),
      );
    expect(sent.filter((s) => !clean(s)).map(report)).toEqual([]);
    for (const s of sent)
      expect((JSON.parse(s.text) as { rejected: unknown[] }).rejected, s.name).toEqual([]);
  }, 120_000);
});
