import Fastify from 'fastify';

/** The baseline every figure is a ratio to: a bare Fastify route on the same machine, in its own process. */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
