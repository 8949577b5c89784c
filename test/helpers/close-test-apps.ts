// Loaded before every test file (vitest.config.ts, setupFiles): an app a test forgets to close would
// keep its database and timers alive into the next file of the same worker.
import { afterAll } from 'vitest';
import { closeOpenTestApps } from './open-test-apps';

// Registered before the file's own hooks, so it runs after them (after-hooks run in reverse order):
// by then the apps the file closes itself are closed, and only the forgotten ones are left.
afterAll(closeOpenTestApps);
