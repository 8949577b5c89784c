import { pipeline, Readable } from 'node:stream';
import { stringify as stringifyStream } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * How a CSV cell says "no value": `NA`, which R's `read.csv` and readr's `read_csv` read as missing
 * by default. The vocabulary value `NA` (not applicable, in phase and allocation) is written
 * `NOT_APPLICABLE` instead, so that R keeps it as a value; the CSV import reads both back.
 */
export const CSV_MISSING = 'NA';
export const CSV_NOT_APPLICABLE = 'NOT_APPLICABLE';

/** A vocabulary value as a CSV cell: `NA` (not applicable) is spelled out, so R does not read it as missing. */
export const vocabularyCell = <V extends string | null | undefined>(value: V) =>
  value === 'NA' ? CSV_NOT_APPLICABLE : value;

/** A vocabulary value read from a CSV cell: `NOT_APPLICABLE` is the vocabulary value `NA`. */
export const vocabularyOfCell = (cell: string): string => (cell === CSV_NOT_APPLICABLE ? 'NA' : cell);

/**
 * A derived (computed) number as a CSV cell: at most 15 significant digits, as many as a double
 * holds for any decimal, so `0.35000000000000003` is written `0.35`. Reported values are written
 * as stored, never through this.
 */
export const derivedNumber = (value: number | null | undefined): number | null | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(15)) : value;

/**
 * A text cell a spreadsheet would run as a formula (OWASP "CSV Injection"): one that begins with
 * `=`, `+`, `-`, `@`, a tab or a CR, after any number of `'`. Counting the leading quotes keeps
 * the neutralisation reversible: `'=x` is written `''=x`, and `''=x` is written `'''=x`.
 */
const FORMULA_TRIGGER = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * A text cell as written: a formula-like string gets one leading `'`, so a spreadsheet shows it as
 * text. Only strings: a number (a negative mean) stays a number.
 */
export const neutraliseCell = <V extends CsvValue>(value: V): V | string =>
  typeof value === 'string' && FORMULA_TRIGGER.test(value) ? `'${value}` : value;

/** A text cell read back: exactly undoes `neutraliseCell` (one leading `'` off a neutralised cell). */
export const unneutraliseCell = (cell: string): string => (NEUTRALISED.test(cell) ? cell.slice(1) : cell);

const options = (columns: readonly string[]) => ({
  header: true,
  columns: columns as string[],
  record_delimiter: '\r\n',
  // RFC 4180: a field holding a line break is quoted. csv-stringify quotes only the record
  // delimiter (CRLF), so a lone LF or CR would otherwise split the row for other readers.
  quoted_match: /[\r\n]/,
  cast: { boolean: (b: boolean) => String(b) },
});

/** The one place every export's cells pass through: missing values and formula neutralisation. */
const cellsOf = (columns: readonly string[], row: Record<string, CsvValue>) =>
  columns.map((c) => neutraliseCell(row[c] ?? CSV_MISSING));

/**
 * RFC 4180 CSV with a header row. A missing value (null, undefined) is `NA`; numbers are written
 * as numbers, never quoted; lists inside a cell are joined with `;`; a field holding CR or LF is
 * quoted; a formula-like text cell is neutralised (`neutraliseCell`).
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  return stringify(
    rows.map((row) => cellsOf(columns, row)),
    options(columns),
  );
}

/**
 * The same CSV as `toCsv`, as a stream that takes rows from `rows` only as fast as the reader takes
 * the text (backpressure): an export of the whole catalogue holds a few rows at a time, never all.
 * An error thrown by the row source ends the stream with that error.
 */
export function csvStream(columns: readonly string[], rows: Iterable<Record<string, CsvValue>>): Readable {
  const text = stringifyStream(options(columns));
  function* cells() {
    for (const row of rows) yield cellsOf(columns, row);
  }
  // pipeline destroys both streams on an error, or when the reader goes away, which ends `rows`.
  pipeline(Readable.from(cells()), text, () => {});
  return text;
}

/** A list inside a cell, joined with `;`; an empty list is missing (`NA`). */
export const joinList = (values: readonly string[] | null | undefined): string | null =>
  values?.length ? values.join(';') : null;
