import { readFileSync } from 'node:fs';

/** Real ClinicalTrials.gov records, copied into this repository with their sources (test/fixtures/ctgov/README.md). */
const REAL = new URL('../../fixtures/ctgov/', import.meta.url);
/** Hand-written SYNTHETIC records (not real studies), in this repository. */
const SYNTHETIC = new URL('../../fixtures/ctgov-synthetic/', import.meta.url);

export function readReal(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, REAL), 'utf8'));
}

export function readSynthetic(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, SYNTHETIC), 'utf8'));
}
