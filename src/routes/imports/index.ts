import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client';
import { unsupportedMediaType } from '../../errors';
import { ImportRunner } from '../../imports/import-runner';
import { ProblemDetails } from '../../plugins/problem-details';
import { mediaTypeOf, WriteHeaders, writerOf } from '../write-support';
import { ImportBody, ImportProblem, ImportQuery, ImportReport as ImportReportSchema } from './schemas';

export interface ImportRoutesOptions {
  db: Db;
  /** IMPORT_BODY_LIMIT_BYTES: imports may be far larger than other write bodies. */
  bodyLimit: number;
  /** IMPORT_MAX_RECORDS: the most records one import takes. */
  maxRecords: number;
}

const JSON_TYPE = 'application/json';
const CSV_TYPE = 'text/csv';

/** The media type must fit the format, checked before the body is read. */
async function requireImportMediaType(request: FastifyRequest): Promise<void> {
  const mediaType = mediaTypeOf(request);
  if (mediaType === undefined) return; // no body: the handler reports an empty import
  const format = (request.query as { format?: unknown }).format;
  const allowed = format === 'csv' ? [CSV_TYPE] : format === undefined ? [JSON_TYPE, CSV_TYPE] : [JSON_TYPE];
  if (!allowed.includes(mediaType))
    throw unsupportedMediaType(
      `${format === undefined ? 'An import' : `format=${String(format)}`} is sent as ${allowed.join(' or ')}, ` +
        `not ${mediaType || 'an empty media type'}.`,
    );
}

const DESCRIPTION = `Needs an editor key. Loads many trials in **one transaction**: all of it is written, or none.

- \`format=bundle\`: JSON \`{ "trials": [Trial, ...] }\` (also a \`GET /trials\` page or one trial as served).
  A record may carry \`id\`, kept when it is created.
- \`format=csv\`: \`text/csv\`, one BMD result per row with its trial and arm columns: the columns of
  \`GET /bmd-results?format=csv\`, so an export loads back (\`id\`, \`sdEffective\`, \`sdSource\` are ignored).
  Results for trials and arms already in the catalogue need only \`trialId\` or \`registryIds\` (or \`registryId\`),
  \`armLabel\`, \`site\`, \`metric\`, \`timepointMonths\`, \`n\`, \`mean\` and a spread (\`sd\`, \`se\`, or \`ciLower\` and
  \`ciUpper\`); creating a trial also needs \`trialTitle\`, \`studyType\`, \`overallStatus\` and \`provenanceKind\`,
  creating an arm \`armType\`.
  Rows are matched on \`trialId\`, else a registry id, plus \`armLabel\`; a missing trial or arm is created from
  the row's columns; a row whose result equals a stored one (arm, site, metric, method, statistic, timepoint
  and values) is unchanged, any other is added to its arm. Trial and arm columns never edit what is stored
  (a warning says when they differ).
- \`format=ctgov\`: ClinicalTrials.gov API v2 JSON (one study, an array, or a \`/studies\` page), mapped with
  provenance REGISTRY; what could not be mapped is in \`warnings\`. The retired classic format is refused.
  A record that names no bone condition or no cell-based intervention is **skipped** with its reason (in
  \`records\`), unless \`allowOffTopic=true\`.
  A re-import keeps what a curator added (baseline, risk of bias, dose, safety).

An import never changes a stored trial's provenance kind: it keeps the stored kind and warns
\`PROVENANCE_KIND_KEPT\` (an admin changes a kind by \`PUT /trials/{id}\`). \`X-Revision-Note\` is kept on every
revision the import writes.

Records are matched on a registry id, else on \`id\`. A record equal to the stored trial (ids, versions,
timestamps and derived fields aside) is \`unchanged\`; otherwise the trial gets a new revision. Re-importing a
file, or anything this service exported, changes nothing. \`dryRun=true\` reports exactly what the import
would do and writes nothing. \`records\` names each record's outcome (CREATED, UPDATED, UNCHANGED or SKIPPED,
with the trial's id and title; the first 1,000).

An import takes at most \`IMPORT_MAX_RECORDS\` records (CSV: rows; default 100,000): a larger body is
refused with a **400** that says the limit, before any record is validated.

Any rejection (malformed JSON or CSV, a missing column, a value out of vocabulary, a registry id twice in
one file or owned by another trial, ...) answers **400** with \`application/problem+json\` that is also the full
report, and nothing is written. Validation stops after the 100th rejection: \`rejected\` lists the first 100
(record \`index\`, JSON Pointer \`path\`, \`code\`; for CSV also \`line\` and \`column\`), \`rejectedTotal\` and
\`rejectedByCode\` count what was examined, and \`complete: false\` says they are a lower bound.`;

/** POST /imports, in its own scope: only here is text/csv accepted and JSON read as text. */
export default async function importRoutes(
  app: FastifyInstance,
  { db, bodyLimit, maxRecords }: ImportRoutesOptions,
) {
  // Parsed, validated and applied off the event loop when the catalogue is a file (import-runner.ts).
  const runner = new ImportRunner(db, (error) => app.log.error({ err: error }, 'the import thread failed'));
  app.addHook('onReady', () => runner.started());
  app.addHook('onClose', () => runner.close());
  // The body is parsed by the import itself, so that a syntax error is reported like any other rejection.
  app.removeContentTypeParser([JSON_TYPE, 'text/plain']);
  app.addContentTypeParser([JSON_TYPE, CSV_TYPE], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.withTypeProvider<ZodTypeProvider>().post(
    '/imports',
    {
      bodyLimit,
      config: { role: 'editor' },
      preParsing: requireImportMediaType,
      schema: {
        operationId: 'importTrials',
        tags: ['imports'],
        summary: 'Import bundles, CSV or ClinicalTrials.gov records',
        description: DESCRIPTION,
        consumes: [JSON_TYPE, CSV_TYPE],
        querystring: ImportQuery,
        headers: WriteHeaders,
        body: ImportBody.nullish(),
        response: {
          200: ImportReportSchema,
          400: ImportProblem,
          413: ProblemDetails.meta({ description: 'The body is larger than IMPORT_BODY_LIMIT_BYTES.' }),
          415: ProblemDetails.meta({ description: 'The media type does not fit the format.' }),
          503: ProblemDetails.meta({
            description: 'The catalogue is busy with another write, or imports already wait their turn.',
          }),
        },
      },
    },
    async (request) =>
      runner.run({
        text: typeof request.body === 'string' ? request.body : '',
        format: request.query.format ?? (mediaTypeOf(request) === CSV_TYPE ? 'csv' : undefined),
        allowOffTopic: request.query.allowOffTopic,
        maxRecords,
        dryRun: request.query.dryRun,
        writer: writerOf(request, 'IMPORT'),
      }),
  );
}
