import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { defaultConfig } from '../config';
import type { Db } from '../db/client';
import { runImport } from '../imports/import-service';
import { parseFiles } from '../imports/parse-files';
import { IMPORT_FORMATS, type ImportFormat, TooManyRecordsError } from '../imports/types';
import { type CommandOutput, isEntryPoint, runOverConfiguredDatabase, standardOutput } from './entry-point';
import { summaryLines } from './import-summary';

const USAGE = `Usage: npm run import -- [--format ctgov|csv|bundle] [--dry-run] [--allow-off-topic] FILE...
  Without --format, .csv files are CSV and JSON files are ClinicalTrials.gov records when they look
  like them, else bundles. All files are one import: written together, or not at all, and of at
  most IMPORT_MAX_RECORDS records (CSV: rows) in all.
  ClinicalTrials.gov records that name no bone condition or no cell-based intervention are skipped
  (with the reason) unless --allow-off-topic is given.`;

export interface ImportCliIo extends CommandOutput {
  /** A terminal to draw a progress bar on; plain output when absent. */
  terminal?: NodeJS.WriteStream;
}

class UsageError extends Error {}

function readArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'allow-off-topic': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const format = values.format;
  if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format is one of: ${IMPORT_FORMATS.join(', ')}.`);
  if (positionals.length === 0) throw new UsageError('Give at least one file.');
  return {
    format: format as ImportFormat | undefined,
    dryRun: values['dry-run'] === true,
    allowOffTopic: values['allow-off-topic'] === true,
    files: positionals,
  };
}

function progressBar(terminal: NodeJS.WriteStream | undefined) {
  if (!terminal) return null;
  return new SingleBar({
    stream: terminal,
    format: 'Importing [{bar}] {value}/{total} records',
    hideCursor: true,
    clearOnComplete: true,
  });
}

/** Runs one import over an open database; returns the exit code (0 written, 1 refused, 2 usage). */
export function runImportCommand(
  db: Db,
  argv: string[],
  io: ImportCliIo,
  maxRecords = defaultConfig().IMPORT_MAX_RECORDS,
): number {
  let args: ReturnType<typeof readArgs>;
  try {
    args = readArgs(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  let parsed: ReturnType<typeof parseFiles>;
  try {
    parsed = parseFiles(args.files, args.format, { allowOffTopic: args.allowOffTopic, maxRecords });
  } catch (error) {
    if (!(error instanceof TooManyRecordsError)) throw error;
    io.err(`Import refused: nothing was written. ${error.message}`);
    return 1;
  }
  const bar = progressBar(io.terminal);
  bar?.start(parsed.trials.length + parsed.rows.length, 0);
  let report: ReturnType<typeof runImport>;
  try {
    report = runImport(
      db,
      parsed,
      { changedBy: 'cli-import', channel: 'IMPORT' },
      { dryRun: args.dryRun, onProgress: (done) => bar?.update(done) },
    );
  } finally {
    bar?.stop();
  }
  for (const line of summaryLines(report)) io.out(line);
  return report.rejected.length ? 1 : 0;
}

// A configuration error is a usage error here: exit code 2, as for bad arguments.
if (isEntryPoint(import.meta.url))
  process.exitCode = runOverConfiguredDatabase(
    (db, config) =>
      runImportCommand(
        db,
        process.argv.slice(2),
        { ...standardOutput, ...(process.stderr.isTTY ? { terminal: process.stderr } : {}) },
        config.IMPORT_MAX_RECORDS,
      ),
    2,
  );
