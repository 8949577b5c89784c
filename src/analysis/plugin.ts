import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client';
import type { CatalogueHistory } from '../store/catalogue-history';
import { type AnalysisHooks, AnalysisRunner } from './runner';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every aggregate (counts, summaries, meta-analyses), cached by data version, run off the main thread. */
    analyses: AnalysisRunner;
  }
}

/** The analysis runner as a plugin: routes reach it as `app.analyses`, and closing the app stops its workers. */
interface AnalysisOptions {
  db: Db;
  maxStudies: number;
  /** The catalogue as of past instants, for `asOf`. */
  history: CatalogueHistory;
  queueMax: number;
  timeoutMs: number;
  hooks?: AnalysisHooks;
}

async function analysisPlugin(app: FastifyInstance, { db, maxStudies, ...options }: AnalysisOptions) {
  const runner = new AnalysisRunner(db, { limits: { maxStudies }, ...options });
  app.decorate('analyses', runner);
  app.addHook('onClose', () => runner.close());
}

export default fp(analysisPlugin, { name: 'analysis' });
