import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { Config } from '../config';
import { closeDatabase, type Db, openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { CatalogueError } from '../errors';
import { type Clock, systemClock } from '../imports/sync/clock';
import { DEFAULT_SYNC_QUERY } from '../imports/sync/registry-query';
import { runSync } from '../imports/sync/run-sync';
import { type CommandOutput, isEntryPoint, loadConfigOrReport, standardOutput } from './entry-point';
import { syncSummaryLines } from './sync-summary';

const USAGE = `Usage: npm run sync -- [--query TEXT] [--since YYYY-MM-DD] [--dry-run]
  Brings the catalogue up to date with ClinicalTrials.gov API v2 (CTGOV_API_URL), one study at a
  time through the import service; studies off the catalogue's topic are skipped with the reason.
  --query TEXT       an Essie expression sent as query.term, instead of the default:
                     ${DEFAULT_SYNC_QUERY}
  --since DATE       only studies whose last update was posted on or after DATE; without it, from
                     the day before the last completed sync of the same query (all studies the first time)
  --dry-run          report what the sync would do; writes nothing, not even the record of the run
  Exit codes: 0 done, 1 some studies refused or a page skipped, 2 bad arguments or the registry
  could not be read (at the start or part-way: what was written so far is kept).`;

/** What the command needs besides the database; tests give a short timeout and a clock that does not wait. */
export interface SyncCliDeps {
  config: Pick<Config, 'CTGOV_API_URL' | 'CTGOV_MAX_REQUESTS_PER_MINUTE' | 'CTGOV_REQUEST_TIMEOUT_MS'>;
  clock?: Clock;
  random?: () => number;
  pageSize?: number;
}

export interface SyncCliIo extends CommandOutput {
  /** A terminal to draw a progress bar on; plain output when absent. */
  terminal?: NodeJS.WriteStream;
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

interface SyncArgs {
  help: boolean;
  query: string;
  since: string | null;
  dryRun: boolean;
}

/** The arguments, or what is wrong with them (one line, shown above the usage). */
function readArgs(argv: string[]): SyncArgs | string {
  let values: { query?: string; since?: string; 'dry-run'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        query: { type: 'string' },
        since: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return (error as Error).message;
    throw error;
  }
  if (values.query !== undefined && values.query.trim() === '') return '--query must not be empty.';
  if (values.since !== undefined && !isDate(values.since))
    return `--since must be a date written YYYY-MM-DD, not "${values.since}".`;
  return {
    help: values.help === true,
    query: values.query?.trim() ?? DEFAULT_SYNC_QUERY,
    since: values.since ?? null,
    dryRun: values['dry-run'] === true,
  };
}

function progressBar(terminal: NodeJS.WriteStream | undefined) {
  if (!terminal) return null;
  return new SingleBar({
    stream: terminal,
    format: 'Syncing [{bar}] {value}/{total} studies',
    hideCursor: true,
    clearOnComplete: true,
  });
}

const EXIT_CODES = { COMPLETED: 0, REFUSALS: 1, FAILED: 2 } as const;

/** Runs one sync over an open database; returns the exit code (0 done, 1 refusals, 2 usage or no registry). */
export async function runSyncCommand(
  db: Db,
  argv: string[],
  io: SyncCliIo,
  deps: SyncCliDeps,
): Promise<number> {
  const args = readArgs(argv);
  if (typeof args === 'string') {
    io.err(`${args}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const bar = progressBar(io.terminal);
  let started = false;
  let report: Awaited<ReturnType<typeof runSync>>;
  try {
    report = await runSync(db, {
      query: args.query,
      since: args.since,
      dryRun: args.dryRun,
      apiUrl: deps.config.CTGOV_API_URL,
      maxRequestsPerMinute: deps.config.CTGOV_MAX_REQUESTS_PER_MINUTE,
      timeoutMs: deps.config.CTGOV_REQUEST_TIMEOUT_MS,
      clock: deps.clock ?? systemClock,
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
      onProgress: (done, total) => {
        if (!bar) return;
        // The registry's total can be short of what it then sends (studies posted meanwhile).
        const expected = Math.max(total ?? done, done);
        if (started) bar.setTotal(expected);
        else bar.start(expected, 0);
        started = true;
        bar.update(done);
      },
    });
  } catch (error) {
    // The catalogue stayed busy for the sync's own bookkeeping: say so, exit as for no registry.
    if (!(error instanceof CatalogueError && error.kind === 'busy')) throw error;
    bar?.stop();
    io.err(`Sync stopped: ${error.message}`);
    return 2;
  } finally {
    bar?.stop();
  }
  for (const line of syncSummaryLines(report)) io.out(line);
  return EXIT_CODES[report.outcome];
}

async function main(): Promise<number> {
  // A configuration error is a usage error here: exit code 2, as for bad arguments.
  const config = loadConfigOrReport();
  if (!config) return 2;
  const db = openDatabase(config.DATABASE_PATH);
  try {
    runMigrations(db);
    const io = { ...standardOutput, ...(process.stderr.isTTY ? { terminal: process.stderr } : {}) };
    return await runSyncCommand(db, process.argv.slice(2), io, { config });
  } finally {
    closeDatabase(db);
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main();
