import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180 CSV with a header row; lists inside a cell are joined with `;`. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  return stringify(
    rows.map((row) => columns.map((c) => row[c] ?? '')),
    {
      header: true,
      columns: columns as string[],
      record_delimiter: '\r\n',
      cast: { boolean: (b) => String(b) },
    },
  );
}

export const joinList = (values: readonly string[] | null | undefined): string => (values ?? []).join(';');
