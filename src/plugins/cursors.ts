import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CursorSigner } from '../filters/cursors';

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs and checks the pagination cursors of every list, with this server's key. */
    cursors: CursorSigner;
  }
}

/** One signer per app, keyed by its configuration (CURSOR_SECRET), so two apps may use two keys. */
async function cursors(app: FastifyInstance, { secret }: { secret: string | undefined }) {
  app.decorate('cursors', new CursorSigner(secret));
}

export default fp(cursors, { name: 'cursors' });
