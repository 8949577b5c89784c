import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { blockEventLoop, untilUnderPressure } from './pressure';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('load shedding', () => {
  it('is on by default at 1000 ms of event-loop delay; 0 turns it off', () => {
    expect(loadConfig({}).MAX_EVENT_LOOP_DELAY_MS).toBe(1000);
    expect(loadConfig({}).MAX_EVENT_LOOP_UTILIZATION).toBe(0);
    expect(loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0' }).MAX_EVENT_LOOP_DELAY_MS).toBe(0);
    expect(() => loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '-1' })).toThrow(/MAX_EVENT_LOOP_DELAY_MS/);
    expect(() => loadConfig({ MAX_EVENT_LOOP_UTILIZATION: '2' })).toThrow(/MAX_EVENT_LOOP_UTILIZATION/);
  });

  it('answers 503 problem+json with Retry-After while the event loop is saturated, then recovers', async () => {
    t = await buildTestApp({ MAX_EVENT_LOOP_DELAY_MS: 1 });
    await untilUnderPressure(t.app);
    const res = await t.app.inject({ url: '/trials', headers: { 'x-request-id': 'overloaded-1' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('10');
    expect(res.headers['x-request-id']).toBe('overloaded-1');
    expect(res.json()).toMatchObject({ status: 503, type: expect.stringMatching(/\/overloaded$/) });

    // Once the loop is idle again, the next sample (each second) lets requests through.
    let status = 503;
    for (let i = 0; i < 40 && status === 503; i++) {
      await pause(100);
      status = (await t.app.inject({ url: '/trials' })).statusCode;
    }
    expect(status).toBe(200);
  });

  it('never refuses when the threshold is 0', async () => {
    t = await buildTestApp({ MAX_EVENT_LOOP_DELAY_MS: 0 });
    blockEventLoop(400);
    await pause(1100);
    expect(t.app.isUnderPressure()).toBe(false);
    expect((await t.app.inject({ url: '/trials' })).statusCode).toBe(200);
  });
});
