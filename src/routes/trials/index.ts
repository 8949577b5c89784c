import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client';
import { trialReadRoutes } from './read-routes';
import { trialWriteRoutes } from './write-routes';

/** `/trials`: find, read and curate trials, and read their history. */
export default async function trialRoutes(app: FastifyInstance, { db }: { db: Db }) {
  trialReadRoutes(app, db);
  trialWriteRoutes(app, db);
}
