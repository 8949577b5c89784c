import { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface LogCapture {
  /** The app's logger option: this level, written into memory. */
  logger: FastifyServerOptions['logger'];
  /** Every log line written so far, as text (one JSON object per line). */
  text: () => string;
}

export function captureLogs(level: LogLevel): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: { level, stream }, text: () => chunks.join('') };
}
