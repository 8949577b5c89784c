import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

// Node fires a setTimeout or AbortSignal.timeout beyond 2^31 − 1 ms after 1 ms: a timeout set that
// high would stop every analysis or registry request at once, so the start refuses it instead.
describe('timer settings', () => {
  it.each(['ANALYSIS_TIMEOUT_MS', 'CTGOV_REQUEST_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS', 'RATE_LIMIT_WINDOW_MS'])(
    '%s above 2147483647 ms stops the start with a message naming it',
    (name) => {
      expect(() => loadConfig({ [name]: '2147483648' })).toThrow(
        new RegExp(`${name}: must be at most 2147483647`),
      );
      expect(loadConfig({ [name]: '2147483647' })[name as 'ANALYSIS_TIMEOUT_MS']).toBe(2_147_483_647);
    },
  );
});
