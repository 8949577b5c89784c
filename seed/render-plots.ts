import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app';
import { defaultConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';
import { loadSeed } from './load-seed';

/**
 * Draws the README's plots of the seed set (lumbar-spine percent change, DXA) into docs/: the
 * forest plot, the cumulative meta-analysis and the funnel plot. The seed's controlled trials are
 * illustrative, and every plot says so under its axis.
 */
const QUERY = 'site=LUMBAR_SPINE&metric=PERCENT_CHANGE&method=DXA';
const PLOTS = {
  'forest-plot-seed.svg': `/meta-analyses/bmd/forest.svg?${QUERY}`,
  'cumulative-plot-seed.svg': `/meta-analyses/bmd/cumulative.svg?${QUERY}`,
  'funnel-plot-seed.svg': `/meta-analyses/bmd/funnel.svg?${QUERY}`,
};

const db = openDatabase(':memory:');
runMigrations(db);
loadSeed(db);
const app = await buildApp({ config: defaultConfig(), db });
mkdirSync(fileURLToPath(new URL('../docs', import.meta.url)), { recursive: true });
for (const [file, url] of Object.entries(PLOTS)) {
  const res = await app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`${file} failed: ${res.statusCode} ${res.body}`);
  const out = fileURLToPath(new URL(`../docs/${file}`, import.meta.url));
  writeFileSync(out, res.body);
  process.stdout.write(`Wrote ${out}\n`);
}
await app.close();
db.$client.close();
