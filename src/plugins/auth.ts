import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client';
import { forbidden, unauthorized } from '../errors';
import { type ApiKey, type ApiKeyRole, findLiveKey } from '../store/api-keys';
import { KeyUseLog } from '../store/key-use-log';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key a write was authenticated with; null on public reads. */
    apiKey: ApiKey | null;
  }
  interface FastifyInstance {
    /**
     * A hook that admits only live keys of at least `role`. It runs at preParsing, so an
     * unauthenticated request is refused before its body is read or validated.
     */
    requireRole: (role: ApiKeyRole) => preParsingAsyncHookHandler;
  }
}

const RANK: Record<ApiKeyRole, number> = { editor: 1, admin: 2 };

/** The bearer credential of a request, or null when none was sent (RFC 6750 §2.1). */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

async function auth(app: FastifyInstance, { db }: { db: Db }) {
  app.decorateRequest('apiKey', null);
  // A key's use is noted in memory and stored when the database is free: never a wait on the event loop.
  const uses = new KeyUseLog(db);
  app.addHook('onClose', async () => {
    if (db.$client.open) uses.flush();
  });

  app.decorate('requireRole', (role: ApiKeyRole): preParsingAsyncHookHandler => {
    return async (request) => {
      const header = request.headers.authorization;
      if (header === undefined || header === '')
        throw unauthorized('This operation needs an API key: send `Authorization: Bearer <key>`.');
      const token = bearerToken(request);
      if (token === null) throw unauthorized('Send the API key as `Authorization: Bearer <key>`.');
      const found = findLiveKey(db, token);
      if (!found)
        throw unauthorized('The API key is not valid: it is unknown or has been revoked.', 'invalid_token');
      const key = uses.note(found);
      if (RANK[key.role] < RANK[role])
        throw forbidden(`This operation needs an ${role} key; key "${key.name}" is an ${key.role} key.`);
      request.apiKey = key;
    };
  });
}

export default fp(auth, { name: 'auth' });
