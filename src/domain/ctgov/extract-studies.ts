import { CLASSIC_FORMAT_MESSAGE, CtgovFormatError } from './errors';
import { isObject, type JsonObject } from './json';

/**
 * Recognises ClinicalTrials.gov bodies. API v2 study records carry a camelCase `protocolSection`;
 * the classic API, retired in 2024, wrapped capitalised keys in `FullStudiesResponse`,
 * `FullStudy` or `Study.ProtocolSection`. Classic records are refused with a message saying so,
 * because mapping their older field names and display-text enums would need a second importer.
 */
const CLASSIC_KEYS = [
  'FullStudiesResponse',
  'FullStudies',
  'FullStudy',
  'StudyFieldsResponse',
  'ProtocolSection',
];

export function isClassicFormat(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (CLASSIC_KEYS.some((key) => key in value)) return true;
  return isObject(value.Study) && 'ProtocolSection' in value.Study;
}

export function isV2Study(value: unknown): value is JsonObject & { protocolSection: JsonObject } {
  return isObject(value) && isObject(value.protocolSection);
}

/** Throws CtgovFormatError unless `value` is one API v2 study record. */
export function assertV2Study(value: unknown): asserts value is JsonObject & { protocolSection: JsonObject } {
  if (isClassicFormat(value)) throw new CtgovFormatError(CLASSIC_FORMAT_MESSAGE);
  if (!isV2Study(value))
    throw new CtgovFormatError(
      'not a ClinicalTrials.gov API v2 study: expected an object with a protocolSection (as returned by /api/v2/studies/NCT…)',
    );
}

/**
 * The study records in a body: one v2 study, an array of them, or a `/api/v2/studies` page
 * (`{ studies: [...], nextPageToken }`). Elements are returned unchecked, so that an importer can
 * map each one and reject a bad record by its index instead of refusing the whole body; a classic
 * or unrecognised body as a whole throws CtgovFormatError.
 */
export function extractCtgovStudies(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isClassicFormat(body)) throw new CtgovFormatError(CLASSIC_FORMAT_MESSAGE);
  if (isObject(body) && Array.isArray(body.studies)) return body.studies;
  if (isV2Study(body)) return [body];
  throw new CtgovFormatError(
    'not ClinicalTrials.gov API v2 JSON: expected a study object with a protocolSection, an array of them, or a /api/v2/studies page { studies: [...] }',
  );
}
