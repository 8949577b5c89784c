import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app';
import { defaultConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';

/**
 * Writes the OpenAPI document the code produces to openapi/openapi.json, or with `--check`
 * fails when the committed file differs from it, so the contract cannot drift unnoticed.
 */
export const OPENAPI_FILE = fileURLToPath(new URL('./openapi.json', import.meta.url));

export async function generateOpenApi(): Promise<string> {
  const db = openDatabase(':memory:');
  runMigrations(db);
  const app = await buildApp({ config: defaultConfig(), db });
  await app.ready();
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  db.$client.close();
  return text;
}

async function main() {
  const generated = await generateOpenApi();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(OPENAPI_FILE, 'utf8');
    } catch {
      // A missing file is reported like any other difference.
    }
    if (committed !== generated) {
      process.stderr.write(
        'openapi/openapi.json is out of date: run `npm run openapi` and commit the result.\n',
      );
      process.exit(1);
    }
    process.stdout.write('openapi/openapi.json matches the code.\n');
    return;
  }
  writeFileSync(OPENAPI_FILE, generated);
  process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
