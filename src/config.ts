import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().min(1);
const nonNegativeInt = z.coerce.number().int().min(0);
/** A timer's delay: Node fires any setTimeout beyond 2^31 − 1 ms at once, so a longer one is refused. */
const timerMs = positiveInt.max(2_147_483_647, 'must be at most 2147483647 (about 24.8 days)');

/** The environment this service reads, validated once at start. Defaults are for real use, not tests. */
export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z
    .string()
    .min(1)
    .default('./data/catalogue.db')
    .refine((p) => p === ':memory:' || p.endsWith('.db') || p.endsWith('.sqlite'), {
      message: 'must be a file ending in .db or .sqlite (or :memory:)',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_MAX: positiveInt.default(300),
  RATE_LIMIT_WRITE_MAX: positiveInt.default(60),
  RATE_LIMIT_WINDOW_MS: timerMs.default(60_000),
  CORS_ORIGIN: z.string().min(1).default('*'),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  IMPORT_BODY_LIMIT_BYTES: positiveInt.default(52_428_800),
  /** The most records (CSV: rows) one import takes, API and CLI alike; more is refused with a 400. */
  IMPORT_MAX_RECORDS: positiveInt.default(100_000),
  /**
   * Load shedding: when the event loop's mean delay over the last second exceeds this many
   * milliseconds, requests are refused with 503 and Retry-After until it recovers. 0 disables.
   */
  MAX_EVENT_LOOP_DELAY_MS: nonNegativeInt.default(1000),
  /** Load shedding on event-loop utilisation (a fraction, e.g. 0.98). 0 disables. */
  MAX_EVENT_LOOP_UTILIZATION: z.coerce.number().min(0).max(1).default(0),
  /**
   * The most studies leave-one-out, the cumulative meta-analysis and meta-regression take (their
   * work grows with the square of it); a larger selection is refused with a 400 that says so.
   */
  ANALYSIS_MAX_STUDIES: positiveInt.default(1000),
  /**
   * The most analyses waiting for the analysis workers at once, in each lane (summaries; the
   * meta-analyses and evidence analyses); one more is refused with 503 and Retry-After instead of
   * queueing without bound.
   */
  ANALYSIS_QUEUE_MAX: positiveInt.default(16),
  /** An analysis still running after this many milliseconds is stopped and answered 503. */
  ANALYSIS_TIMEOUT_MS: timerMs.default(30_000),
  /**
   * The key that signs pagination cursors (at least 32 characters). Unset, a random key is drawn
   * at start, so cursors stay valid for as long as the process runs.
   */
  CURSOR_SECRET: z.string().min(32).optional(),
  /** ClinicalTrials.gov API v2 base address, for `npm run sync`. */
  CTGOV_API_URL: z.url({ protocol: /^https?$/ }).default('https://clinicaltrials.gov/api/v2'),
  /** Requests per minute `npm run sync` sends at most (the registry's guidance per address). */
  CTGOV_MAX_REQUESTS_PER_MINUTE: positiveInt.default(50),
  /** How long `npm run sync` waits for one registry answer before counting it a failure. */
  CTGOV_REQUEST_TIMEOUT_MS: timerMs.default(30_000),
  /**
   * On SIGTERM or SIGINT the server stops accepting connections and gives in-flight requests this
   * long to finish before it closes their connections; then it closes the database and exits.
   */
  SHUTDOWN_TIMEOUT_MS: timerMs.default(10_000),
});

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value stops the start with one line per variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** The defaults, for tests and tools that build an app without an environment. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...ConfigSchema.parse({}), ...overrides };
}
