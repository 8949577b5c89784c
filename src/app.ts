import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import analysis from './analysis/plugin';
import type { AnalysisHooks } from './analysis/runner';
import type { Config } from './config';
import type { Db } from './db/client';
import auth from './plugins/auth';
import { clientErrorHandler, frameworkErrors } from './plugins/client-errors';
import cursors from './plugins/cursors';
import history from './plugins/history';
import loadShedding from './plugins/load-shedding';
import openapiContract from './plugins/openapi-contract';
import problemDetails from './plugins/problem-details';
import requestChecks from './plugins/request-checks';
import requestLog, { RequestLogController, requestId, withRedactedUrls } from './plugins/request-log';
import roles from './plugins/roles';
import security from './plugins/security';
import swagger from './plugins/swagger';
import bmdResultRoutes from './routes/bmd-results';
import importRoutes from './routes/imports';
import metaAnalysisRoutes from './routes/meta-analyses';
import referenceRoutes from './routes/reference';
import summaryRoutes from './routes/summaries';
import trialRoutes from './routes/trials';
import { CatalogueHistory } from './store/catalogue-history';

export interface BuildAppOptions {
  config: Config;
  db: Db;
  logger?: FastifyServerOptions['logger'];
  /** Seams for tests of the analysis queue (a held or stalled task, a count of runs); never set to serve. */
  analysisHooks?: AnalysisHooks;
}

/** Builds the service over an open, migrated database. Never listens and never reads process.env. */
export async function buildApp({
  config,
  db,
  logger = false,
  analysisHooks,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // A credential sent in the query string is redacted in every logged URL.
    logger: withRedactedUrls(logger),
    bodyLimit: config.BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // One line per request; requestId() vets an incoming X-Request-Id before it reaches the logs.
    logController: new RequestLogController(),
    requestIdHeader: false,
    genReqId: requestId,
    ajv: undefined,
    clientErrorHandler,
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(requestLog);
  await app.register(problemDetails);
  await app.register(loadShedding, config);
  await app.register(security, config);
  await app.register(requestChecks);
  await app.register(auth, { db });
  await app.register(roles);
  await app.register(swagger);
  await app.register(openapiContract);

  const catalogueHistory = new CatalogueHistory(db);
  await app.register(history, { db, history: catalogueHistory });
  await app.register(cursors, { secret: config.CURSOR_SECRET });
  await app.register(trialRoutes, { db });
  await app.register(bmdResultRoutes);
  await app.register(analysis, {
    db,
    maxStudies: config.ANALYSIS_MAX_STUDIES,
    history: catalogueHistory,
    queueMax: config.ANALYSIS_QUEUE_MAX,
    timeoutMs: config.ANALYSIS_TIMEOUT_MS,
    hooks: analysisHooks,
  });
  await app.register(summaryRoutes);
  await app.register(metaAnalysisRoutes);
  await app.register(referenceRoutes, { db });
  await app.register(importRoutes, {
    db,
    bodyLimit: config.IMPORT_BODY_LIMIT_BYTES,
    maxRecords: config.IMPORT_MAX_RECORDS,
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
