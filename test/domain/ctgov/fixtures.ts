import { readFileSync } from 'node:fs';

/** Real ClinicalTrials.gov records, kept in the shared fixtures folder beside the repository. */
const REAL = new URL('../../../../shared/fixtures/ctgov/', import.meta.url);
/** Hand-written SYNTHETIC records (not real studies), in this repository. */
const SYNTHETIC = new URL('../../fixtures/ctgov-synthetic/', import.meta.url);

export function readReal(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, REAL), 'utf8'));
}

export function readSynthetic(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, SYNTHETIC), 'utf8'));
}
