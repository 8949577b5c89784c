import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app';
import { defaultConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';
import { loadSeed } from './load-seed';

/**
 * Draws the forest plot of the seed set (lumbar-spine percent change, DXA) into
 * docs/forest-plot-seed.svg for the README. The seed's controlled trials are illustrative, and
 * the plot says so under its axis.
 */
const OUT = fileURLToPath(new URL('../docs/forest-plot-seed.svg', import.meta.url));

const db = openDatabase(':memory:');
runMigrations(db);
loadSeed(db);
const app = await buildApp({ config: defaultConfig(), db });
const res = await app.inject({
  url: '/meta-analyses/bmd/forest.svg?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&method=DXA',
});
if (res.statusCode !== 200) throw new Error(`forest plot failed: ${res.statusCode} ${res.body}`);
mkdirSync(fileURLToPath(new URL('../docs', import.meta.url)), { recursive: true });
writeFileSync(OUT, res.body);
await app.close();
db.$client.close();
process.stdout.write(`Wrote ${OUT}\n`);
