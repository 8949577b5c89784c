import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from '../../openapi/write-openapi';

type Operation = {
  tags?: string[];
  summary?: string;
  parameters?: { name: string; schema?: { example?: unknown; enum?: unknown; items?: { enum?: unknown } } }[];
};

describe('the committed OpenAPI document', () => {
  it('is what the code produces (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(await generateOpenApi());
  });

  it('is a valid OpenAPI 3 document', async () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    await expect(SwaggerParser.validate(doc)).resolves.toBeTruthy();
  });

  it('gives every operation a tag and a summary, and every parameter an example', () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.tags?.length || !op.summary) missing.push(`${method} ${path}: tag/summary`);
        // A cursor is bound to the query it came from, so no fixed example could work in "Try it out".
        for (const p of op.parameters ?? [])
          if (p.name !== 'cursor' && p.schema?.example === undefined)
            missing.push(`${method} ${path}: example for ${p.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists every enum value of a filter', () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
      paths: Record<string, Record<string, Operation>>;
    };
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
