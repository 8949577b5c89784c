import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client';
import type { CatalogueHistory } from '../store/catalogue-history';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database a read of `asOf` (or of now, when absent) runs on. */
    catalogueAt: (asOf: string | undefined) => Db;
  }
}

/** Reads as of a past instant run on that instant's rebuilt catalogue; others on the live one. */
async function history(app: FastifyInstance, { db, history }: { db: Db; history: CatalogueHistory }) {
  app.decorate('catalogueAt', (asOf: string | undefined) => (asOf === undefined ? db : history.at(asOf).db));
  app.addHook('onClose', async () => history.close());
}

export default fp(history, { name: 'history' });
