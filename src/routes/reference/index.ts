import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { appliedMigrationCount, knownMigrations } from '../../db/migrate';
import { ProblemDetails } from '../../plugins/problem-details';
import { dataVersion } from '../../store/trial-store';
import { vocabularies } from '../../vocabularies';

const VocabularyList = z
  .record(z.string(), z.array(z.object({ value: z.string(), label: z.string() })))
  .meta({
    id: 'Vocabularies',
    example: { route: [{ value: 'INTRAVENOUS', label: 'Intravenous' }] },
  });

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({ reachable: z.boolean() }),
    migrations: z.object({ applied: z.number().int(), known: z.number().int(), latest: z.string() }),
    dataVersion: z.number().int().nullable(),
  })
  .meta({ id: 'Health' });

export default async function referenceRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const answer = Object.fromEntries(
    Object.entries(vocabularies).map(([name, v]) => [
      name,
      Object.entries(v.labels).map(([value, label]) => ({ value, label })),
    ]),
  );

  r.get(
    '/vocabularies',
    {
      schema: {
        operationId: 'listVocabularies',
        tags: ['reference'],
        summary: 'Every controlled vocabulary, with labels',
        description: 'The values each enum field and filter accepts, and how to show them to a person.',
        response: { 200: VocabularyList },
      },
    },
    async () => answer,
  );

  r.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['reference'],
        summary: 'Liveness, database reachability and migration version',
        description:
          'For probes and operators: `ok` when the database answers and every migration is applied, ' +
          '`degraded` while migrations are pending; 503 with `Retry-After` when the database cannot be ' +
          'reached. `dataVersion` changes with every write.',
        response: {
          200: Health,
          503: {
            description:
              'The database cannot be reached (the health report, as JSON), or the server is overloaded ' +
              '(problem+json).',
            content: {
              'application/json': { schema: Health },
              'application/problem+json': { schema: ProblemDetails },
            },
          },
        },
      },
    },
    async (_request, reply) => {
      const known = knownMigrations();
      try {
        const applied = appliedMigrationCount(db);
        return {
          status: applied === known.length ? ('ok' as const) : ('degraded' as const),
          database: { reachable: true },
          migrations: { applied, known: known.length, latest: known.at(-1) ?? '' },
          dataVersion: dataVersion(db),
        };
      } catch {
        reply.code(503).header('retry-after', '5');
        return {
          status: 'degraded' as const,
          database: { reachable: false },
          migrations: { applied: 0, known: known.length, latest: known.at(-1) ?? '' },
          dataVersion: null,
        };
      }
    },
  );
}
