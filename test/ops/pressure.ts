import type { FastifyInstance } from 'fastify';

/** Keeps the event loop busy, as a burst of synchronous work would. */
export function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy on purpose
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Saturates the event loop until the app's load-shedding samples it as under pressure (it samples
 * once a second). Bounded: gives up after a few tries.
 */
export async function untilUnderPressure(app: FastifyInstance, attempts = 5): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (app.isUnderPressure()) return;
    blockEventLoop(400);
    for (let waited = 0; waited < 1500 && !app.isUnderPressure(); waited += 20) await pause(20);
  }
  if (!app.isUnderPressure()) throw new Error('the app never came under pressure');
}
