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
async function analysisPlugin(app: FastifyInstance, { db, maxStudies }: { db: Db; maxStudies: number }) {
  const runner = new AnalysisRunner(db, { maxStudies });
  app.decorate('analyses', runner);
  app.addHook('onClose', () => runner.close());
}

export default fp(analysisPlugin, { name: 'analysis' });
