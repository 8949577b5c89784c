import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { overloaded } from '../errors';

type LoadSheddingConfig = Pick<Config, 'MAX_EVENT_LOOP_DELAY_MS' | 'MAX_EVENT_LOOP_UTILIZATION'>;

/** How long a refused client should wait: a few samples of the load, not a busy retry loop. */
export const RETRY_AFTER_SECONDS = 10;

const UNDER_PRESSURE_DETAIL: Record<string, string> = {
  eventLoopDelay: 'The server is overloaded (its event loop is saturated)',
  eventLoopUtilization: 'The server is overloaded (its event loop is fully busy)',
};

/**
 * Refuses requests with 503 problem+json and Retry-After while the process is saturated, so a
 * burst degrades into quick refusals instead of every request timing out. Thresholds come from
 * MAX_EVENT_LOOP_DELAY_MS and MAX_EVENT_LOOP_UTILIZATION; 0 turns a check off.
 */
async function loadShedding(app: FastifyInstance, config: LoadSheddingConfig) {
  await app.register(underPressure, {
    maxEventLoopDelay: config.MAX_EVENT_LOOP_DELAY_MS,
    maxEventLoopUtilization: config.MAX_EVENT_LOOP_UTILIZATION,
    retryAfter: RETRY_AFTER_SECONDS,
    pressureHandler: async (_request, _reply, type) => {
      const reason = UNDER_PRESSURE_DETAIL[type] ?? 'The server is overloaded';
      throw overloaded(`${reason}; retry in ${RETRY_AFTER_SECONDS} seconds.`, RETRY_AFTER_SECONDS);
    },
  });
}

export default fp(loadShedding, { name: 'load-shedding', dependencies: ['problem-details'] });
