import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import auth from '../src/plugins/auth';
import loadShedding from '../src/plugins/load-shedding';
import problemDetails from '../src/plugins/problem-details';
import requestChecks from '../src/plugins/request-checks';
import requestLog, { RequestLogController, requestId, withRedactedUrls } from '../src/plugins/request-log';
import roles from '../src/plugins/roles';
import security from '../src/plugins/security';
import { CHAIN } from './plugin-chain';

/**
 * The service's request chain (bench/plugin-chain.ts), cut after its first PLUGINS steps, in
 * front of a route that answers a fixed trial document: `bench/plugin-costs.ts` measures each step.
 */

const steps = Number(process.env.PLUGINS ?? CHAIN.length);
const config = loadConfig({ ...process.env, DATABASE_PATH: ':memory:' });
// From the request log on, the logger src/server.ts builds when stdout is no terminal: JSON lines
// at LOG_LEVEL (the benchmark's warn writes none, but each request still gets its child logger).
const logger =
  steps > 0
    ? withRedactedUrls({
        level: config.LOG_LEVEL,
        redact: ['req.headers.authorization', 'headers.authorization'],
      })
    : false;
const app: FastifyInstance = Fastify({
  logger,
  logController: new RequestLogController(),
  genReqId: requestId,
});
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
const register: (() => Promise<unknown>)[] = [
  async () => app.register(requestLog),
  async () => app.register(problemDetails),
  async () => app.register(loadShedding, config),
  async () => app.register(security, config),
  async () => app.register(requestChecks),
  async () => app.register(auth, { db: openDatabase(':memory:') }),
  async () => app.register(roles),
];
for (const step of register.slice(0, Math.min(steps, register.length))) await step();
const document = JSON.stringify({ id: 'tr_example', title: 'A fixed document', arms: [] });
const validated = steps > register.length;
app.get(
  '/trials/:id',
  validated
    ? { schema: { params: z.object({ id: z.string().max(200) }), querystring: z.strictObject({}) } }
    : {},
  async (_request, reply) => reply.type('application/json; charset=utf-8').send(document),
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
