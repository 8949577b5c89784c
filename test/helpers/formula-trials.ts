import type { Db } from '../../src/db/client';
import { addTrials, cellArm, controlArm, result, testTrial } from '../meta-analyses/catalogue';

/**
 * Made-up controlled trials (test data, not real studies) whose titles, arm labels, sources and
 * notes begin with what a spreadsheet runs as a formula (`=`, `+`, `-`, `@`, tab, CR), or with `'`
 * before one, or hold a lone LF or CR. Cell arms report a negative mean, so numbers are negative too.
 */
export const FORMULA_TRIALS = [
  {
    title: '=HYPERLINK("http://example.invalid","click")',
    cells: '=cells',
    control: '+placebo',
    note: '=1+1',
  },
  { title: '+1 trial', cells: '-2 cells', control: '@SUM(A1) control', note: '\tbegins with a tab' },
  { title: '-2 trial', cells: '@cells', control: 'placebo', note: '\rbegins with a CR' },
  { title: '@SUM(1,2)', cells: "'=quoted once", control: "''+quoted twice", note: 'line one\nline two' },
  { title: 'A lone\nLF and a lone\rCR', cells: 'cells', control: 'placebo', note: 'a lone CR\rinside' },
  { title: "'-begins with a quote", cells: 'cells', control: 'placebo', note: "'\ta quote, then a tab" },
] as const;

/** A cell as the export writes it: the OWASP neutralisation (one `'` before a formula-like text). */
export const neutralised = (text: string) => (/^'*[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** Inserts FORMULA_TRIALS and returns their ids in order. */
export function addFormulaTrials(db: Db): string[] {
  return addTrials(
    db,
    FORMULA_TRIALS.map((f, i) =>
      testTrial('', {
        title: f.title,
        registryIds: [`NCT9100000${i}`],
        arms: [cellArm(f.cells), controlArm(f.control)],
        bmdResults: [
          result(f.cells, 20, -1.5, 1.2, { note: f.note }),
          result(f.control, 20, 0.5, 1.1, { note: f.note }),
        ],
        provenance: {
          kind: 'USER',
          sources: ['=HYPERLINK("http://example.invalid")', 'made up for a test'],
        },
      }),
    ),
  );
}
