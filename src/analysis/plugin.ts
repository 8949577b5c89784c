import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client';
import { AnalysisRunner } from './runner';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every aggregate (counts, summaries, meta-analyses), cached by data version, run off the main thread. */
    analyses: AnalysisRunner;
  }
}

/** The analysis runner as a plugin: routes reach it as `app.analyses`, and closing the app stops its workers. */
async function analysisPlugin(app: FastifyInstance, { db }: { db: Db }) {
  const runner = new AnalysisRunner(db);
  app.decorate('analyses', runner);
  app.addHook('onClose', () => runner.close());
}

export default fp(analysisPlugin, { name: 'analysis' });
