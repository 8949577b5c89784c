import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { REAL_CTGOV, rowCounts, SYNTHETIC_CTGOV } from './support';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the import command as a user would, with stdout and stderr piped (not a terminal). */
async function cli(database: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/import.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: join(dir, database) },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function counts(database: string) {
  const db = openDatabase(join(dir, database));
  try {
    return {
      ...rowCounts(db),
      cliRevisions: db.$client
        .prepare("SELECT count(*) FROM revisions WHERE changed_by = 'cli-import'")
        .pluck()
        .get(),
    };
  } finally {
    db.$client.close();
  }
}

const real = (file: string) => fileURLToPath(new URL(file, REAL_CTGOV));
const synthetic = (file: string) => fileURLToPath(new URL(file, SYNTHETIC_CTGOV));

describe('npm run import', () => {
  it('imports files of several formats as one import, prints a plain summary, exits 0', async () => {
    const csv = join(dir, 'results.csv');
    writeFileSync(
      csv,
      'registryIds,trialTitle,studyType,overallStatus,phases,population,provenanceKind,provenanceSources,' +
        'armLabel,armType,participants,cellSource,cellType,donor,route,comparator,site,metric,method,statistic,' +
        'timepointMonths,n,mean,sd,se,ciLower,ciUpper,note,trialId\r\n' +
        'IRCT0000000001,Made-up CSV trial,INTERVENTIONAL,COMPLETED,PHASE1,MIXED,USER,cli test,' +
        'Cells,EXPERIMENTAL,10,BONE_MARROW,MSC,AUTOLOGOUS,INTRAVENOUS,,LUMBAR_SPINE,PERCENT_CHANGE,DXA,MEAN,' +
        '12,9,2.1,0.8,,,,made up,\r\n',
    );
    // The real record (food texture in dysphagia) is off topic: skipped unless --allow-off-topic.
    const files = [real('NCT05594173.json'), synthetic('NCT99999901.json'), csv];
    const first = await cli('one.db', files);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^Import written\. Trials: created 2, updated 0, unchanged 0, skipped 1, rejected 0, warnings 4 \(CSV rows: 1 added, 0 unchanged\)\.\n/,
    );
    expect(first.stdout).toMatch(
      /\nskipped {3}\S*NCT05594173\.json record 0: NCT05594173 is off topic: no bone condition \(conditions: "Dysphagia"\)/,
    );
    expect(first.stdout).not.toContain(String.fromCharCode(27)); // no terminal control codes when not on a terminal
    expect(counts('one.db')).toMatchObject({ trials: 2, bmd_results: 10, cliRevisions: 2 });

    const again = await cli('one.db', files);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/created 0, updated 0, unchanged 2, skipped 1, rejected 0/);
    expect(counts('one.db')).toMatchObject({ trials: 2, revisions: 2 });

    const offTopic = await cli('one.db', ['--allow-off-topic', ...files]);
    expect(offTopic.code, offTopic.stderr).toBe(0);
    expect(offTopic.stdout).toMatch(/created 1, updated 0, unchanged 2, skipped 0, rejected 0/);
    expect(offTopic.stdout).toMatch(/warning {3}\S*NCT05594173\.json record 0 OFF_TOPIC: /);
    expect(offTopic.stdout).toMatch(/warning {3}\S*NCT05594173\.json record 0 NO_ARM_GROUPS: /);
    expect(counts('one.db')).toMatchObject({ trials: 3, cliRevisions: 3 });
  });

  it('exits non-zero and writes nothing when anything is rejected', async () => {
    const before = await cli('two.db', [synthetic('NCT99999902.json')]);
    expect(before.code).toBe(0);
    const snapshot = counts('two.db');
    const refused = await cli('two.db', [synthetic('NCT99999903.json'), real('classic/NCT00023673.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^Import refused: nothing was written\./);
    expect(refused.stdout).toMatch(/rejected {2}\S*classic\/NCT00023673\.json: .*classic.*retired/);
    expect(counts('two.db')).toEqual(snapshot);
  });

  it('--dry-run reports and writes nothing; --format overrides the extension', async () => {
    const dry = await cli('three.db', ['--dry-run', '--format', 'ctgov', synthetic('NCT99999902.json')]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run: nothing was written\. Trials: created 1,/);
    expect(counts('three.db')).toMatchObject({ trials: 0 });
    const wrong = await cli('three.db', ['--format', 'csv', synthetic('NCT99999902.json')]);
    expect(wrong.code).toBe(1);
  });

  it('exits 2 with usage for bad arguments', async () => {
    const none = await cli('four.db', []);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: npm run import/);
    expect((await cli('four.db', ['--format', 'xml', 'x.json'])).code).toBe(2);
  });
});
