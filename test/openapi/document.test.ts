import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from '../../openapi/write-openapi';
import { loadSeed } from '../../seed/load-seed';
import { type OpenApiDocument, refineOpenApi } from '../../src/plugins/openapi-contract';
import { loadTrial } from '../../src/store/trial-store';
import { freshDb } from '../helpers/build-test-app';

type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  style?: string;
  explode?: boolean;
  schema?: { type?: string; example?: unknown; enum?: unknown; items?: { enum?: unknown } };
};
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  parameters?: Parameter[];
};
type Document = { paths: Record<string, Record<string, Operation>> };

const committed = () => JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;
const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method} ${path}`, op })),
  );

describe('the committed OpenAPI document', () => {
  it('is what the code produces (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(await generateOpenApi());
  });

  // A client that diffs the document between releases sees contract changes only, not module order.
  it('lists its component schemas in name order', () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { components: { schemas: object } };
    const names = Object.keys(doc.components.schemas);
    expect(names.length).toBeGreaterThan(10);
    expect(names).toEqual([...names].sort());
  });

  it('is a valid OpenAPI 3 document', async () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    await expect(SwaggerParser.validate(doc)).resolves.toBeTruthy();
  });

  it('gives every operation a tag, a summary and a unique camelCase operationId', () => {
    const ops = operations(committed());
    const missing = ops
      .filter(({ op }) => !op.tags?.length || !op.summary || !/^[a-z][A-Za-z]+$/.test(op.operationId ?? ''))
      .map(({ name }) => name);
    expect(missing).toEqual([]);
    expect(new Set(ops.map(({ op }) => op.operationId)).size).toBe(ops.length);
    expect(ops.find(({ name }) => name === 'get /trials')?.op.operationId).toBe('listTrials');
  });

  // Swagger UI's "Try it out" sends every example it finds: optional filters with examples would all be
  // applied together and select nothing, while a required parameter needs one to be sent at all.
  it('gives every required parameter an example and no optional one', () => {
    const wrong: string[] = [];
    for (const { name, op } of operations(committed()))
      for (const p of op.parameters ?? []) {
        const example = p.example ?? p.schema?.example;
        if (p.required && example === undefined) wrong.push(`${name}: no example for required ${p.name}`);
        if (!p.required && example !== undefined) wrong.push(`${name}: example for optional ${p.name}`);
      }
    expect(wrong).toEqual([]);
    const meta = committed().paths['/meta-analyses/bmd']?.get?.parameters ?? [];
    expect(meta.filter((p) => p.required).map((p) => [p.name, p.schema?.example])).toEqual([
      ['site', 'LUMBAR_SPINE'],
      ['metric', 'PERCENT_CHANGE'],
    ]);
  });

  it('uses a seed trial’s id as the example of every {id} path parameter', () => {
    const db = freshDb();
    try {
      loadSeed(db);
      const examples = operations(committed()).flatMap(({ op }) =>
        (op.parameters ?? []).filter((p) => p.in === 'path' && p.name === 'id').map((p) => p.schema?.example),
      );
      expect(examples.length).toBeGreaterThan(0);
      for (const id of new Set(examples)) expect(loadTrial(db, String(id))?.id).toBe(id);
    } finally {
      db.$client.close();
    }
  });

  // The README writes `provenance=REGISTRY,PUBLICATION`; repeated parameters work as well.
  it('declares every list parameter in the comma form, and says repeated ones work too', () => {
    const wrong: string[] = [];
    for (const { name, op } of operations(committed()))
      for (const p of op.parameters ?? [])
        if (
          p.schema?.type === 'array' &&
          (p.style !== 'form' || p.explode !== false || !/repeated/.test(JSON.stringify(p)))
        )
          wrong.push(`${name}: ${p.name}`);
    expect(wrong).toEqual([]);
  });

  it('gives ranges, flags and paging descriptions with their units', () => {
    const params = new Map(
      (committed().paths['/trials']?.get?.parameters ?? []).map((p) => [p.name, JSON.stringify(p)]),
    );
    const units: Record<string, RegExp> = {
      timepointMin: /months/,
      timepointMax: /months/,
      bmdChangeMin: /percentage points.*g\/cm².*mg\/cm³/,
      bmdChangeMax: /percentage points.*g\/cm².*mg\/cm³/,
      enrollmentMin: /participants/,
      enrollmentMax: /participants/,
      startYearFrom: /calendar year/,
      startYearTo: /calendar year/,
      updatedSince: /ISO 8601 timestamp/,
      hasBmdResults: /`true`.*`false`/,
      countTotal: /page\.total/,
      limit: /1 to 500/,
    };
    for (const [name, pattern] of Object.entries(units)) expect(params.get(name), name).toMatch(pattern);
  });

  it('is refined once: refining the committed document again changes nothing', () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
    expect(refineOpenApi(structuredClone(doc))).toEqual(doc);
  });

  it('documents the CSV import as text and every JSON import shape apart from it', () => {
    type Post = {
      requestBody?: { content: Record<string, { schema: { type?: string; anyOf?: unknown[] } }> };
    };
    const body = (committed().paths['/imports']?.post as Post | undefined)?.requestBody?.content;
    expect(body?.['text/csv']?.schema.type).toBe('string');
    expect(body?.['application/json']?.schema.anyOf?.length).toBeGreaterThanOrEqual(7);
    expect(JSON.stringify(body?.['application/json'])).not.toContain('"type":"string","title":"CSV"');
  });

  it('carries no JavaScript safe-integer bounds (zod’s .int()), so samples show real numbers', () => {
    const text = readFileSync(OPENAPI_FILE, 'utf8');
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });

  it('lists every enum value of a filter', () => {
    const doc = committed();
    const route = doc.paths['/trials']?.get?.parameters?.find((p) => p.name === 'route');
    expect(route?.schema?.items?.enum).toEqual([
      'INTRAVENOUS',
      'INTRAOSSEOUS',
      'INTRA_ARTERIAL',
      'LOCAL_INJECTION',
      'SURGICAL_IMPLANT',
      'OTHER',
      'NOT_REPORTED',
    ]);
  });
});
