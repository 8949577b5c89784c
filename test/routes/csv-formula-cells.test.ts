import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseCell, toCsv, unneutraliseCell } from '../../src/csv/write-csv';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addFormulaTrials, FORMULA_TRIALS, neutralised } from '../helpers/formula-trials';

// Issue 11 items 9 and 10: formula-like text cells are neutralised (OWASP "CSV Injection") in
// every export, and a field holding a lone LF or CR is quoted, so one trial is one record.

let t: TestApp;
let ids: string[];
let dir: string;
beforeAll(async () => {
  t = await buildTestApp();
  ids = addFormulaTrials(t.db);
  dir = mkdtempSync(join(tmpdir(), 'csv-formula-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const EXPORTS = {
  trials: '/trials?format=csv',
  'bmd-results': '/bmd-results?format=csv',
  'meta-analysis': '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&format=csv',
} as const;
const RECORDS = {
  trials: FORMULA_TRIALS.length,
  'bmd-results': 2 * FORMULA_TRIALS.length,
  'meta-analysis': FORMULA_TRIALS.length,
};

async function csvOf(url: string): Promise<string> {
  const res = await t.app.inject({ url });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}
/** Strict RFC 4180 reading that also ends a record at a lone LF or CR, as many readers do. */
const strictRows = (text: string) =>
  parse(text, { columns: true, record_delimiter: ['\r\n', '\n', '\r'], relax_quotes: false }) as Record<
    string,
    string
  >[];
const byTrial = <R extends Record<string, string>>(rows: R[], column: string) =>
  new Map(rows.map((r) => [r[column], r]));
const DECIMAL = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

describe('CSV formula injection: text cells neutralised in every export', () => {
  it('/trials: every title and source list begins with one more quote when formula-like', async () => {
    const rows = byTrial(strictRows(await csvOf(EXPORTS.trials)), 'id');
    FORMULA_TRIALS.forEach((f, i) => {
      const row = rows.get(ids[i] as string);
      expect(row?.title).toBe(neutralised(f.title));
      expect(row?.provenanceSources).toBe(`'=HYPERLINK("http://example.invalid");made up for a test`);
    });
    expect(rows.get(ids[0] as string)?.title).toBe(`'=HYPERLINK("http://example.invalid","click")`);
    expect(rows.get(ids[5] as string)?.title).toBe(`''-begins with a quote`);
  });

  it('/bmd-results: titles, arm labels and notes neutralised; negative means stay unquoted numbers', async () => {
    const text = await csvOf(EXPORTS['bmd-results']);
    const rows = strictRows(text);
    expect(rows).toHaveLength(RECORDS['bmd-results']);
    FORMULA_TRIALS.forEach((f, i) => {
      const cell = rows.find((r) => r.trialId === ids[i] && r.armType === 'EXPERIMENTAL');
      const control = rows.find((r) => r.trialId === ids[i] && r.armType === 'PLACEBO_COMPARATOR');
      expect(cell).toMatchObject({
        trialTitle: neutralised(f.title),
        armLabel: neutralised(f.cells),
        note: neutralised(f.note),
        mean: '-1.5',
      });
      expect(control).toMatchObject({
        armLabel: neutralised(f.control),
        note: neutralised(f.note),
        mean: '0.5',
      });
    });
    expect(rows.find((r) => r.armLabel === "'-2 cells")).toBeDefined();
    expect(rows.find((r) => r.note === "'\tbegins with a tab")).toBeDefined();
    expect(rows.find((r) => r.note === "'\rbegins with a CR")).toBeDefined();
    // The negative mean is written as a bare number, never quoted or prefixed.
    expect(text).toContain(',-1.5,');
    expect(text).not.toContain("'-1.5");
    expect(text).not.toContain('"-1.5"');
  });

  it('meta-analysis: titles neutralised; negative yi and CI bounds are bare numbers', async () => {
    const text = await csvOf(EXPORTS['meta-analysis']);
    const rows = byTrial(strictRows(text), 'trialId');
    expect(rows.size).toBe(RECORDS['meta-analysis']);
    FORMULA_TRIALS.forEach((f, i) => {
      const row = rows.get(ids[i] as string);
      expect(row?.title).toBe(neutralised(f.title));
      expect(row?.yi).toMatch(DECIMAL);
      expect(Number(row?.yi)).toBeCloseTo(-2, 12);
      expect(Number(row?.ciLower)).toBeLessThan(0);
    });
    expect(text).toMatch(/,-2,/);
  });

  it('no export has a cell a spreadsheet would run, other than a plain number', async () => {
    for (const url of Object.values(EXPORTS))
      for (const row of strictRows(await csvOf(url)))
        for (const cell of Object.values(row))
          if (/^[=+\-@\t\r]/.test(cell)) expect(cell, `${url}: ${JSON.stringify(cell)}`).toMatch(DECIMAL);
  });

  it('applies to strings only, and unneutraliseCell undoes it exactly', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: -1.5, b: '-1.5', c: '=x' }])).toBe("a,b,c\r\n-1.5,'-1.5,'=x\r\n");
    for (const text of [
      '=x',
      '+1',
      '-2',
      '@SUM',
      '\tx',
      '\rx',
      "'=x",
      "''=x",
      "'''\tx",
      "'x",
      "''",
      'x',
      '',
      "x'=",
    ]) {
      const written = neutraliseCell(text);
      expect(written).toBe(/^'*[=+\-@\t\r]/.test(text) ? `'${text}` : text);
      expect(unneutraliseCell(written as string)).toBe(text);
    }
  });
});

describe('CSV line breaks: every field holding CR or LF is quoted (RFC 4180)', () => {
  it('quotes a lone LF, a lone CR and CRLF alike', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: 'x\ny', b: 'x\ry', c: 'x\r\ny' }])).toBe(
      'a,b,c\r\n"x\ny","x\ry","x\r\ny"\r\n',
    );
  });

  it.each(Object.keys(EXPORTS) as (keyof typeof EXPORTS)[])(
    '%s: one record per row for csv-parse and for Python’s csv module',
    async (name) => {
      const text = await csvOf(EXPORTS[name]);
      expect(strictRows(text)).toHaveLength(RECORDS[name]);
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, text);
      const python = `
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
print(json.dumps(rows))
`;
      const rows = JSON.parse(execFileSync('python3', ['-c', python, file], { encoding: 'utf8' })) as Record<
        string,
        string
      >[];
      expect(rows).toHaveLength(RECORDS[name]);
      const titleColumn = name === 'bmd-results' ? 'trialTitle' : 'title';
      const idColumn = name === 'trials' ? 'id' : 'trialId';
      const loneBreaks = rows.filter((r) => r[idColumn] === ids[4]);
      expect(loneBreaks.length).toBeGreaterThan(0);
      for (const row of loneBreaks) expect(row[titleColumn]).toBe('A lone\nLF and a lone\rCR');
    },
  );
});
