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

const options = (columns: readonly string[]) => ({
  header: true,
  columns: columns as string[],
  record_delimiter: '\r\n',
  cast: { boolean: (b: boolean) => String(b) },
});

const cellsOf = (columns: readonly string[], row: Record<string, CsvValue>) =>
  columns.map((c) => row[c] ?? CSV_MISSING);

/**
 * RFC 4180 CSV with a header row. A missing value (null, undefined) is `NA`; numbers are written
 * as numbers, never quoted; lists inside a cell are joined with `;`.
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
